"""axe-core on a page, and what it finds written so that a person can act on it."""

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

_axe = Axe()


def axe_findings(page: Page) -> list[dict[str, Any]]:
    """The violations axe finds on the page as it stands (every rule axe runs by default, WCAG and best practice)."""
    violations: list[dict[str, Any]] = _axe.run(page).response["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per rule broken and one per element that breaks it, with axe's own explanation."""
    lines = []
    for violation in violations:
        lines.append(f"* {violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"]:
            summary = " ".join(str(node.get("failureSummary", "")).split())
            lines.append(f"    {', '.join(map(str, node['target']))}: {summary}")
    return "\n".join(lines)
