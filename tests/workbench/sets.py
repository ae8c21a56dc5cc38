"""A small bench_routing document over the workbench registry."""

DOCUMENT = {
    "about": "Support routing",
    "agents": [
        {"slug": "billing", "name": "Billing", "description": "ignored: the registry's wins"},
        {"slug": "weather", "name": "Weather", "description": "ignored"},
        {"slug": "handbook", "name": "Handbook", "description": "ignored"},
    ],
    "cases": [
        {
            "query": "Why was I charged twice on my last bill?",
            "level": "LOW",
            "agents": ["billing"],
        },
        {"query": "Will it rain in Oslo tomorrow?", "level": "LOW", "agents": ["weather"]},
        {
            "query": "What does the handbook say about remote work?",
            "level": "LOW",
            "agents": ["handbook"],
        },
        {"query": "Book me a haircut on Saturday", "level": "NONE", "agents": []},
    ],
}
