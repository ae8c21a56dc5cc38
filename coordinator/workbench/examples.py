"""Example requests routing learns from: an agent's own, plus the queries of test-set cases
that expect that agent alone (an admin fixing a miss by labelling it teaches the router)."""

from __future__ import annotations

from collections.abc import Iterable

from coordinator.models import RoutingCase

MAX_LEARNED_PER_AGENT = 50


def learned_examples(
    slugs: Iterable[str], exclude_set_id: int | None = None
) -> dict[str, list[str]]:
    """slug → the queries of single-agent test cases expecting it (one query). A set being
    measured is excluded, so its accuracy is never measured on its own answers."""
    wanted = set(slugs)
    cases = RoutingCase.objects.all()
    if exclude_set_id is not None:
        cases = cases.exclude(test_set_id=exclude_set_id)
    out: dict[str, list[str]] = {}
    for query, expected in cases.values_list("query", "expected_agents").order_by("id"):
        if isinstance(expected, list) and len(expected) == 1 and expected[0] in wanted:
            bucket = out.setdefault(expected[0], [])
            if len(bucket) < MAX_LEARNED_PER_AGENT and query not in bucket:
                bucket.append(query)
    return out
