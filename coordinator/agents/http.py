"""`http` agents: POST {query, history, input, context} as JSON, read JSON back.

The URL passes the outbound destination check (`coordinator.egress`): every address it
resolves to must be public unless staff allowlisted it, the request goes to exactly the
checked address, and redirects are not followed. Header values come from staff-managed
Secrets the agent names, and only to the hosts each secret allows.
"""

import json
import socket
import time
import urllib.error
import urllib.request

from coordinator import egress
from coordinator.agents.base import AgentCall, AgentError, AgentResult, AgentTimeout
from coordinator.credentials import CredentialError, header_values

MAX_RESPONSE_BYTES = 5 * 1024 * 1024


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect could lead past the check
        return None


def run(call: AgentCall) -> AgentResult:
    url = str(call.config.get("url", ""))
    try:
        destination = egress.check(url)
    except egress.EgressRefused as exc:
        raise AgentError(f"refused {url}: {exc}") from None
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    try:
        headers.update(header_values(call.owner, call.config.get("headers", {}), destination.host))
    except CredentialError as exc:
        raise AgentError(str(exc)) from None
    if call.idempotency_key:  # the same on every re-execution of this attempt
        headers["Idempotency-Key"] = call.idempotency_key
    body = json.dumps(call.payload, default=str).encode()
    timeout = min(call.timeout, float(call.config.get("timeout_seconds", call.timeout)))
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirect)
    deadline = time.monotonic() + timeout
    try:
        with egress.pinned(destination), opener.open(request, timeout=timeout) as response:
            raw = _read_within(response, deadline)
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


def _read_within(response, deadline: float) -> bytes:
    """The body a chunk at a time: the socket timeout bounds each read, the deadline the whole
    body, so a server sending a byte at a time cannot stretch the call past its timeout."""
    body = bytearray()
    while len(body) <= MAX_RESPONSE_BYTES:
        if time.monotonic() >= deadline:
            raise TimeoutError
        chunk = response.read1(64 * 1024)
        if not chunk:
            break
        body += chunk
    return bytes(body)
