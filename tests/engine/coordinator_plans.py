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
