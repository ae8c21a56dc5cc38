"""Typed environment readers that fail loudly on bad values (healthchecks' style)."""

import os
from urllib.parse import urlparse


class ConfigError(RuntimeError):
    """A setting in the environment has a value Baton cannot use."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be >= {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def proxy_ssl_header(raw: str) -> tuple[str, str] | None:
    """`X-Forwarded-Proto: https` → ("HTTP_X_FORWARDED_PROTO", "https"); empty → None."""
    if not raw.strip():
        return None
    header, sep, value = raw.partition(":")
    header, value = header.strip(), value.strip()
    if not sep or not header or not value:
        raise ConfigError(
            f"BATON_PROXY_SSL_HEADER must look like 'X-Forwarded-Proto: https', got {raw!r}"
        )
    return "HTTP_" + header.upper().replace("-", "_"), value


def database_from_url(url: str, pool: int = 0) -> dict:
    """Django DATABASES entry from postgres://user:pass@host:port/name. With `pool` > 0 the
    process keeps a psycopg pool of up to that many connections that threads borrow and give
    back, instead of one persistent connection per thread."""
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ConfigError(f"DATABASE_URL must be a postgres:// URL, got scheme {parsed.scheme!r}")
    name = parsed.path.lstrip("/")
    if not name:
        raise ConfigError("DATABASE_URL must name a database")
    database = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": parsed.username or "",
        "PASSWORD": parsed.password or "",
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
    if pool:
        # A pooled connection goes back to the pool when Django closes it, at the end of each
        # request (Django allows no persistent connections with a pool).
        database["CONN_MAX_AGE"] = 0
        database["OPTIONS"] = {"pool": {"min_size": 1, "max_size": pool, "timeout": 30}}
    return database
