"""`manage.py bench_routing FILE.json` prints one JSON line of routing figures, with no
database."""

import json

import pytest
from django.core.management import CommandError, call_command

DATASET = {
    "agents": [
        {"slug": "weather", "name": "Weather", "description": "Weather forecasts for any city."},
        {"slug": "billing", "name": "Billing", "description": "Invoices, payments and refunds."},
        {
            "slug": "charts",
            "name": "Charts",
            "description": "Turns numbers into bar or line charts.",
        },
    ],
    "cases": [
        {"query": "Will it rain in Oslo?", "level": "LOW", "agents": ["weather"]},
        {"query": "Has ACME paid the invoice?", "level": "LOW", "agents": ["billing"]},
        {
            "query": "List unpaid invoices, then chart them",
            "level": "MEDIUM",
            "agents": ["billing", "charts"],
        },
        {"query": "Recommend a movie", "level": "LOW", "agents": []},
        {"query": "Bake me a cake", "level": "NONE", "agents": []},
    ],
}


@pytest.fixture
def dataset(tmp_path):
    path = tmp_path / "routing.json"
    path.write_text(json.dumps(DATASET))
    return path


def run(*args, capsys):
    call_command("bench_routing", *args)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


def test_it_prints_one_json_line_of_figures(dataset, capsys):
    out = run(str(dataset), capsys=capsys)
    assert out["cases"] == 5
    for key in (
        "level_accuracy",
        "agent_set_accuracy",
        "top1_accuracy",
        "none_accuracy",
        "p50_ms",
        "p95_ms",
    ):
        assert key in out
    assert out["level_accuracy"] == 1.0
    assert out["none_accuracy"] == 1.0  # an empty agents list means NONE, whatever "level" says
    assert "confusion" not in out


def test_verbose_adds_the_confusion_matrix_and_misses(dataset, capsys):
    out = run(str(dataset), "--verbose", capsys=capsys)
    assert out["confusion"]["NONE"] == {"NONE": 2}
    assert out["misses"] == []


def test_a_model_other_than_the_local_one_is_a_clear_error(dataset):
    with pytest.raises(CommandError, match="only 'baton/local'"):
        call_command("bench_routing", str(dataset), "--model", "openai/gpt-4o")


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("bench_routing", str(tmp_path / "nope.json"))
