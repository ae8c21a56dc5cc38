"""extract_document reads one file inside docs/; publish_summary writes inside MEDIA_ROOT."""

import pytest

from demo import agents as demo

GUIDE = """\
# Getting started

Install Baton with **pip** and run `make run`. See [the canvas](canvas.md).

## Load the demo

| command | does |
|---|---|
| `seed_demo` | creates the demo |

```bash
python manage.py seed_demo
```
"""


@pytest.fixture
def docs(tmp_path, settings):
    folder = tmp_path / "docs"
    (folder / "guides").mkdir(parents=True)
    (folder / "getting-started.md").write_text(GUIDE)
    (folder / "guides" / "plain.txt").write_text("Just words here.")
    (tmp_path / "secret.md").write_text("# Secret\n\nDo not read.")
    settings.BATON_DOCS_DIR = folder
    return folder


@pytest.fixture
def media(tmp_path, settings):
    folder = tmp_path / "media"
    settings.MEDIA_ROOT = folder
    return folder


def extract(document_id):
    return demo.extract_document({"query": "", "input": {"document_id": document_id}})


def publish(**data):
    return demo.publish_summary({"query": "", "history": [], "input": data, "context": {}})


def test_it_extracts_plain_text_title_headings_and_word_count(docs):
    result = extract("getting-started.md")
    assert result["title"] == "Getting started"
    assert result["headings"] == ["Getting started", "Load the demo"]
    text = result["text"]
    assert "Install Baton with pip and run make run. See the canvas." in text
    assert "python manage.py seed_demo" in text
    assert "seed_demo; creates the demo." in text
    for markup in ("**", "`", "](", "|", "#", "---"):
        assert markup not in text
    assert 20 <= result["word_count"] <= 30


def test_the_md_suffix_may_be_left_out(docs):
    assert extract("getting-started")["title"] == "Getting started"


def test_it_reads_text_files_in_sub_folders(docs):
    result = extract("guides/plain.txt")
    assert result["text"] == "Just words here."
    assert result["title"] == "Plain"
    assert result["headings"] == []


@pytest.mark.parametrize(
    "document_id",
    ["../secret.md", "guides/../../secret.md", "/etc/passwd", "..\\secret.md", "C:/x.md"],
)
def test_it_refuses_paths_outside_docs(docs, document_id):
    with pytest.raises(ValueError, match="inside docs/"):
        extract(document_id)


def test_it_refuses_a_symlink_that_leads_out_of_docs(docs, tmp_path):
    (docs / "escape.md").symlink_to(tmp_path / "secret.md")
    with pytest.raises(ValueError, match="inside docs/"):
        extract("escape.md")


def test_it_refuses_other_file_types(docs):
    with pytest.raises(ValueError, match="only"):
        extract("image.png")


def test_a_missing_document_names_the_available_ones(docs):
    with pytest.raises(ValueError, match="getting-started.md"):
        extract("nope.md")


def test_a_document_id_is_required(docs):
    with pytest.raises(ValueError, match="document_id is required"):
        extract("")


def test_it_publishes_the_summary_under_media_published(media):
    result = publish(summary="Baton routes queries.", title="Coordinator Guide")
    path = media / "published" / "coordinator-guide.md"
    assert result["path"] == "published/coordinator-guide.md"
    assert path.read_text() == "# Coordinator Guide\n\nBaton routes queries.\n"
    assert result["bytes"] == path.stat().st_size
    assert "published/coordinator-guide.md" in result["text"]


def test_publishing_the_same_title_again_replaces_the_file(media):
    publish(summary="First.", title="Notes")
    publish(summary="Second.", title="Notes")
    files = list((media / "published").iterdir())
    assert [f.name for f in files] == ["notes.md"]
    assert "Second." in files[0].read_text()


def test_a_hostile_title_cannot_escape_the_media_folder(media, tmp_path):
    result = publish(summary="x", title="../../etc/passwd")
    assert result["path"] == "published/etcpasswd.md"
    assert (media / "published" / "etcpasswd.md").exists()
    assert not (tmp_path / "etc").exists()


def test_a_title_without_letters_becomes_summary(media):
    assert publish(summary="x", title="???")["path"] == "published/summary.md"
    assert publish(summary="x")["path"] == "published/summary.md"


def test_it_refuses_a_published_folder_that_links_elsewhere(media, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    media.mkdir()
    (media / "published").symlink_to(outside)
    with pytest.raises(ValueError, match="outside the media directory"):
        publish(summary="x", title="t")
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize(
    "data, message",
    [({}, "input.summary is required"), ({"summary": "  "}, "empty"), ({"summary": 3}, "string")],
)
def test_it_rejects_a_missing_summary(media, data, message):
    with pytest.raises(ValueError, match=message):
        publish(**data)
