"""summarize_text: extractive summary by term frequency and position."""

import pytest

from demo import agents as demo

ARTICLE = """\
# Release notes

Baton coordinates sub-agents from a canvas. The Coordinator selects sub-agents by their
descriptions and runs them on the engine. The weather was pleasant on the day of the
release. Sub-agents receive the conversation history, so the Coordinator resolves
follow-up questions. Lunch was served at noon. The engine records every sub-agent run in
the database, and the Coordinator synthesises one answer from the sub-agents' outputs.
"""


def summarize(text=None, query="", **extra):
    data = {"text": text, **extra} if text is not None else extra
    return demo.summarize_text({"query": query, "history": [], "input": data, "context": {}})


def test_it_keeps_the_central_sentences_in_their_original_order():
    result = summarize(ARTICLE, max_sentences=3)
    summary = result["summary"]
    assert summary.startswith("Baton coordinates sub-agents from a canvas.")
    assert "weather" not in summary and "Lunch" not in summary
    assert len(result["key_points"]) == 3
    flat = " ".join(ARTICLE.split())
    in_order = sorted(result["key_points"], key=lambda point: flat.index(point))
    assert summary == " ".join(in_order)
    assert result["text"] == summary


def test_it_strips_markdown_before_summarising():
    result = summarize(
        "# Title\n\nThe **Coordinator** routes `queries` to [agents](agents.md) well."
    )
    assert result["summary"] == "The Coordinator routes queries to agents well."


def test_it_summarises_the_query_when_there_is_no_text():
    result = summarize(query="Baton runs agents. Baton routes queries to agents by description.")
    assert "Baton" in result["summary"]
    assert result["word_count"] == 10


def test_a_short_text_is_its_own_summary():
    text = "The Coordinator plans the work and runs it."
    assert summarize(text)["summary"] == text


def test_near_duplicate_sentences_are_not_both_chosen():
    text = (
        "The Coordinator routes queries to sub-agents by description. "
        "The Coordinator routes queries to sub-agents by their description. "
        "Approvals pause a run until a reviewer decides."
    )
    summary = summarize(text, max_sentences=2)["summary"]
    assert summary.count("routes queries") == 1
    assert "Approvals" in summary


def test_the_query_focuses_the_summary_on_its_terms():
    text = (
        "Baton stores canvases as versions. Every save creates a version. "
        "Approvals wait for a reviewer in the inbox. Versions are immutable once saved."
    )
    result = summarize(text, query="reviewer inbox approvals", max_sentences=1)
    assert result["summary"] == "Approvals wait for a reviewer in the inbox."


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "needs input.text"),
        ({"text": 12}, "input.text must be a string"),
        ({"text": "Some text here.", "max_sentences": 0}, "max_sentences"),
        ({"text": "Some text here.", "max_sentences": "3"}, "max_sentences"),
    ],
)
def test_it_rejects_bad_input(data, message):
    with pytest.raises(ValueError, match=message):
        demo.summarize_text({"query": "", "input": data})


def test_without_input_text_it_summarises_the_steps_it_depends_on():
    payload = {
        "query": "summarize what you found",
        "history": [],
        "input": {},
        "context": {"search": {"text": ARTICLE, "sources": ["x.md"]}},
    }
    summary = demo.summarize_text(payload)["summary"]
    assert "Coordinator" in summary and "summarize what you found" not in summary
