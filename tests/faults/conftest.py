import pathlib

import pytest

from tests.faults.cluster import Cluster


@pytest.fixture
def cluster(settings, agent_files, monkeypatch):
    """A private Redis and workers for one test; the suite's shared worker never sees it."""
    from tests.engine_agents import ALL

    settings.BATON_PYTHON_AGENTS = [*settings.BATON_PYTHON_AGENTS, *ALL]
    settings.BATON_SWEEPER = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for name, path in agent_files.items():
        monkeypatch.setenv(name, path)
        pathlib.Path(path).unlink(missing_ok=True)
    built = Cluster(agent_files)
    yield built
    built.close()
