"""Budget, not timing (distributed mode, a real worker, a real Redis): the broker messages a
run sends, seen by Redis's MONITOR as pushes onto Celery's queues. The worker runs the next
step of a chain itself, so a ten-step chain sends no more messages than one step, plus a
small margin for a step the worker had no free slot for. Measured when set: 2 per run, for
one step and for ten."""

import threading

import pytest
import redis
from django.conf import settings

from tests.budgets.plans import chain
from tests.engine.coordinator_plans import register_team
from tests.engine_helpers import start, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.DISTRIBUTED, reason="counts a real broker's messages"),
]

MESSAGES_PER_RUN = 3
MARGIN = 2


class BrokerPushes:
    """Counts LPUSH commands onto Celery queues (kombu's Redis transport publishes with them)."""

    def __init__(self, url: str):
        self.client = redis.Redis.from_url(url)
        self.count = 0
        self.stopping = threading.Event()
        self.listening = threading.Event()
        self.thread = threading.Thread(target=self._listen, daemon=True)

    def _listen(self):
        with self.client.monitor() as monitor:
            self.listening.set()
            for command in monitor.listen():
                words = command["command"].split(" ", 2)
                if words[0].upper() == "LPUSH" and words[1].startswith("celery"):
                    self.count += 1
                if self.stopping.is_set() and "baton-monitor-stop" in command["command"]:
                    return

    def __enter__(self):
        self.thread.start()
        assert self.listening.wait(10)
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.client.get("baton-monitor-stop")
        self.thread.join(10)


def pushes_for(user, steps: int) -> int:
    with BrokerPushes(settings.REDIS_URL) as pushes:
        run = wait_for(start(user, chain(steps), query="hi"))
    assert run.status == "succeeded", run.error
    return pushes.count


def test_a_ten_step_chain_sends_about_as_many_messages_as_one_step(alice, engine_settings):
    register_team()
    single = pushes_for(alice, 1)
    longer = pushes_for(alice, 10)
    assert 1 <= single <= MESSAGES_PER_RUN, single
    assert longer <= single + MARGIN, f"{longer} messages for 10 steps, {single} for one"
