"""The security tier: fuzzing every service's OpenAPI, the authorization matrix, uploads and secrets."""

import pytest

from tests.security.report import SUMMARY


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The figures each security test gathered (cases per service, matrix size, escapes), shown without `-s`."""
    if SUMMARY:
        terminalreporter.section("security figures")
        for line in SUMMARY:
            terminalreporter.write_line(line)
