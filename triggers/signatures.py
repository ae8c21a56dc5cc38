"""Webhook signatures: `Baton-Signature: t=<unix seconds>,v1=<hex>`. Pure, no database.

v1 is HMAC-SHA256, keyed with the trigger's secret, over "{t}.{raw body}" — the exact bytes
received, never a re-serialisation. Several v1 values may be sent (a sender signing with the
old and the new secret during a rotation); one matching any active secret is enough. Every
comparison is constant-time, and a timestamp more than TOLERANCE_SECONDS away from now
(either way) is refused, so a captured request cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable

TOLERANCE_SECONDS = 300
HEADER = "Baton-Signature"
DELIVERY_HEADER = "Baton-Delivery"
DELIVERY_ID = re.compile(r"^[A-Za-z0-9._:-]{1,200}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class SignatureError(ValueError):
    """The request is not signed as it must be; the message says what is wrong."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The v1 signature (hex) of `body` sent at `timestamp`."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def header(secret: str, timestamp: int, body: bytes) -> str:
    """A complete Baton-Signature header value (what senders, and the docs' example, write)."""
    return f"t={timestamp},v1={sign(secret, timestamp, body)}"


def parse(value: str | None) -> tuple[int, list[str]]:
    if not value:
        raise SignatureError(f"missing {HEADER} header (t=<unix seconds>,v1=<hex HMAC-SHA256>)")
    timestamp: int | None = None
    signatures: list[str] = []
    for part in value.split(","):
        key, _, item = part.strip().partition("=")
        if key == "t" and item.isdigit() and len(item) <= 12:
            timestamp = int(item)
        elif key == "v1" and _HEX64.fullmatch(item):
            signatures.append(item)
    if timestamp is None or not signatures:
        raise SignatureError(
            f"malformed {HEADER} header; expected t=<unix seconds>,v1=<64 hex digits>"
        )
    return timestamp, signatures


def verify(value: str | None, body: bytes, secrets: Iterable[str], now: float) -> int:
    """The signed timestamp when `value` signs `body` with one of `secrets`, else SignatureError."""
    timestamp, signatures = parse(value)
    if timestamp < now - TOLERANCE_SECONDS:
        raise SignatureError(
            f"the signature's timestamp is more than {TOLERANCE_SECONDS} s old; sign each "
            "delivery when you send it"
        )
    if timestamp > now + TOLERANCE_SECONDS:
        raise SignatureError(
            f"the signature's timestamp is more than {TOLERANCE_SECONDS} s in the future; "
            "check the sender's clock"
        )
    matched = False
    for secret in secrets:
        expected = sign(secret, timestamp, body)
        for given in signatures:
            matched |= hmac.compare_digest(expected, given)  # no early exit: constant work
    if not matched:
        raise SignatureError("the signature does not match the body and the trigger's secret")
    return timestamp
