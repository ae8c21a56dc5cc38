"""The built-in offline model ``baton/local``: deterministic routing with no network.

``text`` turns text into stems and concepts; ``router`` decides complexity (phase 1) and
selects agents (phase 2). See docs/routing.md.
"""
