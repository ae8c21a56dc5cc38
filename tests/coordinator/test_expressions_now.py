"""now() gives the current UTC time as an ISO 8601 timestamp."""

from datetime import UTC, datetime, timedelta

from coordinator.expressions import render


def test_it_renders_now_as_a_utc_iso_timestamp():
    value = render("{{ now() }}", {})
    assert isinstance(value, str)
    assert value.endswith("Z")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert parsed.tzinfo is not None
    assert abs(datetime.now(UTC) - parsed) < timedelta(seconds=5)


def test_it_renders_now_inside_text():
    assert render("at {{ now() }}", {}).startswith("at 20")
