"""Figures the security tests gather, printed in pytest's terminal summary (see conftest.py)."""

SUMMARY: list[str] = []


def note(line: str) -> None:
    """Keep a one-line figure for the terminal summary, and print it for runs with `-s`."""
    SUMMARY.append(line)
    print(line)
