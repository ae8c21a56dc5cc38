"""Databases made before the demo moved: registered python agents that named
coordinator.agents.demo.* name demo.agents.* after migrating; other agents are untouched."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from canvas.models import Agent

pytestmark = pytest.mark.django_db(transaction=True)

MIGRATION = ("demo", "0001_python_agents_follow_the_demo_module")


def migrate_to(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def test_old_demo_callables_are_renamed_and_others_are_left_alone():
    migrate_to(("demo", None))
    old = Agent.objects.create(
        slug="old-summary",
        name="Old",
        kind="python",
        kind_config={"callable": "coordinator.agents.demo.summarize_text", "timeout": 5},
        shared_with_all_teams=True,
    )
    mine = Agent.objects.create(
        slug="mine",
        name="Mine",
        kind="python",
        kind_config={"callable": "myproject.agents.crm_lookup"},
        shared_with_all_teams=True,
    )

    migrate_to(MIGRATION)

    old.refresh_from_db()
    mine.refresh_from_db()
    assert old.kind_config == {"callable": "demo.agents.summarize_text", "timeout": 5}
    assert mine.kind_config == {"callable": "myproject.agents.crm_lookup"}
