"""Our modules import each other at module level; a function-local import of our own code is
allowed only where a comment on its line or the line above says why (an import cycle it would
close, models loaded before the app registry is ready, a subcommand loaded only when used)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("canvas", "coordinator", "triggers", "demo")


def ours(module: str) -> bool:
    return module.split(".")[0] in PACKAGES


def imported_modules(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:  # relative: always one of ours
        return ["." * node.level + (node.module or "")]
    return [node.module or ""]


def unexplained_local_imports(path: Path) -> list[str]:
    """`file:line: module` for each function-local import of our modules with no comment on
    its line or the line above (a comment above a run of adjacent imports covers the run)."""
    source = path.read_text()
    lines = [""] + source.splitlines()  # 1-based
    found = []

    def says_why(comment: str) -> bool:
        """Words besides a linter or type-checker directive (noqa, type: ignore)."""
        return bool(
            re.sub(r"noqa(:\s*[\w, ]+)?|type:\s*ignore(\[[\w, -]+\])?|#", "", comment).strip()
        )

    def commented(lineno: int) -> bool:
        here, above = lines[lineno], lines[lineno - 1].strip()
        return ("#" in here and says_why(here[here.index("#") :])) or (
            above.startswith("#") and says_why(above)
        )

    def visit(body: list[ast.stmt], in_function: bool) -> None:
        explained = False  # the previous statement was an explained import ending just above
        previous_end = -1
        for statement in body:
            if isinstance(statement, (ast.Import, ast.ImportFrom)):
                explained = commented(statement.lineno) or (
                    explained and previous_end == statement.lineno - 1
                )
                modules = [m for m in imported_modules(statement) if m.startswith(".") or ours(m)]
                if in_function and modules and not explained:
                    found.append(
                        f"{path.relative_to(ROOT)}:{statement.lineno}: {', '.join(modules)}"
                    )
                previous_end = statement.end_lineno or statement.lineno
            else:
                explained = False
            inside = in_function or isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
            for field in ("body", "orelse", "finalbody"):
                visit(getattr(statement, field, []), inside)
            for clause in getattr(statement, "handlers", []) + getattr(statement, "cases", []):
                visit(clause.body, inside)

    visit(ast.parse(source, filename=str(path)).body, False)
    return found


def our_source_files() -> list[Path]:
    return sorted(
        p
        for package in PACKAGES
        for p in (ROOT / package).rglob("*.py")
        if "migrations" not in p.parts
    )


def test_every_function_local_import_of_our_modules_says_why():
    unexplained = [line for path in our_source_files() for line in unexplained_local_imports(path)]
    assert unexplained == [], (
        "function-local imports of our modules without a comment saying why:\n"
        + "\n".join(unexplained)
    )


def test_the_check_flags_a_bare_or_directive_only_local_import_and_accepts_a_reason(
    tmp_path, monkeypatch
):
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    module = tmp_path / "canvas" / "sample.py"
    module.parent.mkdir()
    module.write_text(
        "from coordinator import clock\n"
        "\n"
        "def bare():\n"
        "    from coordinator.models import Run\n"
        "\n"
        "def directive_only():\n"
        "    from coordinator.models import Run  # noqa: F401\n"
        "\n"
        "def explained():\n"
        "    # models: imported before the app registry is ready\n"
        "    from coordinator.models import Run\n"
        "    from canvas.models import Agent\n"
        "\n"
        "def nested():\n"
        "    if True:\n"
        "        from . import plan\n"
        "    import json\n"
    )
    assert unexplained_local_imports(module) == [
        "canvas/sample.py:4: coordinator.models",
        "canvas/sample.py:7: coordinator.models",
        "canvas/sample.py:16: .",
    ]
