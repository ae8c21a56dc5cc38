"""search_docs: BM25 over the sections of the Markdown files in BATON_DOCS_DIR."""

import os

import pytest

from demo import agents as demo

COORDINATOR_MD = """\
# The Coordinator

The Coordinator routes each query to the sub-agents connected to it.

## Timeouts

Every sub-agent call is limited by `sub_agent_timeout` (300 seconds by default). A run as a
whole is limited by `max_execution_time`.

## Failure handling

With `retry_once` a failed sub-agent is retried once. With `continue_partial` the run goes
on and synthesis names the failed agents.

```python
# Not a heading: a comment in a code block
print("hello")
```
"""

AGENTS_MD = """\
# Agents

## Writing descriptions

The description is the routing signal. Say what the agent does and what it does not do.

## Python agents

Only callables listed in the BATON_PYTHON_AGENTS allowlist can run.
"""


@pytest.fixture
def docs(tmp_path, settings):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "coordinator.md").write_text(COORDINATOR_MD)
    (folder / "agents.md").write_text(AGENTS_MD)
    (folder / "notes.bin").write_bytes(b"\x00timeout timeout timeout")
    settings.BATON_DOCS_DIR = folder
    return folder


def ask(query, history=None, **data):
    return demo.search_docs(
        {"query": query, "history": history or [], "input": data, "context": {}}
    )


def test_it_ranks_the_section_that_matches_the_query_first(docs):
    result = ask("How long is the sub-agent timeout?")
    top = result["rows"][0]
    assert (top["file"], top["heading"]) == ("coordinator.md", "Timeouts")
    assert "300 seconds" in top["excerpt"]
    assert result["rows"] == sorted(result["rows"], key=lambda r: -r["score"])
    assert "Timeouts" in result["text"] and "300 seconds" in result["text"]
    assert result["sources"][0] == "coordinator.md#timeouts"
    assert 0 < result["confidence"] <= 1


def test_it_returns_at_most_three_sections(docs):
    result = ask("agent coordinator description failed timeout allowlist")
    assert 1 <= len(result["rows"]) <= 3
    assert set(result["rows"][0]) == {"file", "heading", "score", "excerpt"}


def test_it_strips_markdown_from_excerpts(docs):
    excerpt = ask("sub_agent_timeout")["rows"][0]["excerpt"]
    assert "sub_agent_timeout" in excerpt
    assert "`" not in excerpt


def test_it_finds_the_allowlist_section(docs):
    result = ask("which callables may python agents run?")
    assert result["rows"][0]["heading"] == "Python agents"


def test_it_reads_a_short_follow_up_with_the_previous_user_turn(docs):
    history = [
        {"role": "user", "content": "How do I write agent descriptions?"},
        {"role": "assistant", "content": "Say what the agent does."},
    ]
    with pytest.raises(ValueError, match="no searchable words"):
        ask("and what about it?")
    followed = ask("and what about it?", history)
    assert followed["rows"][0]["heading"] == "Writing descriptions"
    assert "follow-up" in followed["text"]


def test_a_full_question_does_not_borrow_from_history(docs):
    history = [{"role": "user", "content": "How do I write agent descriptions?"}]
    result = ask("What happens when a sub-agent call fails and is retried?", history)
    assert result["rows"][0]["heading"] == "Failure handling"
    assert "follow-up" not in result["text"]


def test_it_says_so_when_nothing_matches(docs):
    result = ask("kubernetes helm chart")
    assert result["rows"] == []
    assert result["confidence"] == 0.0
    assert "nothing" in result["text"]


def test_headings_inside_code_fences_are_not_sections(docs):
    index = demo.docs_index()
    headings = [s.heading for s in index.sections]
    assert "Not a heading: a comment in a code block" not in headings
    assert {"The Coordinator", "Timeouts", "Failure handling", "Python agents"} <= set(headings)


def test_a_heading_without_text_of_its_own_is_not_a_section(docs):
    assert "Agents" not in [s.heading for s in demo.docs_index().sections]


def test_only_markdown_and_text_files_are_indexed(docs):
    assert {s.file for s in demo.docs_index().sections} == {"coordinator.md", "agents.md"}


def test_the_index_is_cached_until_a_file_changes(docs):
    first = demo.docs_index()
    assert demo.docs_index() is first
    path = docs / "agents.md"
    path.write_text(AGENTS_MD + "\n## Kubernetes\n\nBaton does not ship a helm chart.\n")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    rebuilt = demo.docs_index()
    assert rebuilt is not first
    assert ask("kubernetes helm chart")["rows"][0]["heading"] == "Kubernetes"


def test_limit_chooses_how_many_sections(docs):
    assert len(ask("agent", limit=1)["rows"]) == 1
    with pytest.raises(ValueError, match="limit"):
        ask("agent", limit=0)


@pytest.mark.parametrize(
    "payload, message",
    [
        ("just a string", "payload must be an object"),
        ({"query": ""}, "needs a query"),
        ({"query": "the of and"}, "no searchable words"),
        ({"query": 42}, "query must be a string"),
        ({"query": "timeouts", "history": "nope"}, "history must be a list"),
        ({"query": "timeouts", "history": [{"role": "system", "content": "x"}]}, "history turn"),
        ({"query": "timeouts", "input": []}, "input must be an object"),
    ],
)
def test_it_rejects_bad_input_with_a_clear_message(docs, payload, message):
    with pytest.raises(ValueError, match=message):
        demo.search_docs(payload)


def test_a_missing_docs_folder_is_a_clear_error(tmp_path, settings):
    settings.BATON_DOCS_DIR = tmp_path / "nowhere"
    with pytest.raises(ValueError, match="does not exist"):
        ask("timeouts")


def test_it_answers_from_the_real_documentation():
    result = ask("What is the default sub_agent_timeout of the Coordinator?")
    assert result["rows"][0]["file"] == "coordinator.md"
    assert any("300" in row["excerpt"] for row in result["rows"])
