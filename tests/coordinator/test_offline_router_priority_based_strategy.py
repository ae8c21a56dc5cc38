"""priority_based picks the highest-priority agent among the capable ones."""

from coordinator.offline.router import AgentProfile, route


def agents(primary=1, backup=5):
    return [
        AgentProfile(
            "sql-main",
            "SQL Analyst",
            "Runs SQL queries against the data warehouse tables.",
            priority=primary,
        ),
        AgentProfile(
            "sql-backup",
            "SQL Analyst (backup)",
            "Runs SQL queries against the data warehouse tables.",
            priority=backup,
        ),
        AgentProfile("email", "Email Writer", "Drafts and sends emails.", priority=100),
    ]


def test_it_picks_the_highest_priority_capable_agent():
    assert route("run a sql query on the orders table", agents(1, 5), "priority_based").agents == [
        "sql-backup"
    ]
    assert route("run a sql query on the orders table", agents(9, 5), "priority_based").agents == [
        "sql-main"
    ]


def test_a_high_priority_agent_that_is_not_capable_is_not_picked():
    decision = route("run a sql query on the orders table", agents(), "priority_based")
    assert "email" not in decision.agents


def test_capability_based_ignores_priority_and_takes_the_best_score():
    decision = route("run a sql query on the orders table", agents(1, 5), "capability_based")
    assert decision.agents == ["sql-main"]  # the name matches better; priority plays no part
