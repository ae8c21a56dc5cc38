"""Staff-managed Secrets and Connections, picked by name, read only here.

A user names a secret or a connection; whether they may use it is decided by its grants
(teams, all teams; staff and system-owned agents may use every one). Errors say what the
user asked for and never which environment variables exist or hold a value.
"""

from __future__ import annotations

import base64
import hashlib
import os

from django.conf import settings

from canvas.models import Connection, Secret
from coordinator.llm import get_model, is_local


class CredentialError(ValueError):
    """A named secret or connection is unknown to the user, unusable, or has no value."""


def _fernet():
    from cryptography.fernet import Fernet

    key = getattr(settings, "BATON_SECRETS_KEY", "")
    if not key:
        raise CredentialError("stored secrets need BATON_SECRETS_KEY on every process (ask staff)")
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest()))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def secret_value(secret) -> str:
    """The secret's value; CredentialError (naming only the secret) when it has none."""
    value = ""
    if secret.source == "env":
        value = os.environ.get(secret.env_var, "") if secret.env_var else ""
    elif secret.encrypted_value:
        from cryptography.fernet import InvalidToken

        try:
            value = _fernet().decrypt(secret.encrypted_value.encode()).decode()
        except InvalidToken:
            value = ""
    if not value:
        raise CredentialError(
            f"secret {secret.name!r} has no value on this server; ask staff to check it"
        )
    return value


def _acts_as_staff(user) -> bool:
    """System agents (no owner) and staff-owned ones were configured by staff."""
    return user is None or bool(getattr(user, "is_staff", False))


def usable_secrets(user):

    return Secret.objects.all() if _acts_as_staff(user) else Secret.objects.usable_by(user)


def usable_connections(user):

    if _acts_as_staff(user):
        return Connection.objects.all()
    return Connection.objects.usable_by(user)


def secret_for(user, name: str):
    """The secret `name`, if `user` may use it; else CredentialError (same words either way)."""
    secret = usable_secrets(user).filter(name=name).first()
    if secret is None:
        raise CredentialError(f"no secret named {name!r} is available to this agent's owner")
    return secret


def header_values(user, headers: dict[str, str], host: str) -> dict[str, str]:
    """Header → value for an http agent owned by `user`, sending to `host`."""
    values = {}
    for header, name in headers.items():
        secret = secret_for(user, name)
        allowed = {h.lower().rstrip(".") for h in secret.allowed_hosts or []}
        if host.lower().rstrip(".") not in allowed:
            raise CredentialError(
                f"header {header}: secret {name!r} may not be sent to {host} "
                "(staff list the hosts it may go to)"
            )
        values[header] = secret_value(secret)
    return values


def connection_for(user, model: str, name: str | None = None):
    """The connection for `model`: the one named (if usable and serving it), else the first
    usable connection whose patterns match. CredentialError when there is none."""
    connections = usable_connections(user).select_related("secret")
    if name:
        connection = connections.filter(name=name).first()
        if connection is None:
            raise CredentialError(f"no connection named {name!r} is available to you")
        if not connection.serves(model):
            raise CredentialError(f"connection {name!r} does not serve model {model!r}")
        return connection
    for connection in connections.order_by("name"):
        if connection.serves(model):
            return connection
    raise CredentialError(
        f"no connection available to you serves model {model!r}; staff create connections "
        "(admin → Connections) and share them with teams"
    )


def model_for(user, model_name: str | None, connection_name: str | None = None):
    """A Model for `model_name` reached through a usable connection (baton/local needs none)."""
    name = model_name or settings.BATON_DEFAULT_MODEL
    if is_local(name):
        return get_model(name)
    connection = connection_for(user, name, connection_name)
    key = secret_value(connection.secret) if connection.secret_id else None
    return get_model(name, api_base=connection.api_base, api_key=key)
