"""count_tokens works offline: bundled tokenizers for real models, an estimate for baton/local."""

import socket
import subprocess
import sys
from pathlib import Path

from coordinator.llm import Usage, count_tokens, estimate_tokens

ROOT = Path(__file__).resolve().parents[2]


def test_it_estimates_for_baton_local_and_no_model():
    assert count_tokens("a b c d", "baton/local") == 4
    assert count_tokens("x" * 400, None) == 100
    assert (
        count_tokens([{"role": "user", "content": "one two"}], None)
        == estimate_tokens("one two") + 4
    )


def test_it_counts_with_the_bundled_tokenizer_for_real_models():
    assert count_tokens("hello world", "gpt-4o") == 2
    assert count_tokens([{"role": "user", "content": "hello world"}], "openai/gpt-4o-mini") > 2


def test_it_never_downloads_a_tokenizer(monkeypatch):
    # llama/cohere names would make litellm fetch Hugging Face tokenizers (and retry for
    # ~20 s without network); the bundled encoding is used instead: nothing is even tried.
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert count_tokens("hello world", "ollama/llama-3-70b") > 0
    assert count_tokens("hello world", "huggingface/meta-llama/Llama-2-7b") > 0
    assert attempts == []


def test_it_works_with_the_network_unreachable():
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network disabled in this test')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "from coordinator.llm import count_tokens\n"
        "print(count_tokens('hello world', 'gpt-4o'), count_tokens('hi there', 'claude-sonnet-4-5'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["2", "2"]


def test_usage_adds_up():
    total = Usage(10, 5, 0.01) + Usage(1, 2, 0.02)
    assert (total.prompt_tokens, total.completion_tokens) == (11, 7)
    assert abs(total.cost_usd - 0.03) < 1e-9
    assert sum([Usage(1, 1), Usage(2, 2)]) == Usage(3, 3)
    assert total.total_tokens == 18
