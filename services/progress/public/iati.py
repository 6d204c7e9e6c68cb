"""The IATI 2.03 activity file of the public side: each programme a parent activity, each association's roadmap in
it a child activity, whose results are its public recommendations' indicators with the values the working group has
approved (by verifying the implementation), broken down by sex where the reports gave it and no count is below five.

Identifiers start with SORI_IATI_ACTIVITY_PREFIX (itself starting with the reporting organisation's identifier, as
the settings check); every period starts before it ends; every value is a number. The official XSD checks the rest
(tests/support/iati-2.03/).
"""

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Final, TypeAlias
from uuid import UUID

from lxml import etree

from services.progress.public.data import moment
from services.progress.public.feed import NEVER
from services.progress.public.selection import PublicActual, PublicIndicator, PublicProgramme, PublicRecommendation
from sori.settings import Settings

XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"
VERSION: Final = "2.03"
DEFAULT_LANGUAGE: Final = "en"
# IATI codelists: ActivityStatus, ActivityDateType, OrganisationRole, OrganisationType, RelatedActivityType,
# ResultType, IndicatorMeasure.
IMPLEMENTATION, FINALISATION = "2", "3"
ACTUAL_START, ACTUAL_END = "2", "4"
ACCOUNTABLE, IMPLEMENTING = "2", "4"
GOVERNMENT = "10"
PARENT, CHILD = "1", "2"
OUTCOME = "2"
UNIT = "1"
NO_PROGRAMME = "SoRi"

Element: TypeAlias = etree._Element


def _add(parent: Element, tag: str, **attributes: str) -> Element:
    return etree.SubElement(parent, tag, attributes)


def _narratives(parent: Element, tag: str, texts: Iterable[tuple[str | None, str]]) -> Element:
    """An element of narratives, one per language (the activity's own language, English, goes untagged)."""
    element = _add(parent, tag)
    for language, text in texts:
        narrative = _add(element, "narrative")
        narrative.text = text
        if language and language != DEFAULT_LANGUAGE:
            narrative.set(XML_LANG, language)
    return element


def _slug(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", code).strip("-")


def number(value: float | Decimal) -> str:
    """A value as IATI's rulesets want a numeric one: digits, a point, no exponent."""
    text = format(Decimal(str(value)).normalize(), "f")
    return text.removesuffix(".0") if "." in text else text


def shares(counts: Counter[str]) -> dict[str, Decimal]:
    """Percentages to two places that add up to exactly 100 (the last takes what rounding left)."""
    total, codes = sum(counts.values()), sorted(counts)
    percentages = {code: (Decimal(100) * counts[code] / total).quantize(Decimal("0.01")) for code in codes}
    if codes:
        percentages[codes[-1]] += Decimal(100) - sum(percentages.values())
    return percentages


def period_of(start: date, end: date) -> tuple[date, date]:
    """A period that starts before it ends (a value reported on the day of the endorsement covers that day)."""
    return (start, end) if start < end else (end - timedelta(days=1), end)


class _Writer:
    def __init__(self, programme: PublicProgramme, settings: Settings) -> None:
        assert settings.iati_reporting_org is not None
        self.programme, self.settings = programme, settings
        self.org = settings.iati_reporting_org
        self.prefix = (settings.iati_activity_prefix or self.org).rstrip("-")
        self.indicators: dict[UUID, list[PublicIndicator]] = defaultdict(list)
        for indicator in programme.indicators:
            self.indicators[indicator.recommendation_id].append(indicator)

    def identifier(self, *codes: str) -> str:
        return "-".join([self.prefix, *(_slug(code) for code in codes)])

    def activity(self, root: Element, identifier: str, hierarchy: str, updated: datetime | None) -> Element:
        activity = _add(root, "iati-activity", hierarchy=hierarchy)
        activity.set(XML_LANG, DEFAULT_LANGUAGE)
        activity.set("last-updated-datetime", moment(updated or NEVER) or "")
        _add(activity, "iati-identifier").text = identifier
        reporting = _add(activity, "reporting-org", ref=self.org, type=self.settings.iati_reporting_org_type)
        _add(reporting, "narrative").text = self.settings.iati_reporting_org_name
        return activity

    def organisations(self, activity: Element, implementers: Iterable[tuple[str, str | None]]) -> None:
        accountable = _add(activity, "participating-org", ref=self.org, role=ACCOUNTABLE)
        accountable.set("type", self.settings.iati_reporting_org_type)
        _add(accountable, "narrative").text = self.settings.iati_reporting_org_name
        for name, organisation_type in implementers:
            implementing = _add(activity, "participating-org", role=IMPLEMENTING)
            if organisation_type:
                implementing.set("type", organisation_type)
            _add(implementing, "narrative").text = name

    def status_and_dates(self, activity: Element, recommendations: Sequence[PublicRecommendation]) -> None:
        verified = [r.verified_at for r in recommendations if r.verified_at]
        finished = len(verified) == len(recommendations) and bool(verified)
        _add(activity, "activity-status", code=FINALISATION if finished else IMPLEMENTATION)
        started = min((r.decided_at or r.updated_at for r in recommendations), default=None)
        if started is not None:
            _add(activity, "activity-date", type=ACTUAL_START, **{"iso-date": started.date().isoformat()})
        if finished:
            _add(activity, "activity-date", type=ACTUAL_END, **{"iso-date": max(verified).date().isoformat()})

    def countries(self, activity: Element, recommendations: Sequence[PublicRecommendation]) -> None:
        economies = Counter(r.economy for r in recommendations if r.economy)
        for code, percentage in shares(economies).items():
            _add(activity, "recipient-country", code=code, percentage=number(percentage))

    def results(self, activity: Element, recommendation: PublicRecommendation) -> None:
        indicators = self.indicators.get(recommendation.id, [])
        if not indicators:
            return
        result = _add(activity, "result", type=OUTCOME, **{"aggregation-status": "0"})
        name = " ".join(filter(None, (recommendation.code, recommendation.title)))
        _narratives(result, "title", [(recommendation.language, name)])
        for indicator in indicators:
            element = _add(result, "indicator", measure=UNIT, ascending="1")
            _narratives(element, "title", [(recommendation.language, indicator.name)])
            for actual in indicator.actuals:
                if actual.approved:
                    self.period(element, recommendation, actual)

    def period(self, indicator: Element, recommendation: PublicRecommendation, actual: PublicActual) -> None:
        reported = actual.reported_at.date()
        start, end = period_of((recommendation.decided_at or actual.reported_at).date(), reported)
        period = _add(indicator, "period")
        _add(period, "period-start", **{"iso-date": start.isoformat()})
        _add(period, "period-end", **{"iso-date": end.isoformat()})
        _add(period, "actual", value=number(actual.value))
        for sex, value in actual.by_sex.items():
            if isinstance(value, int | float):  # a count below five is not published at all
                by_sex = _add(period, "actual", value=number(value))
                _add(by_sex, "dimension", name="sex", value=sex)


def activities(programme: PublicProgramme, settings: Settings, base: str) -> bytes:
    """The whole file: one parent activity per programme, then its children, one per association's roadmap."""
    writer = _Writer(programme, settings)
    root = etree.Element("iati-activities", version=VERSION)
    root.set("generated-datetime", moment(programme.updated_at or NEVER) or "")
    by_programme: dict[str, list[PublicRecommendation]] = defaultdict(list)
    for recommendation in programme.recommendations:
        by_programme[recommendation.programme or NO_PROGRAMME].append(recommendation)
    for code, recommendations in sorted(by_programme.items()):
        _parent_and_children(root, writer, code, recommendations, base)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _parent_and_children(
    root: Element, writer: _Writer, programme: str, recommendations: list[PublicRecommendation], base: str
) -> None:
    parent_id = writer.identifier(programme)
    by_association: dict[str, list[PublicRecommendation]] = defaultdict(list)
    for recommendation in recommendations:
        by_association[recommendation.association or "unknown"].append(recommendation)
    children = {association: writer.identifier(programme, association) for association in by_association}

    parent = writer.activity(root, parent_id, "1", max(r.updated_at for r in recommendations))
    _narratives(parent, "title", [(None, f"{programme}: social inclusion roadmaps of local government associations")])
    description = (
        f"The {programme} programme of the NALAS Working Group on Social Inclusion: recommendations of the "
        f"associations' roadmaps that the working group endorsed, and their implementation by local governments. "
        f"Public pages: {base}/public"
    )
    _narratives(parent, "description", [(None, description)])
    writer.organisations(parent, [(association, None) for association in sorted(by_association)])
    writer.status_and_dates(parent, recommendations)
    writer.countries(parent, recommendations)
    for association in sorted(children):
        _add(parent, "related-activity", ref=children[association], type=CHILD)

    for association, own in sorted(by_association.items()):
        child = writer.activity(root, children[association], "2", max(r.updated_at for r in own))
        title = f"{programme}: roadmap of {association} for social inclusion"
        _narratives(child, "title", [(None, title)])
        listed = "; ".join(" ".join(filter(None, (r.code, r.title))) for r in own)
        _narratives(child, "description", [(None, f"Recommendations endorsed by the NALAS working group: {listed}")])
        governments = sorted({lg for r in own for lg in r.local_governments})
        writer.organisations(child, [(association, None), *((lg, GOVERNMENT) for lg in governments)])
        writer.status_and_dates(child, own)
        writer.countries(child, own)
        _add(child, "related-activity", ref=parent_id, type=PARENT)
        for recommendation in own:
            writer.results(child, recommendation)
