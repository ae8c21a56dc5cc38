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


class Commits:
    """Commits on this thread's connection (which manually dispatched tasks run on): of
    transactions, and of writes made outside any transaction (each of which PostgreSQL
    commits on its own)."""

    WRITES = ("INSERT", "UPDATE", "DELETE")

    def __init__(self, monkeypatch):
        from django.db import connection, connections

        self.count = 0
        self.connection = connection
        wrapper = connections["default"]
        real_commit = wrapper.commit

        def commit():
            self.count += 1
            return real_commit()

        monkeypatch.setattr(wrapper, "commit", commit)
        connection.execute_wrappers.append(self._autocommitted)

    def _autocommitted(self, execute, sql, params, many, context):
        if not self.connection.in_atomic_block and sql.lstrip().upper().startswith(self.WRITES):
            self.count += 1
        return execute(sql, params, many, context)

    def close(self):
        self.connection.execute_wrappers.remove(self._autocommitted)


@pytest.fixture
def commits(monkeypatch):
    counter = Commits(monkeypatch)
    yield counter
    counter.close()
