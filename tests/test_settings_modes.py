"""coordinator/settings.py refuses unusable environments at import, naming the variable.

Each case imports the settings in a fresh interpreter, so this process's settings stay as
they are.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROBE = (
    "import coordinator.settings as s; "
    "print(s.DISTRIBUTED, s.DATABASES['default']['ENGINE'], s.CHANNEL_LAYERS['default']['BACKEND'])"
)


def import_settings(tmp_path, probe: str = PROBE, **overrides: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("BATON_") and key not in {"REDIS_URL", "DATABASE_URL"}
    }
    env["BATON_VAR_DIR"] = str(tmp_path)
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_redis_url_it_runs_embedded_on_sqlite_and_in_memory_channels(tmp_path):
    result = import_settings(tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "coordinator.sqlite",
        "channels.layers.InMemoryChannelLayer",
    ]
    assert (tmp_path / "secret_key").exists()


def test_with_redis_and_database_urls_it_runs_distributed(tmp_path):
    result = import_settings(
        tmp_path,
        REDIS_URL="redis://127.0.0.1:6379/0",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "django.db.backends.postgresql",
        "channels_redis.pubsub.RedisPubSubChannelLayer",
    ]


def test_distributed_mode_without_a_database_url_fails_loudly(tmp_path):
    result = import_settings(tmp_path, REDIS_URL="redis://127.0.0.1:6379/0")

    assert result.returncode != 0
    assert "ConfigError" in result.stderr
    assert "needs DATABASE_URL" in result.stderr


def test_a_redis_url_that_is_not_redis_fails_loudly(tmp_path):
    result = import_settings(tmp_path, REDIS_URL="http://127.0.0.1:6379")

    assert result.returncode != 0
    assert "REDIS_URL must be a redis:// URL" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("BATON_DEBUG", "sometimes", "BATON_DEBUG must be a boolean"),
        ("BATON_MAX_BODY_BYTES", "2MB", "BATON_MAX_BODY_BYTES must be an integer"),
        ("BATON_MAX_BODY_BYTES", "10", "BATON_MAX_BODY_BYTES must be >= 1024"),
        ("BATON_YAML_MAX_DEPTH", "1", "BATON_YAML_MAX_DEPTH must be >= 4"),
        ("BATON_EMBEDDED_WORKERS", "0", "BATON_EMBEDDED_WORKERS must be >= 1"),
    ],
)
def test_a_bad_setting_fails_at_import_naming_the_variable(tmp_path, name, value, message):
    result = import_settings(tmp_path, **{name: value})

    assert result.returncode != 0
    assert message in result.stderr


def test_the_secret_key_comes_from_the_environment_when_set(tmp_path):
    result = import_settings(
        tmp_path,
        probe="import coordinator.settings as s; print(s.SECRET_KEY)",
        BATON_SECRET_KEY="k" * 50,
    )

    assert result.stdout.strip() == "k" * 50
    assert not (tmp_path / "secret_key").exists()
