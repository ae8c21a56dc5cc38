"""A canvas whose Begin node declares an input schema with a default and a required field."""

from canvas import services
from canvas.graph import plan_to_graph
from canvas.plan import Plan

INPUT_SCHEMA = {
    "type": "object",
    "required": ["document_id", "topic"],
    "properties": {
        "document_id": {"type": "string"},
        "topic": {"type": "string"},
        "reviewer": {"type": "string", "default": "reviewer"},
    },
}


def schema_canvas(owner, slug: str = "review-input"):
    plan = Plan.model_validate(
        {
            "name": slug,
            "input_schema": INPUT_SCHEMA,
            "steps": [
                {
                    "id": "echo",
                    "type": "transform",
                    "output": {
                        "reviewer": "{{ input.reviewer }}",
                        "doc": "{{ input.document_id }}",
                    },
                }
            ],
        }
    )
    return services.create_canvas(owner=owner, name=slug, slug=slug, graph=plan_to_graph(plan))
