"""Loading a canvas costs one query: the canvas (visible to the user), its owner's name and its
latest version together (it was two: the canvas, then its latest version)."""

from tests.api import url
from tests.canvas.graph_factory import simple_graph


def test_it_loads_the_latest_graph_in_one_query(api_alice, canvas, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = api_alice.get(url(canvas))
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 1
    assert body["graph"] == simple_graph()
    assert body["slug"] == "document-processing"
    assert body["owner"] == "alice"
