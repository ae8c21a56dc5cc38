"""Example documents shared by tests of the API and the CLI."""

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "canvas" / "fixtures"

# The plan of docs/architecture.md, exactly as written there (three steps).
DESIGN_PLAN_YAML = (FIXTURES / "design_plan.yaml").read_text()
