"""Approve with edits: the reviewer changes a field of the output under review; later steps
read the edited value; the diff is kept in the item's audit and in the run's events. Respond
sends free text to the run as an instruction."""

import pytest

from tests.engine_helpers import events, step, wait_for
from tests.inbox.helpers import gate, waiting_item

pytestmark = pytest.mark.django_db(transaction=True)


def decide(client, item, **body):
    return client.post(f"/api/approvals/{item.pk}/decide/", body, format="json")


def test_the_edited_draft_is_what_gets_published(alice, bob, api_bob, engine_settings):
    run, item = waiting_item(alice, gate("bob"))
    detail = api_bob.get(f"/api/approvals/{item.pk}/").json()
    reviewed = [o for o in detail["outputs"] if o["reviewed"]]
    assert [(o["step"], o["output"]) for o in reviewed] == [
        ("draft", {"text": "Revenue grew 12%."})
    ]

    edited = decide(
        api_bob,
        item,
        action="edit",
        edits={"draft": {"text": "Revenue grew 12% (unaudited)."}},
        comment="flag it as unaudited",
    )
    assert edited.status_code == 200, edited.json()
    assert edited.json()["status"] == "approved"
    run = wait_for(run)

    assert run.status == "succeeded", run.error
    assert run.result["answer"] == "published: Revenue grew 12% (unaudited)."
    assert step(run, "review").output["edited"] == ["draft"]
    entry = edited.json()["history"][-1]
    assert entry["action"] == "edited" and entry["comment"] == "flag it as unaudited"
    assert entry["data"]["diff"][0]["field"] == "draft.text"
    assert entry["data"]["diff"][0]["before"] == "Revenue grew 12%."
    decided = events(run, "approval.decided")[0].data
    assert decided["action"] == "edit" and decided["diff"][0]["after"].endswith("(unaudited).")


def test_bad_edits_are_refused_naming_the_field(alice, bob, api_bob, engine_settings):
    _, item = waiting_item(alice, gate("bob"))
    cases = [
        ({"publish": {"text": "x"}}, "edits.publish"),
        ({"draft": {"nope": "x"}}, "edits.draft.nope"),
        ({"draft": {"text": 3}}, "edits.draft.text"),
        ({"draft": {"text": "Revenue grew 12%."}}, "edits"),
        ("text", "edits"),
    ]
    for edits, field in cases:
        refused = decide(api_bob, item, action="edit", edits=edits)
        assert refused.status_code == 400, edits
        assert refused.json()["errors"][0]["field"] == field, refused.json()
    assert decide(api_bob, item, action="launch").status_code == 400
    reject = decide(api_bob, item, action="reject")
    assert reject.json()["errors"] == [
        {"field": "comment", "message": "a rejection needs a reason"}
    ]
    item.refresh_from_db()
    assert item.status == "pending"


def test_a_response_goes_back_to_the_run_as_an_instruction(alice, bob, api_bob, engine_settings):
    run, item = waiting_item(alice, gate("bob"))
    responded = decide(api_bob, item, action="respond", comment="Mention the currency.")
    assert responded.status_code == 200 and responded.json()["status"] == "responded"
    run = wait_for(run)

    assert run.status == "succeeded"
    assert (
        run.interventions[0]["text"] == "Mention the currency."
        and run.interventions[0]["by"] == "bob"
    )
    assert step(run, "review").output["response"] == "Mention the currency."
