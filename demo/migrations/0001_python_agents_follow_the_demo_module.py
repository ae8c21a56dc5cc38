"""The demo agents moved from ``coordinator.agents.demo`` to ``demo.agents``: registered
python agents that name the old path now name the new one. Saved canvas versions are
immutable and keep what they say (an inline python agent naming the old path is refused
at run time as not allowlisted; saving the canvas again with the new path fixes it)."""

from django.db import migrations

OLD = "coordinator.agents.demo."
NEW = "demo.agents."


def forwards(apps, schema_editor):
    Agent = apps.get_model("canvas", "Agent")
    for agent in Agent.objects.filter(kind="python", kind_config__callable__startswith=OLD):
        path = agent.kind_config["callable"]
        agent.kind_config = {**agent.kind_config, "callable": NEW + path[len(OLD) :]}
        agent.save(update_fields=["kind_config"])


class Migration(migrations.Migration):
    dependencies = [("canvas", "0003_tenancy_secrets_connections")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
