"""An http agent's timeout bounds the whole answer, not each read: a server that sends its
body a byte at a time, forever, is cut off at the step's timeout and the connection closed."""

import socket
import threading

import pytest

from canvas.models import Agent
from coordinator import egress
from tests.engine_helpers import embedded_only, start, step, wait_for
from tests.security.listener import StubResolver

pytestmark = [pytest.mark.django_db(transaction=True), embedded_only]


class Dribbler:
    """Answers 200 with a long JSON body, one byte every 50 ms until the client hangs up."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.hung_up = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        conn, _ = self.server.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
            conn.sendall(b"Content-Length: 1000000\r\n\r\n")
            try:
                while True:
                    conn.sendall(b" ")
                    self.hung_up.wait(0.05)
            except OSError:
                self.hung_up.set()


def test_a_server_that_never_finishes_its_body_is_cut_off(alice, engine_settings):
    dribbler = Dribbler()
    Agent.objects.create(
        slug="dribbler",
        name="Dribbler",
        description="Answers slowly.",
        kind="http",
        kind_config={"url": f"http://agent.example:{dribbler.port}/"},
        owner=alice,
    )
    plan = {
        "name": "one",
        "steps": [{"id": "call", "type": "agent", "agent": "dribbler", "timeout_seconds": 0.5}],
    }
    with egress.use_resolver(StubResolver({"agent.example": ["127.0.0.1"]})):
        run = wait_for(start(alice, plan, query="q"))

    assert run.status == "failed"
    assert step(run, "call").error == "agent dribbler timed out: timed out after 0.5s"
    assert dribbler.hung_up.wait(30)  # the connection was closed, not left open
