"""coordinator/env.py: typed environment readers that fail loudly on bad values."""

import pytest

from coordinator.env import (
    ConfigError,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
)

# env_str


def test_it_reads_a_string_or_falls_back_to_the_default(monkeypatch):
    monkeypatch.setenv("BATON_T_STR", "hello")
    monkeypatch.delenv("BATON_T_MISSING", raising=False)

    assert env_str("BATON_T_STR") == "hello"
    assert env_str("BATON_T_MISSING", "fallback") == "fallback"
    assert env_str("BATON_T_MISSING") == ""


# env_bool


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "yes", "on", " True "])
def test_it_reads_the_true_spellings(monkeypatch, raw):
    monkeypatch.setenv("BATON_T_BOOL", raw)

    assert env_bool("BATON_T_BOOL", False) is True


@pytest.mark.parametrize("raw", ["0", "false", "False", "no", "off"])
def test_it_reads_the_false_spellings(monkeypatch, raw):
    monkeypatch.setenv("BATON_T_BOOL", raw)

    assert env_bool("BATON_T_BOOL", True) is False


@pytest.mark.parametrize("raw", [None, ""])
def test_an_unset_or_empty_bool_takes_the_default(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv("BATON_T_BOOL", raising=False)
    else:
        monkeypatch.setenv("BATON_T_BOOL", raw)

    assert env_bool("BATON_T_BOOL", True) is True
    assert env_bool("BATON_T_BOOL", False) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "truthy", "y e s"])
def test_it_rejects_a_bad_bool_naming_the_variable_and_the_value(monkeypatch, raw):
    monkeypatch.setenv("BATON_T_BOOL", raw)

    with pytest.raises(ConfigError) as excinfo:
        env_bool("BATON_T_BOOL")

    assert "BATON_T_BOOL" in str(excinfo.value)
    assert repr(raw) in str(excinfo.value)


# env_int


def test_it_reads_an_int(monkeypatch):
    monkeypatch.setenv("BATON_T_INT", "4096")

    assert env_int("BATON_T_INT", 1) == 4096


@pytest.mark.parametrize("raw", [None, ""])
def test_an_unset_or_empty_int_takes_the_default(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv("BATON_T_INT", raising=False)
    else:
        monkeypatch.setenv("BATON_T_INT", raw)

    assert env_int("BATON_T_INT", 42, minimum=100) == 42


@pytest.mark.parametrize("raw", ["lots", "1.5", "2MB", "0x10"])
def test_it_rejects_a_bad_int_naming_the_variable_and_the_value(monkeypatch, raw):
    monkeypatch.setenv("BATON_T_INT", raw)

    with pytest.raises(ConfigError) as excinfo:
        env_int("BATON_T_INT", 1)

    assert "BATON_T_INT must be an integer" in str(excinfo.value)
    assert repr(raw) in str(excinfo.value)


def test_it_rejects_an_int_below_the_minimum(monkeypatch):
    monkeypatch.setenv("BATON_T_INT", "1023")

    with pytest.raises(ConfigError, match=r"BATON_T_INT must be >= 1024, got 1023"):
        env_int("BATON_T_INT", 4096, minimum=1024)


def test_it_accepts_an_int_equal_to_the_minimum(monkeypatch):
    monkeypatch.setenv("BATON_T_INT", "1024")

    assert env_int("BATON_T_INT", 4096, minimum=1024) == 1024


def test_it_rejects_a_negative_int_below_the_minimum(monkeypatch):
    monkeypatch.setenv("BATON_T_INT", "-5")

    with pytest.raises(ConfigError, match="must be >= 1"):
        env_int("BATON_T_INT", 8, minimum=1)


# env_list


def test_it_splits_a_list_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("BATON_T_LIST", " example.com, api.example.com,,  ,localhost ")

    assert env_list("BATON_T_LIST") == ["example.com", "api.example.com", "localhost"]


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_an_unset_or_blank_list_takes_a_copy_of_the_default(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv("BATON_T_LIST", raising=False)
    else:
        monkeypatch.setenv("BATON_T_LIST", raw)
    default = ["a", "b"]

    value = env_list("BATON_T_LIST", default)

    assert value == ["a", "b"]
    value.append("c")
    assert default == ["a", "b"]


def test_an_unset_list_without_a_default_is_empty(monkeypatch):
    monkeypatch.delenv("BATON_T_LIST", raising=False)

    assert env_list("BATON_T_LIST") == []


# database_from_url


def test_it_turns_a_postgres_url_into_a_django_database():
    db = database_from_url("postgres://baton:s3cret@db.internal:6432/baton_prod")

    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert db["NAME"] == "baton_prod"
    assert db["USER"] == "baton"
    assert db["PASSWORD"] == "s3cret"
    assert db["HOST"] == "db.internal"
    assert db["PORT"] == "6432"


def test_it_keeps_one_connection_per_thread_unless_asked_to_pool():
    db = database_from_url("postgres://localhost/baton")

    assert db["CONN_MAX_AGE"] == 60 and "pool" not in db.get("OPTIONS", {})


def test_a_pooled_database_borrows_per_request_and_keeps_no_persistent_connection():
    db = database_from_url("postgres://localhost/baton", pool=16)

    # Django refuses persistent connections with a pool: closing one gives it back.
    assert db["CONN_MAX_AGE"] == 0
    assert db["OPTIONS"]["pool"]["max_size"] == 16


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "pgsql"])
def test_it_accepts_the_postgres_scheme_spellings(scheme):
    assert database_from_url(f"{scheme}://u@h/name")["NAME"] == "name"


def test_it_leaves_user_password_and_port_empty_when_the_url_has_none():
    db = database_from_url("postgres://localhost/baton")

    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == ("", "", "localhost", "")


@pytest.mark.parametrize(
    "url", ["mysql://u:p@h/db", "sqlite:///var/baton.sqlite3", "redis://127.0.0.1:6379/0", "db"]
)
def test_it_rejects_a_database_url_that_is_not_postgres(url):
    with pytest.raises(ConfigError, match="DATABASE_URL must be a postgres:// URL"):
        database_from_url(url)


@pytest.mark.parametrize("url", ["postgres://u:p@h:5432", "postgres://u:p@h:5432/"])
def test_it_rejects_a_database_url_without_a_database_name(url):
    with pytest.raises(ConfigError, match="DATABASE_URL must name a database"):
        database_from_url(url)
