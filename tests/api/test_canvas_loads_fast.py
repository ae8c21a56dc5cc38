"""Loading a canvas costs one query for the canvas and one for its latest version."""

from tests.api import url
from tests.canvas.graph_factory import simple_graph


def test_it_loads_the_latest_graph_in_two_queries(api_alice, canvas, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = api_alice.get(url(canvas))
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 1
    assert body["graph"] == simple_graph()
    assert body["slug"] == "document-processing"
    assert body["owner"] == "alice"
