"""One error shape for documents (graphs, plans, YAML): a list of located problems."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal


@dataclass(frozen=True)
class Problem:
    message: str
    field: str = ""
    node: str | None = None
    edge: str | None = None
    severity: Literal["error", "warning"] = "error"

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


class InvalidDocument(ValueError):
    """Raised with every problem found, never just the first."""

    def __init__(self, problems: list[Problem], summary: str = "Invalid document."):
        super().__init__(summary)
        self.summary = summary
        self.problems = problems

    def as_dict(self) -> dict:
        return {"detail": self.summary, "errors": [p.as_dict() for p in self.problems]}


def errors_only(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
