"""Plans with one coordinator over the test agents."""

from bench.parallel import AGENTS as EIGHT_ASKS_AGENTS
from bench.parallel import QUERY as EIGHT_ASKS
from tests.engine_helpers import make_agent

# EIGHT_ASKS: eight independent asks for eight agents, the parallel benchmark's own, so the
# tests prove that what the benchmark times is one HIGH run of eight parallel stages.
__all__ = ["EIGHT_ASKS", "EIGHT_ASKS_AGENTS", "coordinator_plan", "register_team"]


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
