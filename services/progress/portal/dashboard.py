"""The regional dashboard: progress' own projections, read in-process, drawn as SVG charts with their data."""

from fastapi import APIRouter, Response

from contracts.lifecycle import RecommendationStatus
from services.progress.dashboard_cache import DashboardsDep, Filters
from services.progress.portal import labels
from services.progress.portal.charts import BarChart, bar_chart
from services.progress.portal.pages import Page, SignedIn
from services.progress.portal.places import place_names
from services.progress.portal.route import PortalRoute
from services.progress.schemas import Dashboard, Funnel
from sori.i18n import Formats

router = APIRouter(route_class=PortalRoute, include_in_schema=False)


def _status_chart(page: Page, totals: Funnel, fmt: Formats) -> BarChart:
    counts = [(page.gettext(labels.STATUSES[s.value]), totals.by_status.get(s, 0)) for s in RecommendationStatus]
    return bar_chart(
        "funnel",
        page.gettext("Recommendations by status"),
        page.gettext("How many recommendations are in each status of the lifecycle, from drafted to verified."),
        [(label, n, fmt.number(n)) for label, n in counts],
    )


def _share_chart(page: Page, key: str, title: str, funnels: list[Funnel], fmt: Formats) -> BarChart:
    return bar_chart(
        key,
        title,
        page.gettext("The share of each group's recommendations that are implemented or verified."),
        [(f.key, f.implemented_percent, fmt.percent(f.implemented_percent / 100)) for f in funnels],
        scale=100,
    )


def charts(page: Page, board: Dashboard, fmt: Formats) -> dict[str, BarChart]:
    people = board.participants
    approaches = board.social_approaches
    gettext = page.gettext
    return {
        "funnel": _status_chart(page, board.totals, fmt),
        "implementation": bar_chart(
            "implementation",
            gettext("Implemented and verified"),
            gettext("The share of all recommendations that are implemented or verified, and verified alone."),
            [
                (
                    gettext("Implemented or verified"),
                    board.totals.implemented_percent,
                    fmt.percent(board.totals.implemented_percent / 100),
                ),
                (gettext("Verified"), board.totals.verified_percent, fmt.percent(board.totals.verified_percent / 100)),
            ],
            scale=100,
        ),
        "programme": _share_chart(
            page, "by-programme", gettext("Implemented or verified, by programme"), board.by_programme, fmt
        ),
        "economy": _share_chart(
            page, "by-economy", gettext("Implemented or verified, by economy"), board.by_economy, fmt
        ),
        "association": _share_chart(
            page, "by-association", gettext("Implemented or verified, by association"), board.by_association, fmt
        ),
        "sex": bar_chart(
            "sex",
            gettext("Participants by sex"),
            gettext("Participants of every action of the working group, by sex."),
            [(gettext(labels.SEXES.get(k, k)), n, fmt.number(n)) for k, n in people.by_sex.items()],
        ),
        "organisation": bar_chart(
            "organisation",
            gettext("Participants by organisation type"),
            gettext("Participants of every action of the working group, by the type of their organisation."),
            [
                (gettext(labels.ORGANISATION_TYPES.get(k, k)), n, fmt.number(n))
                for k, n in people.by_organisation_type.items()
            ],
        ),
        "women": bar_chart(
            "women",
            gettext("Women-and-girls marker against the target"),
            gettext(
                "The share of social approaches that carry the women-and-girls marker; the dashed line is the target."
            ),
            [(gettext("Marked approaches"), approaches.marked_percent, fmt.percent(approaches.marked_percent / 100))],
            scale=100,
            target=approaches.target_percent,
            target_label=fmt.percent(approaches.target_percent / 100),
        ),
    }


@router.get("/")
async def dashboard(
    page: SignedIn,
    dashboards: DashboardsDep,
    programme: str | None = None,
    economy: str | None = None,
    association: str | None = None,
) -> Response:
    everything = await dashboards.read(Filters())
    board = await dashboards.read(Filters(programme or None, economy or None, association or None))
    places = await place_names(page.api)
    fmt = Formats(page.lang)
    chosen = {"programme": board.programme, "economy": board.economy, "association": board.association}
    filters = {name: value for name, value in chosen.items() if value}
    return page.render(
        "dashboard.html",
        board=board,
        everything=everything,
        charts=charts(page, board, fmt),
        filters=filters,
        places=places,
    )
