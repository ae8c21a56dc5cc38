"""What only the canvas says survives export → import: the begin node's greeting, the interact
node's message and format (nothing saved), inline sub-agent definitions, a delegated
sub-agent's query — and the text comes back the same."""

from canvas.canvas_yaml import canvas_from_yaml, canvas_to_yaml
from canvas.graph import compile_graph
from tests.canvas.graph_factory import begin, chain, edge, graph, node

INLINE = {"name": "Helper", "description": "Answers from the notes.", "kind": "llm"}


def canvas() -> dict:
    return graph(
        [
            begin("start", greeting="Hello!", conversation_mode="single_turn"),
            node("write", "sub_agent", {"inline": INLINE, "query": "Write it"}, label="Writer"),
            node("lead", "coordinator", {}, label="Lead"),
            node("docs", "sub_agent", {"agent": "search-docs", "query": "docs only"}, label="Docs"),
            node("reply", "interact", {"message": "Done.", "format": "json"}, label="Reply"),
        ],
        [*chain("start", "write", "lead", "reply"), edge("lead", "docs", "agents", "delegate")],
    )


def test_canvas_only_settings_come_back_and_the_text_is_stable():
    first = canvas_to_yaml(canvas(), "Notes")
    _plan, again = canvas_from_yaml(first)
    config = {n["id"]: n["data"]["config"] for n in again["nodes"]}
    labels = {n["id"]: n["data"]["label"] for n in again["nodes"]}
    assert config["start"]["greeting"] == "Hello!"
    assert config["start"]["conversation_mode"] == "single_turn"
    assert config["reply"] == {"message": "Done.", "format": "json"}
    assert config["write"]["inline"] == INLINE and config["write"]["agent"] is None
    assert config["docs"]["query"] == "docs only"
    assert labels == {
        "start": "",  # as it was (the factory leaves labels empty)
        "write": "Writer",
        "lead": "Lead",
        "docs": "Docs",
        "reply": "Reply",
    }
    assert compile_graph(again, "Notes") == compile_graph(canvas(), "Notes")
    assert canvas_to_yaml(again, "Notes") == first
