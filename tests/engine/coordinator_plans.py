"""Plans with one coordinator over the test agents."""

from tests.engine_helpers import make_agent


def register_team():
    make_agent(
        "sales",
        "Sales analytics: revenue, income and sales figures per region and quarter.",
        capabilities=["revenue", "sales"],
    )
    make_agent(
        "weather",
        "Weather forecasts: temperature, rain and wind for a city.",
        capabilities=["forecast"],
    )
    make_agent("echo", "Translates text between languages such as French and German.")


def coordinator_plan(**config) -> dict:
    return {
        "name": "coordinated",
        "steps": [
            {
                "id": "coord",
                "type": "coordinator",
                "agents": config.pop("agents", ["sales", "weather", "echo"]),
                "config": config,
            }
        ],
    }


# Eight independent asks for eight agents (bench/parallel.py's): one HIGH run, eight stages.
EIGHT_ASKS_AGENTS = {
    "weather": "Weather forecasts: temperature, rain and wind for a city.",
    "stocks": "Stock market quotes and share prices for listed companies.",
    "news": "News headlines and articles about current events.",
    "sales": "Sales analytics: revenue and income per region and quarter.",
    "calendar": "Calendar: meetings, appointments and schedules.",
    "shipping": "Shipment tracking: parcel delivery status and carriers.",
    "currency": "Currency exchange rates between world currencies.",
    "translate": "Translates text between languages such as French and German.",
}
EIGHT_ASKS = (
    "Give me the weather in Paris, the latest stock quotes, today's news headlines, our revenue "
    "by region, my meetings tomorrow, the delivery status of my parcel, the euro to dollar "
    "exchange rate, and translate hello into German"
)
