"""Shared fixtures: named users (alice owns, bob reviews, charlie has no access)."""

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.test import APIClient


@pytest.fixture(autouse=True, scope="session")
def no_background_sweeper():
    """Tests sweep and tick schedules explicitly; background threads would race them."""
    from django.conf import settings

    settings.BATON_SWEEPER = False
    settings.BATON_SCHEDULER = False


@pytest.fixture(autouse=True)
def loopback_test_servers_are_allowlisted(settings):
    """The tests' own servers listen on loopback, which production refuses by default.
    Tests of the refusal itself set BATON_EGRESS_ALLOWLIST back to []."""
    settings.BATON_EGRESS_ALLOWLIST = ["127.0.0.0/8"]


@pytest.fixture
def alice(db):
    return User.objects.create_user("alice", "alice@example.com", "alice-pass-123")


@pytest.fixture
def bob(db):
    return User.objects.create_user("bob", "bob@example.com", "bob-pass-123")


@pytest.fixture
def charlie(db):
    return User.objects.create_user("charlie", "charlie@example.com", "charlie-pass-123")


@pytest.fixture
def team(alice, bob):
    group = Group.objects.create(name="research")
    alice.groups.add(group)
    bob.groups.add(group)
    return group


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def api_alice(alice):
    return client_for(alice)


@pytest.fixture
def api_bob(bob):
    return client_for(bob)


@pytest.fixture
def api_charlie(charlie):
    return client_for(charlie)


@pytest.fixture
def api_anon(db):
    return APIClient()


@pytest.fixture(scope="session")
def agent_files(tmp_path_factory):
    """Where the test agents log their calls; fixed per session so a worker process shares it."""
    base = tmp_path_factory.mktemp("agents")
    return {
        "BATON_TEST_AGENT_LOG": str(base / "agent-calls.jsonl"),
        "BATON_TEST_FLAKY_MARKER": str(base / "flaky-marker"),
        "BATON_TEST_RELEASE_MARKER": str(base / "release-marker"),
    }


@pytest.fixture
def engine_settings(settings, agent_files, monkeypatch, request):
    """Engine tests: test agents allowlisted, fast backoff, no background sweeper; in
    distributed mode, a real Celery worker executes the steps."""
    import pathlib

    from tests.engine_agents import ALL

    settings.BATON_PYTHON_AGENTS = [*settings.BATON_PYTHON_AGENTS, *ALL]
    settings.BATON_RETRY_BACKOFF_SECONDS = 0.01
    settings.BATON_SWEEPER = False
    for name, path in agent_files.items():
        monkeypatch.setenv(name, path)
        pathlib.Path(path).unlink(missing_ok=True)
    if settings.DISTRIBUTED:
        request.getfixturevalue("shared_worker")
    return settings


@pytest.fixture
def release(engine_settings, agent_files):
    """release() lets every `held` test agent that holds (or will) succeed; release("fail")
    makes them fail, transiently."""
    import pathlib

    def release(outcome: str = "succeed") -> None:
        path = pathlib.Path(agent_files["BATON_TEST_RELEASE_MARKER"])
        partial = path.with_suffix(".partial")
        partial.write_text(outcome)
        partial.replace(path)  # atomic: a held agent never reads a half-written marker

    return release


@pytest.fixture
def agent_calls(engine_settings, agent_files):
    """Reads the calls the test agents logged, as dicts."""
    import json
    import pathlib

    def read():
        path = pathlib.Path(agent_files["BATON_TEST_AGENT_LOG"])
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    return read


def pytest_collection_modifyitems(config, items):
    """Distributed-only tests skip in embedded mode; `make test` runs them in a second pass."""
    from django.conf import settings

    if settings.DISTRIBUTED:
        return
    skip = pytest.mark.skip(
        reason="needs distributed mode (REDIS_URL + DATABASE_URL); see make test"
    )
    for item in items:
        if "distributed_only" in item.keywords:
            item.add_marker(skip)


def pytest_configure(config):
    config.addinivalue_line("markers", "distributed_only: runs only with REDIS_URL and PostgreSQL")
    from django.conf import settings

    from tests.parallel import give_this_worker_its_own_redis

    give_this_worker_its_own_redis()
    if settings.DISTRIBUTED:
        from tests.database_fence import name_own_sessions

        name_own_sessions()


def pytest_unconfigure(config):
    from tests.parallel import stop_own_redis

    stop_own_redis()


@pytest.fixture(scope="session")
def database_fence(django_db_setup, django_db_blocker):
    """Distributed mode: closes the test database to the other processes' sessions before each
    flush (tests/database_fence.py) and, at the end, before it is dropped."""
    from tests.database_fence import DatabaseFence

    with django_db_blocker.unblock():
        fence = DatabaseFence()
    yield fence
    with django_db_blocker.unblock():
        fence.close_to_others(everyone=True)
        fence.reopen()
    fence.close()


def _flushes_after(request) -> bool:
    """Whether the test is a transactional one, whose database is flushed afterwards."""
    marker = request.node.get_closest_marker("django_db")
    if marker and (
        marker.kwargs.get("transaction")
        or marker.kwargs.get("reset_sequences")
        or (marker.args and marker.args[0])
    ):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def no_other_sessions_during_flush(request):
    """Distributed mode: the workers may still be writing for this test when it ends; its
    flush must not run under them (tests/database_fence.py). The database the last flush
    closed opens again as the next test starts, whatever kind of test it is."""
    from django.conf import settings

    from tests.database_fence import reopen_closed

    if not settings.DISTRIBUTED:
        yield
        return
    reopen_closed()
    if not _flushes_after(request):
        yield
        return
    # Set up the database first, so that its flush tears down after this fixture.
    request.getfixturevalue("transactional_db")
    fence = request.getfixturevalue("database_fence")
    yield
    with request.getfixturevalue("django_db_blocker").unblock():
        fence.close_to_others()


@pytest.fixture(scope="session")
def shared_worker(django_db_setup, django_db_blocker, agent_files, request):
    """One real Celery worker for the session (distributed mode only)."""
    from tests.workers import Worker, worker_env

    # The fence first: it then outlives the worker, and ends the sessions the worker left.
    request.getfixturevalue("database_fence")
    with django_db_blocker.unblock():
        worker = Worker(worker_env(agent_files), name="shared")
    yield worker
    worker.stop()


@pytest.fixture(autouse=True)
def no_throttles(settings):
    """The suite starts many runs; only the throttling tests turn rates back on."""
    settings.BATON_THROTTLE_RATES = {}
