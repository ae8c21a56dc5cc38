"""Editor performance on a big canvas: time to interactive and frame times while panning.

    .venv/bin/python bench/editor_perf.py [--nodes 1000] [--edges 1500] [--runs 3] [--dist DIR]

Starts daphne on a throwaway SQLite database (`tests.servers.serve`, as the browser tests do),
creates user `bench` and a canvas whose graph is
`tests.canvas.graph_factory.generate_graph(nodes, edges)` (saved as version 1, with the 25
registry agents it names so that it validates cleanly), then drives Debian's Chromium
(headless, software rendering: `--disable-gpu`) through Playwright at 1440×900.

`--dist DIR` serves another build of the frontend (a copy of some commit's `static/dist/`) as
/static/dist/ (`BATON_FRONTEND_DIST`), so two builds can be compared on one machine by
alternating runs.

Definitions
-----------
interactive_ms
    From navigation start (`performance.timeOrigin`, i.e. the moment the browser starts
    loading /canvases/<id>/ after login) until the canvas has answered a click: the React Flow
    viewport is mounted, every node React Flow renders is measured and visible (no
    `visibility: hidden` left, at least one node present), then Playwright clicks the `begin`
    node and the time is taken, in the page, when that node first carries the `selected`
    class (a MutationObserver installed before any page script runs). So it includes HTML,
    JS and API loading, the first render of the graph, measuring, and one real click
    round-trip. The median over `--runs` fresh page loads is reported.
pan_frame_median_ms / pan_frame_p95_ms / frames
    Intervals between consecutive `requestAnimationFrame` callbacks while the mouse drags
    the empty pane (left button held, moving 6 px per step for about 2 s, back and forth),
    recorded in the page; `frames` is the number of intervals. 16.7 ms is one 60 Hz frame.

floor_pan_frame_median_ms / floor_pan_frame_p95_ms
    The peer, in the same browser right after: the same drag over a 10-node canvas (mostly
    empty pane) — the frame times this machine gives any page at that moment. `ratio`
    (pan p95 over the floor's) comes first.

Prints ONE JSON line:
{"bench":"editor_perf","ratio":{"pan_p95_over_floor":…},"nodes":5000,"edges":7500,
 "interactive_ms":…,"pan_frame_median_ms":…,"pan_frame_p95_ms":…,"frames":…,"floor_…":…}
Aims: interactive < 2000 ms, panning < 20 ms per frame.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402  (sys.path first)

VIEWPORT = {"width": 1440, "height": 900}
PAN_SECONDS = 2.0
PAN_STEP_PX = 6
FLOOR_NODES = 10

SETUP_SCRIPT = """
import json
import os
import sys

import django

django.setup()

from django.contrib.auth.models import User

from canvas.models import Agent
from canvas.services import create_canvas
from tests.canvas.graph_factory import generate_graph

nodes, edges, floor_nodes = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
user = User.objects.create_user("bench", "bench@example.com", os.environ["BATON_SETUP_PASSWORD"])
for i in range(25):
    Agent.objects.create(
        slug=f"agent-{i}",
        name=f"Agent {i}",
        description="Answers generated benchmark questions.",
        kind="python",
        kind_config={"callable": "demo.agents.summarize_text"},
    )
canvas = create_canvas(owner=user, name="Editor bench", graph=generate_graph(nodes, edges))
floor = create_canvas(owner=user, name="Editor floor", graph=generate_graph(floor_nodes, floor_nodes))
print(json.dumps({"canvas": str(canvas.pk), "floor": str(floor.pk)}))
"""

# Installed before any page script: remembers when the first node becomes selected.
INIT_SCRIPT = """
window.__bench = { selectedAt: null };
new MutationObserver((records, observer) => {
  for (const record of records) {
    const el = record.target;
    if (el.classList && el.classList.contains("react-flow__node") && el.classList.contains("selected")) {
      window.__bench.selectedAt = performance.now();
      observer.disconnect();
      return;
    }
  }
}).observe(document, { attributes: true, attributeFilter: ["class"], subtree: true });
"""

READY = """() => {
  if (!document.querySelector(".react-flow__viewport")) return false;
  const nodes = document.querySelectorAll(".react-flow__node");
  if (nodes.length === 0 || !document.querySelector('.react-flow__node[data-id="begin"]')) return false;
  for (const node of nodes) if (node.style.visibility === "hidden") return false;
  return true;
}"""

START_FRAMES = """() => {
  window.__frames = [];
  window.__recording = true;
  const tick = (t) => { if (!window.__recording) return; window.__frames.push(t); requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
}"""

STOP_FRAMES = """() => { window.__recording = false; return window.__frames; }"""

FIND_EMPTY_PANE_POINT = """() => {
  const pane = document.querySelector(".react-flow__pane").getBoundingClientRect();
  for (let y = pane.top + 20; y < pane.bottom - 20; y += 10) {
    for (let x = pane.left + 20; x < pane.right - 220; x += 10) {
      const el = document.elementFromPoint(x, y);
      if (el && el.classList.contains("react-flow__pane")) return { x, y };
    }
  }
  return null;
}"""


def log_in(page, password: str) -> None:
    page.goto("/login/?next=/")
    page.get_by_label("Username").fill("bench")
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def measure_interactive(context, canvas_id: str) -> tuple[float, object]:
    page = context.new_page()
    page.add_init_script(INIT_SCRIPT)
    page.goto(f"/canvases/{canvas_id}/", wait_until="commit")
    page.wait_for_function(READY, polling="raf", timeout=60_000)
    box = page.locator('.react-flow__node[data-id="begin"] .baton-node__label').bounding_box()
    assert box, "the begin node is not on screen"
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function(
        "() => window.__bench.selectedAt !== null", polling="raf", timeout=30_000
    )
    return page.evaluate("() => window.__bench.selectedAt"), page


def measure_panning(page) -> list[float]:
    page.wait_for_timeout(1500)  # let validation and the first idle work settle
    page.locator(".react-flow__pane").click(position={"x": 5, "y": 5})  # clear the selection
    start = page.evaluate(FIND_EMPTY_PANE_POINT)
    assert start, "no empty spot on the pane to start a drag"
    x, y = start["x"], start["y"]
    page.mouse.move(x, y)
    page.mouse.down()
    page.evaluate(START_FRAMES)
    began = time.monotonic()
    direction = -1  # drag left: the view moves right, over unseen nodes
    travelled = 0
    while time.monotonic() - began < PAN_SECONDS:
        x += direction * PAN_STEP_PX
        y += direction * PAN_STEP_PX * 0.3
        travelled += PAN_STEP_PX
        if travelled >= 400:
            direction, travelled = -direction, 0
        page.mouse.move(x, y)
    frames = page.evaluate(STOP_FRAMES)
    page.mouse.up()
    return [b - a for a, b in zip(frames, frames[1:], strict=False)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--edges", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=3, help="page loads for interactive_ms")
    parser.add_argument(
        "--dist", type=Path, help="serve this frontend build as /static/dist/ (default: ours)"
    )
    args = parser.parse_args()
    dist = args.dist.resolve() if args.dist else ROOT / "static" / "dist"
    if not (dist / "app.js").exists():
        sys.exit(f"{dist}/app.js is missing: build the frontend first (make frontend)")

    from playwright.sync_api import sync_playwright

    setup = [("-c", SETUP_SCRIPT, str(args.nodes), str(args.edges), str(FLOOR_NODES))]
    server_env = {"BATON_LOG_LEVEL": "ERROR"}
    if args.dist:
        server_env["BATON_FRONTEND_DIST"] = str(dist)
    with (
        tempfile.TemporaryDirectory(prefix="baton-editor-bench-") as tmp,
        serve(Path(tmp), setup, server_env) as (url, password, output),
        sync_playwright() as playwright,
    ):
        ids = json.loads(output.strip().splitlines()[-1])
        canvas_id, floor_id = ids["canvas"], ids["floor"]
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        context = browser.new_context(base_url=url, viewport=VIEWPORT)
        context.set_default_timeout(60_000)
        login = context.new_page()
        log_in(login, password)
        login.close()

        interactive: list[float] = []
        page = None
        for _ in range(max(1, args.runs)):
            if page is not None:
                page.close()
            elapsed, page = measure_interactive(context, canvas_id)
            interactive.append(elapsed)
        intervals = measure_panning(page)
        page.close()
        # The peer, in the same browser: panning a 10-node canvas, mostly empty pane — the
        # frame times this machine gives any page right now.
        _, floor_page = measure_interactive(context, floor_id)
        floor = measure_panning(floor_page)
        browser.close()

    p95, floor_p95 = percentile(intervals, 0.95), percentile(floor, 0.95)
    print(
        json.dumps(
            {
                "bench": "editor_perf",
                "ratio": {"pan_p95_over_floor": round(p95 / floor_p95, 2)},
                "nodes": args.nodes,
                "edges": args.edges,
                "dist": str(args.dist) if args.dist else None,
                "interactive_ms": round(statistics.median(interactive), 1),
                "pan_frame_median_ms": round(statistics.median(intervals), 2),
                "pan_frame_p95_ms": round(p95, 2),
                "frames": len(intervals),
                "floor_nodes": FLOOR_NODES,
                "floor_pan_frame_median_ms": round(statistics.median(floor), 2),
                "floor_pan_frame_p95_ms": round(floor_p95, 2),
            },
            separators=(",", ":"),
        )
    )


if __name__ == "__main__":
    main()
