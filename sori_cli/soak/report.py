"""The soak's figures and verdict, as printed at the end."""

import statistics
from collections import Counter

from sori_cli.soak.chaos import Chaos
from sori_cli.soak.journal import Journal
from sori_cli.soak.reconcile import Check

EXAMPLES = 3


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in sorted(counter.items())) or "none"


def render(journal: Journal, chaos: Chaos | None, checks: list[Check], seed: int, redelivered: int) -> str:
    faults, hit = (chaos.injected, chaos.hit) if chaos else (Counter[str](), Counter[str]())
    healed = sorted(chaos.healed_after) if chaos else []
    outcomes = journal.outcomes()
    duplicates, invalid = sum(c.duplicate for c in journal.commands), sum(c.invalid for c in journal.commands)
    lines = [
        f"commands sent: {len(journal.commands)} "
        f"({', '.join(f'{outcome.value} {n}' for outcome, n in sorted(outcomes.items()))})",
        f"  by kind: {_counts(journal.sent_by_kind())}",
        f"  duplicates {duplicates}, invalid {invalid}",
        f"faults injected: {_counts(faults)}",
        f"  parts hit: {_counts(hit)}",
        f"  ready again after: median {statistics.median(healed):.0f}s, longest {healed[-1]:.0f}s" if healed else "",
        f"events delivered again after driving: {redelivered}",
        "invariants:",
    ]
    for check in checks:
        mark = "✗" if check.violations else "✓"
        broken = f", {len(check.violations)} VIOLATED" if check.violations else ""
        lines.append(f"  {mark} {check.name}: {check.checked} checked{broken}")
        lines += [f"      e.g. {example}" for example in check.violations[:EXAMPLES]]
    violations = sum(len(c.violations) for c in checks)
    lines.append(f"{len(checks)} invariants, {violations} violations; seed {seed}")
    return "\n".join(line for line in lines if line)
