"""Saving creates immutable, numbered versions; old ones can be read and restored."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from canvas import services
from canvas.models import Canvas, CanvasVersion
from tests.api import url
from tests.canvas.graph_factory import agent, begin, chain, graph, interact, simple_graph


def second_graph():
    return graph([begin(), agent("summarize"), interact()], chain("begin", "summarize", "answer"))


def save(client, canvas, g, message=""):
    return client.post(url(canvas, "versions/"), {"graph": g, "message": message}, format="json")


def test_saving_creates_version_2_then_3(api_alice, canvas):
    first = save(api_alice, canvas, second_graph(), "shorter")
    assert first.status_code == 201, first.json()
    assert first.json()["number"] == 2
    assert first.json()["problems"] == []
    assert first.json()["message"] == "shorter"
    assert save(api_alice, canvas, simple_graph()).json()["number"] == 3
    canvas.refresh_from_db()
    assert canvas.latest_version == 3
    assert api_alice.get(url(canvas)).json()["version"] == 3


def test_the_list_is_newest_first_without_graphs(api_alice, canvas):
    save(api_alice, canvas, second_graph(), "shorter")
    body = api_alice.get(url(canvas, "versions/")).json()
    assert body["count"] == 2
    assert [(v["number"], v["author"], v["message"]) for v in body["results"]] == [
        (2, "alice", "shorter"),
        (1, "alice", "Created"),
    ]
    assert "graph" not in body["results"][0]


def test_an_old_version_can_be_read_with_its_graph(api_alice, canvas):
    save(api_alice, canvas, second_graph())
    response = api_alice.get(url(canvas, "versions/1/"))
    assert response.status_code == 200
    assert response.json()["graph"] == simple_graph()
    assert api_alice.get(url(canvas, "versions/9/")).status_code == 404


def test_restoring_saves_the_old_graph_as_a_new_version(api_alice, canvas):
    save(api_alice, canvas, second_graph())
    response = api_alice.post(url(canvas, "versions/1/restore/"))
    assert response.status_code == 201
    assert response.json()["number"] == 3
    assert response.json()["message"] == "Restored version 1"
    assert api_alice.get(url(canvas)).json()["graph"] == simple_graph()
    assert CanvasVersion.objects.get(canvas=canvas, number=2).graph == second_graph()


def test_restoring_a_missing_version_writes_nothing(api_alice, canvas):
    assert api_alice.post(url(canvas, "versions/7/restore/")).status_code == 404
    assert CanvasVersion.objects.count() == 1


def test_a_draft_with_errors_is_saved_and_its_problems_returned(api_alice, canvas):
    draft = graph([begin(), agent("summarize", "no-such-agent")], [])
    response = save(api_alice, canvas, draft, "wip")
    assert response.status_code == 201
    problems = response.json()["problems"]
    assert {"node": "summarize", "field": "data.config.agent", "severity": "error"}.items() <= (
        next(p for p in problems if p.get("field") == "data.config.agent").items()
    )
    assert CanvasVersion.objects.get(canvas=canvas, number=2).graph == draft


def test_saving_an_existing_version_raises(canvas):
    version = CanvasVersion.objects.get(canvas=canvas, number=1)
    version.message = "rewritten history"
    with pytest.raises(ValidationError):
        version.save()
    assert CanvasVersion.objects.get(pk=version.pk).message == "Created"


def test_a_stale_canvas_object_still_gets_the_next_number(alice, canvas):
    stale = Canvas.objects.get(pk=canvas.pk)
    services.save_version(canvas, second_graph(), alice, "one")
    assert stale.latest_version == 1
    assert services.save_version(stale, second_graph(), alice, "two").number == 3


CONCURRENT_SAVES = """
import json, os, threading
import django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
from django.contrib.auth.models import User
from canvas import services
from canvas.models import CanvasVersion
alice = User.objects.create_user("alice")
canvas = services.create_canvas(owner=alice, name="Busy", graph={"nodes": [], "edges": []})
errors = []
def worker():
    try:
        for _ in range(5):
            services.save_version(canvas, {"nodes": [], "edges": []}, alice, "parallel")
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()
threads = [threading.Thread(target=worker) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
canvas.refresh_from_db()
numbers = sorted(CanvasVersion.objects.filter(canvas=canvas).values_list("number", flat=True))
print(json.dumps({"errors": errors, "numbers": numbers, "latest": canvas.latest_version}))
"""


def test_concurrent_saves_never_share_a_number(tmp_path):
    """Four threads saving at once on a real SQLite file (the test DB is in-memory, which can't wait
    for locks), exactly as the embedded server runs: 1 … 21 with no duplicates or gaps."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="coordinator.settings",
        BATON_VAR_DIR=str(tmp_path),
        BATON_SQLITE_PATH=str(tmp_path / "db.sqlite3"),
        BATON_SECRET_KEY="test",
    )
    done = subprocess.run(
        [sys.executable, "-c", CONCURRENT_SAVES],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"errors": [], "numbers": list(range(1, 22)), "latest": 21}
