"""The layering rules of ARCHITECTURE.md §3, checked on the import statements of the code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "pressroom"
DOMAINS = ["accounts", "notifications", "alerts", "organizations", "conferences", "questions", "answers",
           "reach", "publishing", "stats"]
FRAMEWORK_FILES = {"core/deps.py", "core/templating.py", "main.py", "routers.py"}
FRAMEWORK_SUFFIXES = ("pages.py", "api.py", "forms.py")
PRIVATE_MODULES = {"pages", "api", "forms"}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _files() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if "migrations/versions" not in p.as_posix())


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", _files(), ids=_rel)
def test_layering_rules_hold(path: Path) -> None:
    rel = _rel(path)
    top = rel.split("/")[0]
    problems: list[str] = []
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] in ("fastapi", "starlette") and not (
            rel in FRAMEWORK_FILES or rel.endswith(FRAMEWORK_SUFFIXES)
        ):
            problems.append(f"imports {name}: web framework outside the web layer")
        if parts[0] == "weasyprint" and rel != "publishing/pdf.py":
            problems.append("imports weasyprint outside publishing/pdf.py")
        if parts[0] != "pressroom" or len(parts) < 2:
            continue
        target = parts[1]
        if top in ("core", "search") and target in DOMAINS:
            problems.append(f"core/search imports the domain {target}")
        if top in DOMAINS and target in DOMAINS and target != top:
            if DOMAINS.index(target) > DOMAINS.index(top):
                problems.append(f"{top} imports the higher domain {target}")
            if len(parts) > 2 and parts[2] in PRIVATE_MODULES:
                problems.append(f"imports {name}: another domain's pages/api/forms")
    assert problems == [], f"{rel}: " + "; ".join(problems)


def test_clock_is_the_only_source_of_now() -> None:
    offenders = [
        _rel(p) for p in _files()
        if _rel(p) != "core/clock.py"
        and any(s in p.read_text(encoding="utf-8") for s in ("datetime.now(", "datetime.utcnow(",
                                                               "date.today("))
    ]
    assert offenders == []

