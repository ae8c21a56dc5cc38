"""Daphne's process pools its PostgreSQL connections (coordinator/asgi.py sets BATON_DB_POOL
before the settings load); a process that imports the routing later, such as the test run,
leaves the environment alone, so the workers it spawns keep one connection per thread."""

import os
import subprocess
import sys

SHOW_POOL = "import os; print(os.environ.get('BATON_DB_POOL', 'unset'))"


def pool_seen(code: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("BATON_DB_POOL", "DATABASE_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "coordinator.settings"
    out = subprocess.run(
        [sys.executable, "-c", f"{code}; {SHOW_POOL}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


def test_a_process_that_starts_with_the_asgi_module_pools_its_connections():
    assert pool_seen("import coordinator.asgi") == "16"


def test_importing_the_asgi_module_after_the_settings_leaves_the_environment_alone():
    assert pool_seen("import django; django.setup(); import coordinator.asgi") == "unset"
