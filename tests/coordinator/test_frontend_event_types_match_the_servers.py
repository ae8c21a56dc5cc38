"""The frontend's RunEvent.type union lists exactly the event types the server emits."""

import re
from pathlib import Path

from coordinator.transport.events import EVENT_TYPES

EVENT_TYPES_TS = Path(__file__).resolve().parents[2] / "frontend/src/api/eventTypes.ts"


def frontend_event_types() -> list[str]:
    source = EVENT_TYPES_TS.read_text()
    literal = re.search(r"RUN_EVENT_TYPES = \[(.*?)\] as const;", source, re.DOTALL)
    assert literal, f"RUN_EVENT_TYPES not found in {EVENT_TYPES_TS}"
    return re.findall(r'"([^"]+)"', literal.group(1))


def test_the_frontend_lists_every_server_event_type_and_no_other():
    listed = frontend_event_types()
    assert sorted(set(listed)) == sorted(EVENT_TYPES)


def test_the_frontend_lists_each_event_type_once():
    listed = frontend_event_types()
    assert len(listed) == len(set(listed))
