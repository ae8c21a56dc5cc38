"""Item 7: the production settings docs/deployment.md lists come from the environment and
make `manage.py check --deploy` clean (no warnings at all)."""

import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def documented_production_env() -> dict[str, str]:
    text = (ROOT / "docs" / "deployment.md").read_text()
    block = re.search(r"<!-- production-env -->\s*```bash\n(.*?)```", text, re.S).group(1)
    env = {}
    for line in block.splitlines():
        words = shlex.split(line, comments=True)
        if words:
            name, _, value = words[0].partition("=")
            env[name] = value
    return env


def check_deploy(tmp_path, extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("BATON_") and k not in {"REDIS_URL", "DATABASE_URL"}
    }
    env.update(BATON_VAR_DIR=str(tmp_path), BATON_SECRET_KEY=secrets.token_urlsafe(50), **extra)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_documented_settings_make_check_deploy_clean(tmp_path):
    env = documented_production_env()
    assert {"BATON_SECURE_COOKIES", "BATON_HSTS_SECONDS", "BATON_PROXY_SSL_HEADER"} <= set(env)
    result = check_deploy(tmp_path, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_them_check_deploy_names_what_is_missing(tmp_path):
    result = check_deploy(tmp_path, {})
    assert result.returncode != 0
    for warning in ("W004", "W008", "W012", "W016"):
        assert warning in result.stdout + result.stderr


def test_the_settings_take_the_values_from_the_environment(tmp_path):
    probe = (
        "import coordinator.settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, s.CSRF_TRUSTED_ORIGINS)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("BATON_")}
    env.update(BATON_VAR_DIR=str(tmp_path), **documented_production_env())
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split("\n")[0] == (
        "True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https') ['https://baton.example.com']"
    ), result.stderr
