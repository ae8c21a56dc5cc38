"""keyword_trends: a term-frequency table over the docs sections about a topic."""

import pytest

from demo import agents as demo


@pytest.fixture
def docs(tmp_path, settings):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "approvals.md").write_text(
        "# Approvals\n\n"
        "An approval waits for a reviewer. The reviewer decides in the inbox. "
        "Reviewers see the inbox live. A deadline applies to every reviewer.\n"
    )
    (folder / "canvas.md").write_text(
        "# Canvas\n\nNodes and edges. Nodes have handles; edges connect handles of nodes.\n"
    )
    settings.BATON_DOCS_DIR = folder
    return folder


def trends(query, **data):
    return demo.keyword_trends({"query": query, "history": [], "input": data, "context": {}})


def test_it_counts_terms_in_the_sections_about_the_topic(docs):
    result = trends("keyword trends about approvals")
    rows = result["rows"]
    assert rows[0] == {"term": "reviewer", "count": 4, "files": 1}
    assert {"term": "inbox", "count": 2, "files": 1} in rows
    assert all(r["term"] not in {"nodes", "edges"} for r in rows)  # other topics stay out
    assert all(r["term"] not in {"approval", "approvals"} for r in rows)  # the topic itself
    assert result["rows"] == sorted(rows, key=lambda r: -r["count"])
    assert "reviewer (4)" in result["text"]
    assert result["sources"] == ["approvals.md"]


def test_without_a_topic_it_counts_over_all_documents(docs):
    rows = trends("most common keywords")["rows"]
    terms = {r["term"]: r["count"] for r in rows}
    assert terms["nodes"] == 3
    assert terms["reviewer"] == 4


def test_top_limits_the_table(docs):
    assert len(trends("keywords", top=2)["rows"]) == 2
    with pytest.raises(ValueError, match="top"):
        trends("keywords", top=0)


def test_an_unknown_topic_gives_an_empty_table(docs):
    result = trends("kubernetes")
    assert result["rows"] == []
    assert result["confidence"] == 0.0
