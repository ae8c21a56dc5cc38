"""The run and canvas sockets' heartbeat reads the database once per process and tick for
every socket watching, not once per socket: a hundred sockets on one run cost one query a tick.
The last socket to leave ends the heartbeat."""

import asyncio

import pytest

from coordinator.transport.heartbeat import Heartbeat

pytestmark = pytest.mark.asyncio


@pytest.fixture
def fast_heartbeat(settings):
    settings.BATON_WS_HEARTBEAT_SECONDS = 0.01


class Watcher:
    def __init__(self):
        self.values: list = []
        self.got_two = asyncio.Event()

    async def beat(self, value) -> None:
        self.values.append(value)
        if len(self.values) >= 2:
            self.got_two.set()


async def test_three_sockets_on_one_run_and_one_on_another_share_one_read_a_tick(fast_heartbeat):
    reads: list[list] = []

    async def read(keys: list) -> dict:
        reads.append(sorted(keys))
        return {key: f"{key}@{len(reads)}" for key in keys}

    heartbeat = Heartbeat(read)
    same = [Watcher() for _ in range(3)]
    other = Watcher()
    for watcher in same:
        heartbeat.watch("run-a", watcher.beat)
    heartbeat.watch("run-b", other.beat)

    await asyncio.wait_for(asyncio.gather(*(w.got_two.wait() for w in [*same, other])), 10)
    for watcher in [*same, other]:
        heartbeat.unwatch("run-a" if watcher in same else "run-b", watcher.beat)

    assert reads[0] == ["run-a", "run-b"]
    assert all(keys == ["run-a", "run-b"] for keys in reads)
    # Each tick's one read reached every socket: the sockets of a run saw the same values.
    assert same[0].values[:2] == same[1].values[:2] == same[2].values[:2] == ["run-a@1", "run-a@2"]
    assert other.values[:2] == ["run-b@1", "run-b@2"]


async def test_the_last_socket_to_leave_ends_the_heartbeat(fast_heartbeat):
    reads: list[list] = []

    async def read(keys: list) -> dict:
        reads.append(keys)
        return {}

    heartbeat = Heartbeat(read, missing=0)
    watcher = Watcher()
    heartbeat.watch("run", watcher.beat)
    await asyncio.wait_for(watcher.got_two.wait(), 10)
    assert watcher.values[:2] == [0, 0]  # a run the read did not find

    heartbeat.unwatch("run", watcher.beat)
    await asyncio.sleep(0)  # the cancelled task ends at its next step

    assert heartbeat.watched() == 0
    assert not [t for t in asyncio.all_tasks() if "_Ticker._run" in repr(t)]


async def test_a_failed_read_skips_a_tick_and_the_heartbeat_goes_on(fast_heartbeat):
    calls = 0

    async def read(keys: list) -> dict:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionError("the database is restarting")
        return {key: calls for key in keys}

    heartbeat = Heartbeat(read)
    watcher = Watcher()
    heartbeat.watch("run", watcher.beat)
    await asyncio.wait_for(watcher.got_two.wait(), 10)
    heartbeat.unwatch("run", watcher.beat)

    assert watcher.values[:2] == [2, 3]
