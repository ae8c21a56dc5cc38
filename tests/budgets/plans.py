"""Plans the budgets are measured on."""


def chain(steps: int) -> dict:
    """`steps` agent steps one after the other, each calling the zero-latency echo agent."""
    return {
        "name": "chain",
        "steps": [
            {"id": f"s{i}", "type": "agent", "agent": "echo"}
            | ({"depends_on": [f"s{i - 1}"]} if i else {})
            for i in range(steps)
        ],
    }
