"""Each sub-agent receives the conversation history the coordinator's context policy allows
(full, last N turns, none), plus every intervention made so far."""

import pytest

from coordinator import engine
from tests.engine.coordinator_plans import coordinator_plan
from tests.engine_helpers import make_agent, start, step, wait_for, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

TRANSLATE = "Translates text between languages such as French and German."
HISTORY = [
    {"role": "user", "content": "What is 'hello' in French?"},
    {"role": "assistant", "content": "Bonjour."},
    {"role": "user", "content": "And in German?"},
    {"role": "assistant", "content": "Hallo."},
    {"role": "user", "content": "And 'goodbye'?"},
    {"role": "assistant", "content": ""},  # empty turns are dropped
]
QUERY = "Translate 'thank you' into German"


def history_seen(alice, **policy) -> list[dict]:
    make_agent("translator", TRANSLATE, fn="echo")
    run = wait_for(
        start(
            alice,
            coordinator_plan(agents=["translator"], context_policy=policy, enable_reflection=False),
            query=QUERY,
            history=HISTORY,
        )
    )
    assert run.status == "succeeded", run.error
    return step(run, "coord.s1-translator").output["history"]


def test_full_history_passes_every_non_empty_turn(alice, engine_settings):
    assert history_seen(alice, mode="full") == HISTORY[:5]


def test_last_n_keeps_the_last_n_exchanges(alice, engine_settings):
    assert history_seen(alice, mode="last_n", last_n=1) == HISTORY[3:5]


def test_none_passes_no_history(alice, engine_settings):
    assert history_seen(alice, mode="none") == []


def test_max_tokens_keeps_the_newest_turns_that_fit(alice, engine_settings):
    long_history = [
        {"role": "user" if i % 2 == 0 else "assistant", "content": f"turn {i} " + "word " * 100}
        for i in range(9)
    ]  # ends with a user turn
    make_agent("translator", TRANSLATE, fn="echo")
    run = wait_for(
        start(
            alice,
            coordinator_plan(
                agents=["translator"],
                enable_reflection=False,
                context_policy={"mode": "full", "max_tokens": 256},
            ),
            query=QUERY,
            history=long_history,
        )
    )

    seen = step(run, "coord.s1-translator").output["history"]
    assert 1 <= len(seen) < len(long_history)
    assert seen == long_history[-len(seen) :]  # the newest turns, in order


def test_interventions_reach_later_sub_agents_whatever_the_policy(alice, engine_settings):
    make_agent("translator", TRANSLATE, fn="echo")
    plan = coordinator_plan(
        agents=["translator"], context_policy={"mode": "none"}, enable_reflection=False
    )
    plan["steps"].insert(0, {"id": "hold", "type": "wait", "event": "go"})
    plan["steps"][1]["depends_on"] = ["hold"]
    run = start(alice, plan, query=QUERY, history=HISTORY)
    wait_until(lambda: step(run, "hold").status == "waiting", what="the hold")

    engine.intervene(run, "Use the formal register.", alice)
    engine.signal(run, "go")
    run = wait_for(run)

    assert run.status == "succeeded", run.error
    assert step(run, "coord.s1-translator").output["history"] == [
        {"role": "user", "content": "[Intervention from alice] Use the formal register."}
    ]
