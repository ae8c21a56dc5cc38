"""A later clause uses an earlier result only through words its own agent does not explain:
"the euro to dollar exchange rate" is the currency agent's own ask, even though its words also
score on a stock market's domain; "turn the revenue table into a line chart" still uses the
sales result."""

from coordinator.offline.router import AgentProfile, analyse_complexity

AGENTS = [
    AgentProfile("stocks", "Stocks", "Stock market quotes and share prices for listed companies."),
    AgentProfile("shipping", "Shipping", "Shipment tracking: parcel delivery status and carriers."),
    AgentProfile("currency", "Currency", "Currency exchange rates between world currencies."),
    AgentProfile("sales", "Sales", "Sales analytics: revenue and income per region and quarter."),
    AgentProfile("charts", "Charts", "Turns tables of numbers into bar or line charts."),
]


def test_a_list_of_asks_for_different_agents_runs_independently():
    result = analyse_complexity(
        "Give me the latest stock quotes, the delivery status of my parcel, "
        "and the euro to dollar exchange rate",
        AGENTS,
    )
    assert [a.agent for a in result.aspects] == ["stocks", "shipping", "currency"]
    assert [a.depends_on_previous for a in result.aspects] == [False, False, False]
    assert result.level == "HIGH"


def test_a_clause_about_an_earlier_agents_data_still_uses_its_result():
    result = analyse_complexity(
        "Report revenue by region, and turn the revenue table into a line chart", AGENTS
    )
    assert [a.agent for a in result.aspects] == ["sales", "charts"]
    assert result.aspects[1].depends_on_previous
