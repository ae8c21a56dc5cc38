"""`http` agents: POST {query, history, input, context} as JSON, read JSON back.

Header values come from environment variables named in the config, never from the canvas.
Loopback, private and link-local targets are refused unless BATON_HTTP_AGENT_ALLOWLIST names them.
"""

import ipaddress
import json
import os
import socket
import urllib.error
import urllib.request
from urllib.parse import urlparse

from django.conf import settings

from coordinator.agents import AgentCall, AgentError, AgentResult, AgentTimeout

MAX_RESPONSE_BYTES = 5 * 1024 * 1024


def check_destination(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https"} or not parsed.hostname:
        raise AgentError(f"refused URL {url!r}: must be http(s) with a host")
    allowed = getattr(settings, "BATON_HTTP_AGENT_ALLOWLIST", [])
    host = parsed.hostname
    if host in allowed:
        return
    try:
        infos = socket.getaddrinfo(host, parsed.port or 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise AgentError(f"cannot resolve {host}: {exc}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if any(
            address in ipaddress.ip_network(entry, strict=False) for entry in _networks(allowed)
        ):
            continue
        if (
            address.is_private
            or address.is_loopback
            or address.is_link_local
            or address.is_reserved
        ):
            raise AgentError(
                f"refused {host} ({address}): private and loopback addresses need "
                "BATON_HTTP_AGENT_ALLOWLIST"
            )


def _networks(entries):
    for entry in entries:
        try:
            yield ipaddress.ip_network(entry, strict=False)
        except ValueError:
            continue


def headers_from_env(mapping: dict[str, str]) -> dict[str, str]:
    headers = {}
    for header, env_name in mapping.items():
        value = os.environ.get(env_name)
        if value is None:
            raise AgentError(f"header {header}: environment variable {env_name} is not set")
        headers[header] = value
    return headers


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect could lead past the allowlist
        return None


def run(call: AgentCall) -> AgentResult:
    url = call.config.get("url", "")
    check_destination(url)
    body = json.dumps(call.payload, default=str).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    headers.update(headers_from_env(call.config.get("headers", {})))
    timeout = min(call.timeout, float(call.config.get("timeout_seconds", call.timeout)))
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            raw = response.read(MAX_RESPONSE_BYTES + 1)
    except TimeoutError as exc:
        raise AgentTimeout(f"timed out after {timeout:g}s") from exc
    except urllib.error.HTTPError as exc:
        raise AgentError(f"HTTP {exc.code} from {url}") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError | socket.timeout):
            raise AgentTimeout(f"timed out after {timeout:g}s") from exc
        raise AgentError(f"cannot reach {url}: {exc.reason}") from exc
    if len(raw) > MAX_RESPONSE_BYTES:
        raise AgentError(f"response from {url} is larger than {MAX_RESPONSE_BYTES} bytes")
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise AgentError(f"response from {url} is not JSON") from exc
    if not isinstance(data, dict):
        raise AgentError(f"response from {url} must be a JSON object")
    return AgentResult(output=data)
