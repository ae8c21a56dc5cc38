"""Run serializers build their fields from the model once per class (FieldsBuiltOnce in
coordinator/api/serializers.py): what they answer is what a serializer building them for
each instance answers, and no two instances share a field (each field is bound to its own
serializer, whose context it reads)."""

import pytest
from rest_framework import serializers

from coordinator.api.serializers import RunDetailSerializer, RunSerializer
from tests.engine_helpers import start

pytestmark = pytest.mark.django_db

PLAN = {"name": "p", "steps": [{"id": "s", "type": "transform", "output": 1}]}


@pytest.mark.parametrize("cls", [RunSerializer, RunDetailSerializer])
def test_a_run_reads_as_it_does_with_fields_built_for_each_instance(alice, cls):
    class BuiltEachTime(cls):
        def get_fields(self):
            return serializers.ModelSerializer.get_fields(self)

    run = start(alice, PLAN, query="q")
    for _ in range(2):  # the first instance builds the class's fields, the second copies them
        for context in ({}, {"created": True}):
            assert cls(run, context=context).data == BuiltEachTime(run, context=context).data


def test_two_serializers_never_share_a_field(alice):
    run = start(alice, PLAN, query="q")
    first, second = RunSerializer(run), RunSerializer(run, context={"created": True})
    assert first.fields.keys() == second.fields.keys()
    for name in first.fields:
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].parent is first and second.fields[name].parent is second
