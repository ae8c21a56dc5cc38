"""A python agent's process adopts the worker's environment, settings overrides and database
settings; they cross with its first call and again only when they have changed, not with
every call (they were pickled across with each one)."""

import pytest

from coordinator.agents import processes

pytestmark = [pytest.mark.django_db(transaction=True)]

WHERE = "tests.engine_agents.where"


@pytest.fixture(autouse=True)
def own_pool(settings, monkeypatch):
    """An empty pool keeping one idle process: each test's calls go to the same process."""
    pool = processes.AgentProcesses()
    monkeypatch.setattr(processes, "_pool", pool)
    yield
    for worker in pool._idle:
        worker.stop()


@pytest.fixture
def sent(monkeypatch):
    """Whether each request carried the surroundings, in call order."""
    carried: list[bool] = []
    build = processes._request

    def spy(worker, path, payload, kwargs):
        request = build(worker, path, payload, kwargs)
        carried.append("surroundings" in request)
        return request

    monkeypatch.setattr(processes, "_request", spy)
    return carried


def call() -> dict:
    return processes.call(WHERE, {"query": "q"}, {}, timeout=30)


def test_the_second_call_to_the_same_process_carries_no_surroundings(settings, tmp_path, sent):
    settings.MEDIA_ROOT = str(tmp_path / "first")
    first, second = call(), call()

    assert first["pid"] == second["pid"]  # the idle process was reused
    assert sent == [True, False]
    assert second["media_root"] == str(tmp_path / "first")


def test_a_changed_setting_is_sent_again_and_seen_by_the_agent(settings, tmp_path, sent):
    settings.MEDIA_ROOT = str(tmp_path / "first")
    first = call()
    settings.MEDIA_ROOT = str(tmp_path / "second")
    second = call()

    assert first["pid"] == second["pid"]
    assert sent == [True, True]
    assert (first["media_root"], second["media_root"]) == (
        str(tmp_path / "first"),
        str(tmp_path / "second"),
    )


def test_a_changed_environment_is_sent_again_and_seen_by_the_agent(
    settings, monkeypatch, tmp_path, sent
):
    monkeypatch.setenv("BATON_TEST_AGENT_LOG", str(tmp_path / "one.jsonl"))
    first = call()
    monkeypatch.setenv("BATON_TEST_AGENT_LOG", str(tmp_path / "two.jsonl"))
    second = call()

    assert sent == [True, True]
    assert (first["log"], second["log"]) == (
        str(tmp_path / "one.jsonl"),
        str(tmp_path / "two.jsonl"),
    )
