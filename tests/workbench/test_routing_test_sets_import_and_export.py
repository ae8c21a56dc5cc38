"""Routing test sets come in from and go out to the bench_routing JSON format; bad
documents are refused with the field named and nothing written."""

import copy
import json

import pytest

from canvas.models import Agent
from coordinator.models import RoutingTestSet
from coordinator.workbench.test_sets import TestSetError, export_set, import_set
from tests.workbench.sets import DOCUMENT


def test_a_document_imports_as_a_set_of_registry_agents_and_cases(registry):
    test_set = import_set(DOCUMENT, "support")
    assert sorted(test_set.agents.values_list("slug", flat=True)) == [
        "billing",
        "handbook",
        "weather",
    ]
    cases = list(test_set.cases.values_list("query", "level", "expected_agents"))
    assert cases[0] == ("Why was I charged twice on my last bill?", "LOW", ["billing"])
    assert cases[3] == ("Book me a haircut on Saturday", "NONE", [])


def test_export_gives_back_the_cases_and_the_registry_agents(registry):
    registry["billing"].examples = ["Explain the fee on invoice 7"]
    registry["billing"].save()
    exported = export_set(import_set(DOCUMENT, "support"))
    assert exported["cases"] == DOCUMENT["cases"]
    billing = next(a for a in exported["agents"] if a["slug"] == "billing")
    assert billing["description"] == registry["billing"].description
    assert billing["examples"] == ["Explain the fee on invoice 7"]
    assert import_set(exported, "support-copy").cases.count() == 4


def test_unknown_agents_are_refused_unless_created_from_the_file(db):
    with pytest.raises(TestSetError) as refused:
        import_set(DOCUMENT, "support")
    assert refused.value.field == "agents[0].slug"
    assert "billing, weather, handbook" in refused.value.message
    assert not RoutingTestSet.objects.exists()
    import_set(DOCUMENT, "support", create_missing=True)
    assert Agent.objects.get(slug="weather").description == "ignored"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["cases"][1].update(level="SOMETIMES"), "cases[1].level"),
        (lambda d: d["cases"][2].update(agents=["nobody"]), "cases[2].agents"),
        (lambda d: d["cases"][0].update(query=" "), "cases[0].query"),
        (lambda d: d.update(cases=[]), "cases"),
        (lambda d: d["agents"][1].pop("slug"), "agents[1].slug"),
    ],
)
def test_a_bad_document_names_the_field_and_writes_nothing(registry, change, field):
    document = copy.deepcopy(DOCUMENT)
    change(document)
    with pytest.raises(TestSetError) as refused:
        import_set(document, "support")
    assert refused.value.field == field
    assert not RoutingTestSet.objects.exists()


def test_a_name_in_use_is_refused_unless_replacing(registry):
    import_set(DOCUMENT, "support")
    with pytest.raises(TestSetError) as refused:
        import_set(DOCUMENT, "support")
    assert refused.value.field == "name"
    smaller = {**DOCUMENT, "cases": DOCUMENT["cases"][:1]}
    assert import_set(smaller, "support", replace=True).cases.count() == 1


def test_the_api_imports_and_exports_for_staff_only(registry, root, api_alice):
    from tests.conftest import client_for

    api_root = client_for(root)
    url = "/api/routing/test-sets/import/"
    body = {"name": "support", "document": DOCUMENT}
    assert api_alice.post(url, body, format="json").status_code == 403
    created = api_root.post(url, body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["cases"] == 4
    bad = copy.deepcopy(DOCUMENT)
    bad["cases"][1]["level"] = "SOMETIMES"
    refused = api_root.post(url, {"name": "other", "document": bad}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"field": "document.cases[1].level", "message": "must be one of LOW, MEDIUM, HIGH, NONE"}
    ]
    exported = api_root.get("/api/routing/test-sets/support/export/")
    assert exported.json()["cases"] == DOCUMENT["cases"]


def test_the_admin_imports_an_uploaded_file_and_exports_it(registry, admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("support.json", json.dumps(DOCUMENT).encode())
    response = admin_client.post(
        "/admin/coordinator/routingtestset/import/", {"name": "support", "file": upload}
    )
    assert response.status_code == 302
    test_set = RoutingTestSet.objects.get(name="support")
    exported = admin_client.get(f"/admin/coordinator/routingtestset/{test_set.pk}/export/")
    assert json.loads(exported.content)["cases"] == DOCUMENT["cases"]
