"""The test model server records headers the way HTTP defines them: case-insensitively."""

from tests.openai_server import Headers


def test_a_header_sent_in_lower_case_is_found_by_its_usual_spelling():
    headers = Headers([("authorization", "Bearer tok"), ("Content-Type", "application/json")])

    assert headers["Authorization"] == "Bearer tok"
    assert headers.get("CONTENT-TYPE") == "application/json"
    assert "AUTHORIZATION" in headers
    assert headers.get("X-Missing", "none") == "none"
