from canvas.models import Canvas, CanvasVersion
from tests.engine.coordinator_plans import register_team


def team_canvas(owner, slug="team-canvas", team=None) -> Canvas:
    """Begin → Coordinator (sales, weather, echo) → Interact, saved as version 1."""
    register_team()
    graph = {
        "nodes": [
            {
                "id": "begin",
                "type": "begin",
                "position": {"x": 0, "y": 0},
                "data": {"label": "Begin", "config": {}},
            },
            {
                "id": "coord",
                "type": "coordinator",
                "position": {"x": 200, "y": 0},
                "data": {"label": "Coordinator", "config": {}},
            },
            *[
                {
                    "id": f"a_{slug}",
                    "type": "sub_agent",
                    "position": {"x": 200, "y": 150 + i * 80},
                    "data": {"label": slug, "config": {"agent": slug}},
                }
                for i, slug in enumerate(["sales", "weather", "echo"])
            ],
            {
                "id": "out",
                "type": "interact",
                "position": {"x": 400, "y": 0},
                "data": {"label": "Answer", "config": {}},
            },
        ],
        "edges": [
            {"id": "e1", "source": "begin", "target": "coord"},
            {"id": "e2", "source": "coord", "target": "out"},
            *[
                {
                    "id": f"d_{slug}",
                    "source": "coord",
                    "sourceHandle": "agents",
                    "target": f"a_{slug}",
                    "targetHandle": "delegate",
                }
                for slug in ["sales", "weather", "echo"]
            ],
        ],
    }
    canvas = Canvas.objects.create(name=slug, slug=slug, owner=owner, team=team, latest_version=1)
    CanvasVersion.objects.create(canvas=canvas, number=1, author=owner, graph=graph)
    return canvas
