import pytest

from tests.engine_helpers import ManualDispatch


@pytest.fixture
def manual_dispatch(engine_settings, monkeypatch):
    """Tasks are queued instead of run: the test delivers them (duplicates, stale ones, none)."""
    from coordinator import dispatch

    manual = ManualDispatch()
    monkeypatch.setattr(dispatch, "_send", manual.send)
    return manual
