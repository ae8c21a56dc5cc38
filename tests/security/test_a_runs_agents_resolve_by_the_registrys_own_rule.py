"""A run resolves its agents with a hand-written query (coordinator/tenancy.py) for speed;
it must pick exactly what the registry's rule (AgentQuerySet.usable_by + ranked_for) picks,
for every user and slug: own first, then a team's, then shared with everyone, oldest first
in each tier, never another user's private agent, never a disabled one."""

import itertools

import pytest
from django.contrib.auth.models import Group, User

from canvas.models import Agent
from coordinator import tenancy

pytestmark = pytest.mark.django_db

SLUGS = ["alpha", "beta", "gamma", "delta"]


def world():
    names = ("ann", "ben", "cat", "dan", "eve", "fay")
    users = {name: User.objects.create_user(name) for name in names}
    red, blue = Group.objects.create(name="red"), Group.objects.create(name="blue")
    users["ann"].groups.add(red)
    users["ben"].groups.add(red, blue)
    users["cat"].groups.add(blue)
    # every slug gets agents in every tier, some disabled, in an order that puts a newer
    # agent of a better tier before an older one of a worse tier and vice versa
    homes = [
        {"owner": users["ann"]},
        {"owner": users["ben"], "team": red},
        {"owner": users["cat"], "team": blue},
        {"owner": None, "shared_with_all_teams": True},
        {"owner": users["dan"]},
        {"owner": users["eve"], "team": blue},
        {"owner": users["fay"], "shared_with_all_teams": True},
    ]
    for index, (slug, home) in enumerate(itertools.product(SLUGS, homes)):
        if (index * 7) % 5 == 0 and slug != "alpha":
            continue  # not every slug has every tier
        Agent.objects.create(
            slug=slug,
            name=f"{slug} {index}",
            description="Answers questions.",
            enabled=index % 4 != 1,
            **home,
        )
    return users


def test_every_user_gets_the_agent_the_registry_ranks_first_for_each_slug():
    users = world()
    for user in users.values():
        for count in range(1, len(SLUGS) + 1):
            for slugs in itertools.combinations(SLUGS, count):
                expected = Agent.objects.filter(enabled=True).resolve_many(user, slugs)
                found = tenancy._resolve_enabled(user.pk, slugs)
                assert {s: a.pk for s, a in found.items()} == {
                    s: a.pk for s, a in expected.items()
                }, (user.username, slugs)


def test_a_user_with_no_team_and_no_agents_gets_only_what_is_shared_with_everyone():
    world()
    loner = User.objects.create_user("loner")
    found = tenancy._resolve_enabled(loner.pk, SLUGS)
    assert found, "the world shares some enabled agents with everyone"
    assert all(a.shared_with_all_teams and a.enabled for a in found.values())
