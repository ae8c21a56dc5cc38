import pytest

from tests.engine_helpers import ManualDispatch


@pytest.fixture
def manual_dispatch(engine_settings, monkeypatch):
    """Tasks are queued instead of run: the test delivers them (duplicates, stale ones, none)."""
    from coordinator.transport import dispatch

    manual = ManualDispatch()
    monkeypatch.setattr(dispatch, "_send", manual.send)
    return manual


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The named users are created per test; PBKDF2's million rounds cost 0.6 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
