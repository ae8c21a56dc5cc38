"""truncate_history keeps the latest turns that fit, always keeping the latest user turn."""

from coordinator.llm import count_tokens, truncate_history


def turn(role, words):
    return {"role": role, "content": " ".join(f"w{i}" for i in range(words))}


def test_it_keeps_the_most_recent_turns_that_fit():
    history = [
        turn("user", 40),
        turn("assistant", 40),
        turn("user", 10),
        turn("assistant", 10),
        turn("user", 10),
    ]
    kept = truncate_history(history, 60, None)
    assert kept == history[2:]
    assert count_tokens(kept, None) <= 60


def test_it_returns_everything_when_it_all_fits():
    history = [turn("user", 3), turn("assistant", 3)]
    assert truncate_history(history, 1000, None) == history


def test_it_keeps_a_contiguous_suffix():
    history = [turn("user", 2), turn("assistant", 200), turn("user", 5)]
    assert truncate_history(history, 50, None) == [history[2]]


def test_it_cuts_an_oversized_latest_user_turn_from_the_start():
    long_turn = {"role": "user", "content": "start " + "filler " * 500 + "the actual question?"}
    kept = truncate_history([turn("assistant", 5), long_turn], 40, None)
    assert len(kept) == 1
    assert kept[0]["role"] == "user"
    assert kept[0]["content"].endswith("the actual question?")
    assert not kept[0]["content"].startswith("start")
    assert count_tokens(kept, None) <= 40


def test_it_keeps_the_latest_user_turn_even_if_an_assistant_turn_follows():
    history = [turn("user", 5), turn("assistant", 500)]
    assert truncate_history(history, 30, None) == [history[0]]


def test_it_does_not_modify_its_input():
    history = [{"role": "user", "content": "x " * 1000}]
    truncate_history(history, 10, None)
    assert history[0]["content"] == "x " * 1000


def test_it_works_with_a_real_tokenizer():
    history = [turn("user", 300), turn("assistant", 300), turn("user", 20)]
    kept = truncate_history(history, 200, "gpt-4o-mini")
    assert kept[-1] == history[-1]
    assert count_tokens(kept, "gpt-4o-mini") <= 200
