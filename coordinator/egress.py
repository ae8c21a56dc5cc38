"""Every outbound request a user can aim (http agents, model connections) goes through here.

`check(url)` resolves the host once and accepts it only when every address is public
(`is_global`, and not multicast, 6to4, Teredo or NAT64, which tunnel to other addresses) or
is covered by BATON_EGRESS_ALLOWLIST (host names or CIDR networks). `pinned(destination)`
then makes this thread's connections go to exactly the checked addresses: inside it,
`socket.getaddrinfo` answers from the check and refuses any other host, so a second DNS
answer (rebinding) or a redirect elsewhere cannot be reached. Callers never follow
redirects.

The resolver is injectable (`use_resolver`) so tests stub DNS and talk to loopback only.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

Resolver = Callable[[str, int], list[str]]

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_system_getaddrinfo = socket.getaddrinfo
_local = threading.local()


class EgressRefused(ValueError):
    """The destination is not allowed; the message says why without leaking anything else."""


def system_resolver(host: str, port: int) -> list[str]:
    infos = _system_getaddrinfo(host, port, 0, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    return list(dict.fromkeys(info[4][0] for info in infos))


_resolver: Resolver = system_resolver


@contextlib.contextmanager
def use_resolver(resolver: Resolver) -> Iterator[None]:
    """Tests: answer DNS with `resolver(host, port) -> [address, ...]`."""
    global _resolver
    previous, _resolver = _resolver, resolver
    try:
        yield
    finally:
        _resolver = previous


@dataclass(frozen=True)
class Destination:
    host: str
    port: int
    addresses: tuple[str, ...]


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public(address.ipv4_mapped)
        if address.sixtofour is not None or address.teredo is not None or address in _NAT64:
            return False
    return address.is_global and not address.is_multicast


def _allowlist() -> tuple[set[str], list]:
    names, networks = set(), []
    for entry in getattr(settings, "BATON_EGRESS_ALLOWLIST", []):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            names.add(entry.lower().rstrip("."))
    return names, networks


def check(url: str) -> Destination:
    """The destination of `url` after the one DNS resolution; EgressRefused if not allowed."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise EgressRefused("the URL is not valid") from None
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme not in {"http", "https"} or not host:
        raise EgressRefused("the URL must be http(s) with a host")
    names, networks = _allowlist()
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            addresses = [ipaddress.ip_address(a.split("%")[0]) for a in _resolver(host, port)]
        except (OSError, ValueError):
            raise EgressRefused(f"cannot resolve {host}") from None
    if not addresses:
        raise EgressRefused(f"cannot resolve {host}")
    if host not in names:
        for address in addresses:
            if not is_public(address) and not any(address in net for net in networks):
                raise EgressRefused(
                    f"{host} resolves to {address}, which is not a public address; "
                    "staff can allow it in BATON_EGRESS_ALLOWLIST"
                )
    return Destination(host, port, tuple(str(a) for a in addresses))


def _pinned_getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    pins = getattr(_local, "pins", None)
    if pins is None:
        return _system_getaddrinfo(host, port, family, type, proto, flags)
    name = (host.decode() if isinstance(host, bytes) else str(host)).lower().rstrip(".")
    addresses = pins.get(name)
    if addresses is None:
        raise socket.gaierror(socket.EAI_NONAME, f"{name} is not the checked destination")
    port_number = int(port or 0)
    results = []
    for address in addresses:
        ip = ipaddress.ip_address(address)
        af = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
        if family not in (0, socket.AF_UNSPEC, af):
            continue
        sockaddr = (address, port_number, 0, 0) if ip.version == 6 else (address, port_number)
        results.append((af, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr))
    if not results:
        raise socket.gaierror(socket.EAI_NONAME, f"{name} has no address of that family")
    return results


def install() -> None:
    """Route socket.getaddrinfo through the pin table (idempotent; a no-op outside pins)."""
    socket.getaddrinfo = _pinned_getaddrinfo


@contextlib.contextmanager
def pinned(destination: Destination) -> Iterator[None]:
    """Within this block, this thread connects only to the checked addresses."""
    install()
    previous = getattr(_local, "pins", None)
    pins = {destination.host: destination.addresses}
    pins.update({a: (a,) for a in destination.addresses})
    _local.pins = pins
    try:
        yield
    finally:
        _local.pins = previous
