"""BATON_FRONTEND_DIST serves another build of the frontend as /static/dist/ (what
bench/editor_perf.py --dist uses to compare two builds on one machine): its files are found
before the checkout's own static/dist/, and without it nothing changes."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = (
    "import django; django.setup(); "
    "from django.contrib.staticfiles import finders; "
    "print(finders.find('dist/app.js'))"
)


def found_app_js(tmp_path: Path, **overrides: str) -> str:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("BATON_")
        and key not in {"REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(DJANGO_SETTINGS_MODULE="coordinator.settings", BATON_VAR_DIR=str(tmp_path))
    env.update(overrides)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_another_frontend_build_is_served_when_baton_frontend_dist_names_it(tmp_path):
    other = tmp_path / "other-build"
    other.mkdir()
    (other / "app.js").write_text("// another build\n")

    assert found_app_js(tmp_path / "a", BATON_FRONTEND_DIST=str(other)) == str(other / "app.js")
    assert found_app_js(tmp_path / "b") == str(ROOT / "static" / "dist" / "app.js")
