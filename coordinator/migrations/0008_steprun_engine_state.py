from django.db import migrations, models
from django.db.models import Q

# Keys the engine used to keep in a step's spec; they now live in StepRun.engine_state.
ENGINE_KEYS = ("fallbacks_used", "escalation", "pipeline_next")


def move_engine_keys_out_of_specs(apps, schema_editor):
    StepRun = apps.get_model("coordinator", "StepRun")
    has_any = Q()
    for key in ENGINE_KEYS:
        has_any |= Q(spec__has_key=key)
    for row in StepRun.objects.filter(has_any).only("spec", "engine_state").iterator():
        state = {k: row.spec[k] for k in ENGINE_KEYS if row.spec.get(k)}
        row.spec = {k: v for k, v in row.spec.items() if k not in ENGINE_KEYS}
        row.engine_state = {**(row.engine_state or {}), **state}
        row.save(update_fields=["spec", "engine_state"])


def put_engine_keys_back(apps, schema_editor):
    StepRun = apps.get_model("coordinator", "StepRun")
    for row in StepRun.objects.exclude(engine_state={}).only("spec", "engine_state").iterator():
        row.spec = {**row.spec, **row.engine_state}
        row.save(update_fields=["spec"])


class Migration(migrations.Migration):
    dependencies = [("coordinator", "0007_run_retried_from")]

    operations = [
        migrations.AddField(
            model_name="steprun",
            name="engine_state",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="The engine's own bookkeeping for this attempt "
                "(engine/core/state.py), apart from the spec: fallbacks used, escalation, "
                "pipeline stages still to come.",
            ),
        ),
        migrations.RunPython(move_engine_keys_out_of_specs, put_engine_keys_back),
    ]
