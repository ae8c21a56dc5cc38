"""The agents the CLI tests' documents name, registered as system agents shared with every
team (imports refuse documents naming agents the user may not use)."""

import pytest

from canvas.models import Agent

DOCUMENT_AGENTS = ("document-ocr", "summarizer", "researcher", "writer", "reviewer")


@pytest.fixture(autouse=True)
def registry_agents(request):
    if "django_db" not in request.keywords and "engine_settings" not in request.fixturenames:
        return
    for slug in DOCUMENT_AGENTS:
        Agent.objects.get_or_create(
            owner=None,
            slug=slug,
            defaults={
                "name": slug,
                "description": f"The {slug}.",
                "shared_with_all_teams": True,
            },
        )
