"""Helpers for the `workflow` command tests: call it in-process or as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from tests.documents import DESIGN_PLAN_YAML

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Result:
    code: int
    out: str
    err: str


def workflow(*args: str) -> Result:
    """`manage.py workflow ARGS` in this process; a CommandError becomes its exit code."""
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command("workflow", *args, stdout=out, stderr=err)
    except CommandError as exc:
        err.write(f"error: {exc}\n")
        code = exc.returncode
    return Result(code, out.getvalue(), err.getvalue())


def cli_env() -> dict:
    """A separate process that sees the test database (and, distributed, the test Redis)."""
    from tests.engine_agents import ALL

    if settings.DISTRIBUTED:
        from tests.workers import worker_env

        return worker_env()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "coordinator.settings",
            "BATON_SQLITE_PATH": str(connection.settings_dict["NAME"]),
            "BATON_PYTHON_AGENTS": ",".join(dict.fromkeys([*settings.BATON_PYTHON_AGENTS, *ALL])),
            "BATON_RETRY_BACKOFF_SECONDS": "0.01",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def workflow_process(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """`manage.py workflow ARGS` as a real process: real exit codes, real stderr."""
    return subprocess.run(
        [sys.executable, "manage.py", "workflow", *args],
        cwd=ROOT,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


PLAN_YAML = DESIGN_PLAN_YAML

WORKFLOW_YAML = """\
workflow:
  name: gitbook-chapter-generator
  goal: Produce a ready-to-publish chapter
  agents:
    - {name: researcher, type: task, goal: Gather the latest information}
    - {name: writer, type: task, goal: Write in GitBook Markdown}
    - {name: reviewer, type: task, goal: Review for accuracy}
  dependencies: "researcher -> writer -> reviewer"
"""

FAILING_PLAN = {"name": "broken", "steps": [{"id": "only", "type": "agent", "agent": "failing"}]}

NAP_PLAN = {
    "name": "two",
    "steps": [
        {"id": "first", "type": "agent", "agent": "nap", "input": {"seconds": 0.5}},
        {"id": "second", "type": "agent", "agent": "echo", "depends_on": ["first"], "query": "2"},
    ],
}

#: `first` holds until the test releases it (see tests.engine_agents.held): a control sent
#: meanwhile always lands while it is executing.
HELD_PLAN = {
    "name": "two",
    "steps": [
        {"id": "first", "type": "agent", "agent": "held"},
        {"id": "second", "type": "agent", "agent": "echo", "depends_on": ["first"], "query": "2"},
    ],
}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The named users are created per test; PBKDF2's million rounds cost 0.6 s each.
    Autouse in every test module that imports it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
