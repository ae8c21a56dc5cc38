"""context_policy mode "summary": the earlier turns become one extractive summary turn and
the last exchange is passed as it was."""

from types import SimpleNamespace

from coordinator.context import history_for

EARLIER = [
    {"role": "user", "content": "Our quarterly revenue grew by twelve percent in Europe."},
    {"role": "assistant", "content": "Noted: European revenue grew twelve percent this quarter."},
    {"role": "user", "content": "Shipping delays in Asia slowed three large customer orders."},
    {"role": "assistant", "content": "Understood, the Asian shipping delays held back orders."},
]
LAST = [
    {"role": "user", "content": "What should the board hear first?"},
    {"role": "assistant", "content": "Lead with the European growth."},
]


def test_the_earlier_turns_become_one_summary_and_the_last_exchange_stays():
    run = SimpleNamespace(history=EARLIER + LAST, interventions=[])
    history = history_for(run, {"mode": "summary"})
    assert history[1:] == LAST
    summary = history[0]
    assert summary["role"] == "system"
    assert summary["content"].startswith("Summary of the earlier conversation: ")
    assert "twelve percent" in summary["content"]


def test_a_short_conversation_is_passed_whole():
    run = SimpleNamespace(history=LAST, interventions=[])
    assert history_for(run, {"mode": "summary"}) == LAST
