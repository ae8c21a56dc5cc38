"""Item 5: list endpoints cap `limit` and answer 400 to a limit or offset that is not a whole
number in range, instead of a 500 or silently ignoring it."""

import pytest

from tests.runs_api.helpers import team_canvas

pytestmark = pytest.mark.django_db

LISTS = ["/api/agents/", "/api/canvases/", "/api/runs/", "/api/approvals/"]


@pytest.fixture
def lists(alice):
    canvas = team_canvas(alice)
    return [*LISTS, f"/api/canvases/{canvas.pk}/versions/"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=9223372036854775808", "limit"),
        ("offset=9223372036854775808", "offset"),
        ("limit=false&offset=false", "limit"),
        ("offset=false", "offset"),
        ("limit=0", "limit"),
        ("limit=-1", "limit"),
        ("limit=201", "limit"),
        ("limit=1.5", "limit"),
    ],
)
def test_a_bad_limit_or_offset_is_a_400_naming_it(api_alice, lists, query, field):
    for url in lists:
        response = api_alice.get(f"{url}?{query}")
        assert response.status_code == 400, (url, response.content)
        assert response.json()["errors"][0]["field"] == field


def test_the_largest_page_is_accepted(api_alice, lists, settings):
    for url in lists:
        response = api_alice.get(f"{url}?limit={settings.BATON_MAX_PAGE_SIZE}&offset=0")
        assert response.status_code == 200, (url, response.content)
        assert "results" in response.json()


def test_the_maximum_page_size_comes_from_settings(api_alice, lists, settings):
    settings.BATON_MAX_PAGE_SIZE = 5
    assert api_alice.get(f"{lists[0]}?limit=6").status_code == 400
    assert api_alice.get(f"{lists[0]}?limit=5").status_code == 200
