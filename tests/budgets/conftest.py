import collections

import pytest

from tests.engine_helpers import ManualDispatch


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class CountingDispatch(ManualDispatch):
    """Tasks stop at the transport boundary (dispatch._send): each one sent is counted — in
    distributed mode, one broker message — and the test delivers them in its own thread, so
    every query they make is counted by Django on this thread's connection."""

    def __init__(self):
        super().__init__()
        self.sent: collections.Counter[str] = collections.Counter()

    def send(self, task_name, args, countdown, held=None):
        self.sent[task_name] += 1
        super().send(task_name, args, countdown)

    def run_to_the_end(self) -> None:
        """Deliver every task due now, and those they send, until none is left (a delayed one,
        such as the run's deadline, stays queued: it is counted, not run)."""
        self.drain(limit=2000)


@pytest.fixture
def tasks(engine_settings, monkeypatch):
    from coordinator.transport import dispatch

    counting = CountingDispatch()
    monkeypatch.setattr(dispatch, "_send", counting.send)
    return counting
