"""The report as one self-contained HTML page: inline CSS, an SVG chart, nothing fetched."""

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.progress.reports.layout import ReportDocument

TEMPLATES = Path(__file__).parent / "templates"


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2"]), trim_blocks=False, auto_reload=False
    )


def render_html(document: ReportDocument) -> bytes:
    return _environment().get_template("report.html.j2").render(doc=document).encode()
