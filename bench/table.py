"""The table `make bench` prints: one row per figure of the benchmarks' JSON lines, with
Baton, the peer measured in the same invocation, their ratio, and the aim.

    python bench/table.py var/bench/<time>/      (a directory of <benchmark>.json files)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def load(directory: Path, name: str) -> dict | None:
    path = directory / f"{name}.json"
    if not path.exists():
        return None
    lines = [line for line in path.read_text().splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else None


def dig(data: dict | None, *keys):
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def ms(value) -> str:
    return "not run" if value is None else f"{value:,.1f} ms"


def per_s(value) -> str:
    return "not run" if value is None else f"{value:,.1f}/s"


def times(value) -> str:
    return "—" if value is None else f"{value:.2f}×"


def plain(value) -> str:
    return "not run" if value is None else f"{value:.3f}"


def rows(directory: Path) -> list[tuple[str, str, str, str, str]]:
    o, par, pipe = (load(directory, n) for n in ("overhead", "parallel", "pipeline"))
    rc, ws, ed = (load(directory, n) for n in ("run_creation", "ws_fanout", "editor_perf"))
    out = []
    for mode in ("embedded", "distributed"):
        peer = "LangGraph + SQLite checkpointer" if mode == "embedded" else "bare Celery chain"
        low, peer_low = dig(o, mode, "LOW", "p50_ms"), dig(o, mode, "peer_LOW", "p50_ms")
        bare = dig(o, mode, "peer_LOW_without_persistence", "p50_ms")
        shape = f"{peer} (3 nodes): {ms(peer_low)}"
        if bare is not None:
            shape += f"; without persistence {bare:.1f} ms"
        aim = "≤ 1.0× the durable peer" if mode == "embedded" else "< 40 ms"
        out.append(
            (
                f"{mode} LOW run p50",
                ms(low),
                shape,
                times(dig(o, "ratio", f"{mode}_LOW_p50")),
                aim,
            )
        )
        step, peer_step = (
            dig(o, mode, "per_step", "p50_ms"),
            dig(o, mode, "peer_per_step", "p50_ms"),
        )
        aim = "≤ 3 ms" if mode == "embedded" else "≤ 2×"
        out.append(
            (
                f"{mode} per step (20-step chain)",
                ms(step),
                f"{peer}, per step: {ms(peer_step)}",
                times(dig(o, "ratio", f"{mode}_per_step_p50")),
                aim,
            )
        )
    for mode in ("embedded", "distributed"):
        out.append(
            (
                f"parallel 8 × 500 ms, wall / slowest, {mode}",
                plain(dig(par, mode, "ratio_p50")),
                f"LangGraph: {plain(dig(par, mode, 'peer_ratio_p50'))}",
                times(dig(par, "ratio", f"{mode}_wall_over_slowest_p50")),
                "≤ 1.05",
            )
        )
    for mode in ("embedded", "distributed"):
        out.append(
            (
                f"pipeline 20 × 3 × 50 ms, wall / ideal, {mode}",
                plain(dig(pipe, mode, "ratio_p50")),
                f"threads + queues: {plain(dig(pipe, mode, 'peer_ratio_p50'))}",
                times(dig(pipe, "ratio", f"{mode}_wall_over_ideal_p50")),
                "≤ 1.10",
            )
        )
    out.append(
        (
            "run creation POST p50, embedded, sequential",
            ms(dig(rc, "embedded", "post", "p50_ms")),
            f"GET of the same canvas: {ms(dig(rc, 'embedded', 'get', 'p50_ms'))}",
            times(dig(rc, "ratio", "embedded_post_over_get_p50")),
            "p50 < 20 ms",
        )
    )
    servers = dig(rc, "distributed", "servers")
    cpu = dig(rc, "distributed", "post", "server_cpu_ms_per_request")
    peer_cpu = dig(rc, "distributed", "get", "server_cpu_ms_per_request")
    out.append(
        (
            f"run creation, distributed, {servers or '?'} daphnes: runs/s (daphne CPU per POST)",
            f"{per_s(dig(rc, 'distributed', 'post', 'per_s'))} ({ms(cpu)})",
            f"GETs of the same canvas: {per_s(dig(rc, 'distributed', 'get', 'per_s'))} "
            f"({ms(peer_cpu)})",
            times(dig(rc, "ratio", "distributed_get_rate_over_post_rate")),
            "≥ 200 runs/s",
        )
    )
    clients = dig(ws, "clients")
    label = f"ws fan-out p99, {clients or '?'} clients, {dig(ws, 'servers') or '?'} daphnes"
    lost = dig(ws, "lost")
    spread = ""
    if dig(ws, "p99_ratio", "min") is not None:
        spread = (
            f" (median of {dig(ws, 'rounds')} rounds, "
            f"{dig(ws, 'p99_ratio', 'min'):.2f}–{dig(ws, 'p99_ratio', 'max'):.2f}×)"
        )
    out.append(
        (
            label,
            f"{ms(dig(ws, 'p99_ms'))}, lost {lost}",
            f"bare Channels: {ms(dig(ws, 'peer', 'p99_ms'))}, lost {dig(ws, 'peer', 'lost')}",
            times(dig(ws, "ratio", "p99")) + spread,
            "≤ 1.25× the bare app",
        )
    )
    cpu = dig(ws, "server_cpu_us_per_event")
    if cpu is not None:
        out.append(
            (
                "ws fan-out: daphne CPU per delivered event",
                f"{cpu:.0f} µs",
                f"bare Channels: {dig(ws, 'peer', 'server_cpu_us_per_event'):.0f} µs",
                times(dig(ws, "ratio", "server_cpu_per_event")),
                "≤ 1.25× the bare app",
            )
        )
    nodes = dig(ed, "nodes")
    out.append(
        (
            f"editor, {nodes or '?'} nodes: interactive",
            ms(dig(ed, "interactive_ms")),
            "—",
            "—",
            "< 2 s",
        )
    )
    out.append(
        (
            f"editor, {nodes or '?'} nodes: pan frame p95 (median)",
            f"{ms(dig(ed, 'pan_frame_p95_ms'))} ({ms(dig(ed, 'pan_frame_median_ms'))})",
            f"10-node canvas, same browser: {ms(dig(ed, 'floor_pan_frame_p95_ms'))} "
            f"({ms(dig(ed, 'floor_pan_frame_median_ms'))})",
            times(dig(ed, "ratio", "pan_p95_over_floor")),
            "< 20 ms",
        )
    )
    return out


def main() -> None:
    directory = Path(sys.argv[1])
    header = ("figure", "Baton", "peer, same invocation", "ratio", "aim")
    table = [header, *rows(directory)]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for index, row in enumerate(table):
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |")
        if index == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


if __name__ == "__main__":
    main()
