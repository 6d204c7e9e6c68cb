"""Figure: an association imports a roadmap sheet of 500 recommendations, every row a draft with its event, in one
request (the Excel import's all-or-none transaction)."""

from services.roadmaps import sheet
from sori.exports import workbook
from sori.sheets import XLSX_MEDIA_TYPE
from sori_cli.bench.lifecycles import Pipeline
from sori_cli.bench.measure import Figure, Stopwatch
from sori_cli.stack.child import RunningStack

ROWS = 500
TEXT = "Rural families caring for a person with a disability have no day care within reach. "


def roadmap_sheet(rows: int) -> bytes:
    """The template filled in: new rows only (no id, code or status)."""
    texts = (
        {"title": f"Imported recommendation {n}", "problem_statement": TEXT * 3, "topics": ["social_services"]}
        for n in range(rows)
    )
    return workbook([("recommendations", sheet.rows({"id": "", "code": "", "status": "", "text": t} for t in texts))])


async def import_figure(stack: RunningStack, rows: int = ROWS) -> Figure:
    pipeline = Pipeline(stack)
    try:
        roadmap = await pipeline.roadmap()
        content = roadmap_sheet(rows)
        with Stopwatch() as watch:
            answer = await pipeline.lga.post(
                f"/roadmaps/v1/roadmaps/{roadmap}/sheet",
                files={"file": ("roadmap.xlsx", content, XLSX_MEDIA_TYPE)},
                timeout=300,
            )
        if answer.status_code != 200 or len(answer.json()["rows"]) != rows:
            raise RuntimeError(f"the import of {rows} rows was refused: {answer.status_code} {answer.text[:500]}")
    finally:
        await pipeline.close()
    return Figure(f"Excel import of {rows} recommendations", watch.seconds, "s", goal="< 60 s")
