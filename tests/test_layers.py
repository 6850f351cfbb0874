"""The import contract: the core never imports the terminal app or Textual.

Checked on the source, so a lazy import inside a function counts too. The
runtime side (no Textual in ``sys.modules`` after a CLI command) is in
tests/test_cli.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tracker"
UI = PACKAGE / "ui"
FORBIDDEN = ("textual", "tracker.ui", "rich")
"""Only the app draws: the core and the CLI print plain text."""
APP_ENTRY = PACKAGE / "launch.py"
"""The one place outside tracker/ui that may import it: the start of the app."""


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


CORE = sorted(p for p in PACKAGE.rglob("*.py") if UI not in p.parents)


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_core_never_imports_the_app(path: Path) -> None:
    allowed = {"tracker.ui.app"} if path == APP_ENTRY else set()
    bad = [
        f"{path.name}:{line}: imports {module}"
        for line, module in imported_modules(path)
        if module not in allowed and any(module == f or module.startswith(f + ".") for f in FORBIDDEN)
    ]
    assert bad == []


def test_the_contract_sees_imports() -> None:
    """The checker finds the app's Textual imports (so the test above can fail)."""
    modules = [module for _, module in imported_modules(UI / "app.py")]
    assert "textual.app" in modules
