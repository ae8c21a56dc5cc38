"""The `ui:` section only says what a plan does not: every entry names a node the plan puts on
the canvas, and anything it cannot honour is refused with the field named."""

import pytest

from canvas.canvas_yaml import canvas_from_yaml
from canvas.errors import InvalidDocument

PLAN = """\
name: p
steps:
  - {id: lead, type: coordinator, agents: [web-search, summarizer]}
  - {id: tidy, type: transform, depends_on: [lead], output: done}
"""


def refused(ui: str) -> dict[str, str]:
    with pytest.raises(InvalidDocument) as caught:
        canvas_from_yaml(PLAN + ui)
    return {p.field: p.message for p in caught.value.problems}


def test_entries_rename_relabel_and_place_the_nodes_the_plan_makes():
    _plan, graph = canvas_from_yaml(
        PLAN + "ui:\n  viewport: {x: 5, y: 6, zoom: 0.5}\n  nodes:\n"
        "    start: {type: begin, label: Start, x: 1, y: 2}\n"
        "    web: {type: sub_agent, coordinator: lead, agent: web-search, label: Web, x: 3, y: 4}\n"
        "    reply: {type: interact, config: {message: Done!}}\n"
    )
    by_id = {n["id"]: n for n in graph["nodes"]}
    assert [n["id"] for n in graph["nodes"]][:3] == ["start", "web", "reply"]  # ui order first
    assert by_id["start"]["data"]["label"] == "Start"
    assert by_id["start"]["position"] == {"x": 1, "y": 2}
    assert by_id["web"]["data"]["label"] == "Web"
    assert by_id["reply"]["data"]["config"]["message"] == "Done!"
    assert graph["viewport"] == {"x": 5, "y": 6, "zoom": 0.5}
    assert {(e["source"], e["target"]) for e in graph["edges"]} >= {
        ("lead", "web"),
        ("tidy", "reply"),
    }
    placed_bottom = max(by_id[n]["position"]["y"] for n in ("start", "web"))
    assert by_id["tidy"]["position"]["y"] > placed_bottom  # unplaced nodes go below the placed


def test_a_plan_without_a_ui_section_has_no_viewport_so_the_editor_fits_it():
    _plan, graph = canvas_from_yaml(PLAN)
    assert "viewport" not in graph


def test_an_entry_for_a_step_the_plan_does_not_have_is_refused():
    assert "no step 'gone'" in refused("ui:\n  nodes:\n    gone: {x: 1, y: 2}\n")["ui.nodes.gone"]


def test_a_step_label_belongs_in_its_name():
    problems = refused("ui:\n  nodes:\n    tidy: {label: Tidy}\n")
    assert "set `name` on the step" in problems["ui.nodes.tidy.label"]


def test_an_unknown_sub_agent_is_refused():
    problems = refused(
        "ui:\n  nodes:\n    x: {type: sub_agent, coordinator: lead, agent: writer}\n"
    )
    assert "no coordinator step 'lead' with agent 'writer'" in problems["ui.nodes.x"]


def test_settings_the_plan_carries_cannot_be_overridden():
    problems = refused("ui:\n  nodes:\n    tidy: {config: {output: other}}\n")
    assert "what the plan says is written in its steps" in problems["ui.nodes.tidy.config.output"]


def test_a_new_id_may_not_take_a_step_id():
    problems = refused("ui:\n  nodes:\n    tidy: {type: begin}\n")
    assert "already the id of another node" in problems["ui.nodes.tidy"]


def test_invalid_values_name_their_field():
    problems = refused(
        "ui:\n  viewport: {x: 0, y: 0, zoom: 0}\n  nodes:\n"
        "    start: {type: begin, x: 1}\n    reply: {type: interact, config: {format: yaml}}\n"
    )
    assert "ui.viewport.zoom" in problems
    assert "give both x and y" in problems["ui.nodes.start"]
