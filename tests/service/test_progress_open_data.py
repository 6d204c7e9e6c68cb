"""The open data at /public/data/, fetched as nobody: every file holds every public item and nothing that is never
public; the Data Package is valid to `frictionless`, the IATI file to the official XSD and the rulesets' checks, and
the Atom feed to `feedparser`; each file answers 304 to its ETag."""

import csv
import io
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import TypeVar
from uuid import uuid4

import feedparser
import frictionless
import pytest
from lxml import etree

from contracts.envelope import Envelope, EventPayload, Role, carries, new_event
from contracts.lifecycle import RecommendationStatus as S
from contracts.lifecycle import StatusChanged
from contracts.roadmaps import RecommendationDrafted
from contracts.social_approaches import ApproachStatusChanged
from contracts.topics import ROADMAPS as ROADMAPS_TOPIC
from contracts.topics import SOCIAL_APPROACHES as SOCIAL_APPROACHES_TOPIC
from contracts.topics import WORKING_GROUP as WORKING_GROUP_TOPIC
from contracts.working_group import ActionHeld
from services.progress.app import SPEC as PROGRESS
from services.progress.app import create_app as create_progress
from services.progress.handlers import CONSUMER
from services.progress.public import rules
from services.roadmaps.demo import DEMO_RECOMMENDATIONS
from services.roadmaps.demo import load_demo as load_roadmaps_demo
from services.social_approaches.demo import load_demo as load_social_approaches_demo
from services.working_group.demo import ORGANISATIONS as DEMO_ORGANISATIONS
from services.working_group.demo import load_demo as load_working_group_demo
from sori.settings import Settings
from sori_cli.replay_apply import ReplayApplier
from tests.polling import eventually
from tests.support.progress import deliver_all
from tests.support.public_data import ECONOMIES, NALAS, PERSON, Programme, generated, project_in_one_poll, seeded
from tests.support.services import ServiceUnderTest, service_under_test
from tests.support.tokens import Tokens

P = TypeVar("P", bound=EventPayload)
DATA = "/public/data"
IATI_SCHEMA = Path(__file__).parents[1] / "support" / "iati-2.03" / "iati-activities-schema.xsd"
REPORTING_ORG = "XM-DAC-47095"  # an illustrative identifier
PREFIX = f"{REPORTING_ORG}-SORI"
TABLES = ("recommendations", "milestones", "indicators", "actuals", "actions", "social-approaches")


@asynccontextmanager
async def open_service(settings: Settings) -> AsyncIterator[ServiceUnderTest]:
    """Progress publishing IATI too."""
    iati = settings.model_copy(update={"iati_reporting_org": REPORTING_ORG, "iati_activity_prefix": PREFIX})
    async with service_under_test(iati, PROGRESS, create_progress) as progress:
        yield progress


@pytest.fixture
async def open_progress(settings: Settings) -> AsyncIterator[ServiceUnderTest]:
    async with open_service(settings) as progress:
        yield progress


async def fetch_everything(progress: ServiceUnderTest) -> dict[str, bytes]:
    """Every file the index lists, as nobody (no token, no cookie)."""
    index = await progress.http.get(f"{DATA}/")
    assert index.status_code == 200, index.text
    files = {}
    for listed in index.json()["files"]:
        answer = await progress.http.get(listed["url"])
        assert answer.status_code == 200, f"{listed['name']}: {answer.text}"
        assert answer.headers["cache-control"] == "public, max-age=300"
        files[listed["name"]] = answer.content
    return files


async def test_nobody_finds_every_public_item_and_nothing_that_is_never_public(
    open_progress: ServiceUnderTest, tmp_path: Path
) -> None:
    programme = seeded()
    await deliver_all(open_progress, programme.events)

    files = await fetch_everything(open_progress)

    assert sorted(files) == sorted(
        ["datapackage.json", "iati-activities.xml", "changes.atom"]
        + [f"{t}.{f}" for t in TABLES for f in ("json", "csv")]
    )
    for name, body in files.items():
        text = body.decode()
        for never in ("SECRET", PERSON.sub, NALAS.sub, "@", "evidence"):
            assert never not in text, f"{name} shows {never!r}"
    recommendations = json.loads(files["recommendations.json"])["data"]
    assert {r["id"]: r["code"] for r in recommendations} == {str(k): v for k, v in programme.public.items()}
    for code in programme.public.values():
        assert code in files["recommendations.csv"].decode()
        assert code in files["iati-activities.xml"].decode()
    feed = feedparser.parse(files["changes.atom"])
    assert {entry.id for entry in feed.entries} >= {f"urn:uuid:{e}" for e in programme.endorsements}
    assert_no_count_by_sex_below_five(files)


def approaches_in(files: dict[str, bytes]) -> list[dict[str, object]]:
    approaches: list[dict[str, object]] = json.loads(files["social-approaches.json"])["data"]
    return approaches


async def demo_events(service: ServiceUnderTest, topic: str, payload: type[P], count: int) -> list[Envelope[P]]:
    """The events of this payload the service's demo published, once there are `count` of them."""

    async def published() -> list[Envelope[P]]:
        return [e for e in service.published.events(topic) if carries(e, payload)]

    return await eventually(published, until=lambda found: len(found) >= count)


def assert_no_count_by_sex_below_five(files: dict[str, bytes]) -> None:
    hidden = {rules.FEW, rules.WITHHELD}
    shown_somewhere = set()
    for table, prefix in (("actions", "participants_"), ("actuals", "value_")):
        for record in json.loads(files[f"{table}.json"])["data"]:
            for column, value in record.items():
                if column.startswith(prefix) and value is not None:
                    assert value in hidden or value >= rules.FEWEST_SHOWN, (table, record)
                    shown_somewhere.add(value)
        for row in csv.DictReader(io.StringIO(files[f"{table}.csv"].decode())):
            for column, value in row.items():
                if column.startswith(prefix) and value:
                    assert value in hidden or Decimal(value) >= rules.FEWEST_SHOWN, (table, row)
    assert hidden <= shown_somewhere, "the seeded counts below five are there, hidden"
    dimensions = etree.fromstring(files["iati-activities.xml"]).iter("dimension")
    assert all(Decimal(d.getparent().get("value")) >= rules.FEWEST_SHOWN for d in dimensions)


async def test_a_published_rejected_one_is_public_a_withheld_one_is_not_and_an_undone_hold_shows_again(
    open_progress: ServiceUnderTest,
) -> None:
    programme = seeded()
    await deliver_all(open_progress, programme.events)

    listed = (await open_progress.http.get(f"{DATA}/recommendations.json")).json()["data"]

    by_code = {r["code"]: r for r in listed}
    assert by_code["AAM-2026-03"]["status"] == "rejected"
    assert "AKM-2026-01" not in by_code
    assert by_code["AKM-2026-03"]["title"] == "Held back, then let go"
    assert by_code["AKM-2026-02"]["title"] is None, "revised since drafting: the drafted title is a draft's"
    assert by_code["ZELS-2026-01"]["title"] == "Дневен центар во рурални средини"
    actions = (await open_progress.http.get(f"{DATA}/actions.json")).json()["data"]
    assert sorted(a["title"] for a in actions) == ["Study visit to Tuzla", "Training on social mapping"]
    training = next(a for a in actions if a["title"] == "Training on social mapping")
    assert (training["participants"], training["participants_female"], training["participants_male"]) == (
        15,
        rules.FEW,
        rules.WITHHELD,
    )


@pytest.fixture(params=["seeded", "generated"])
async def delivered(request: pytest.FixtureRequest, open_progress: ServiceUnderTest) -> Programme:
    """The seeded programme delivered event by event, or a generated one of 300 recommendations in one poll."""
    if request.param == "seeded":
        programme = seeded()
        await deliver_all(open_progress, programme.events)
    else:
        programme = generated(300)
        await project_in_one_poll(open_progress, programme.events)
    return programme


async def test_the_data_package_is_valid_to_frictionless(
    open_progress: ServiceUnderTest, delivered: Programme, tmp_path: Path
) -> None:
    programme = delivered
    files = await fetch_everything(open_progress)
    for name, body in files.items():
        (tmp_path / name).write_bytes(body)

    report = frictionless.validate(tmp_path / "datapackage.json")

    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])
    package = json.loads(files["datapackage.json"])
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert [r["name"] for r in package["resources"]] == list(TABLES)
    assert all(f["description"] for r in package["resources"] for f in r["schema"]["fields"])
    rows = {t: len(json.loads(files[f"{t}.json"])["data"]) for t in TABLES}
    assert rows["recommendations"] == len(programme.public)
    assert min(rows["actuals"], rows["indicators"], rows["milestones"], rows["actions"]) > 0


async def test_the_iati_file_is_valid_to_the_official_schema_and_the_rulesets(
    open_progress: ServiceUnderTest, delivered: Programme
) -> None:
    programme = delivered

    answer = await open_progress.http.get(f"{DATA}/iati-activities.xml")

    document = etree.fromstring(answer.content)
    schema = etree.XMLSchema(etree.parse(str(IATI_SCHEMA)))
    assert schema.validate(document), schema.error_log
    activities = document.findall("iati-activity")
    parents = [a for a in activities if a.get("hierarchy") == "1"]
    children = [a for a in activities if a.get("hierarchy") == "2"]
    associations = {code.split("-")[0] for code in programme.public.values()}
    assert (len(parents), len(children)) == (1, len(associations))
    for activity in activities:
        identifier = activity.findtext("iati-identifier") or ""
        assert identifier.startswith(activity.find("reporting-org").get("ref"))
        assert identifier.startswith(PREFIX)
        shares = [Decimal(c.get("percentage")) for c in activity.findall("recipient-country")]
        assert sum(shares) == 100
    for period in document.iter("period"):
        assert period.find("period-start").get("iso-date") < period.find("period-end").get("iso-date")
    for value in document.xpath("//actual/@value | //target/@value | //baseline/@value"):
        Decimal(value)  # numeric, as the indicators' measure (unit) says
    for element in document.xpath("//*[narrative]"):
        languages = [n.get("{http://www.w3.org/XML/1998/namespace}lang") for n in element.findall("narrative")]
        assert len(languages) == len(set(languages)), "one narrative per language"
    countries = {c.get("code") for c in parents[0].findall("recipient-country")}
    assert countries == {ECONOMIES[association] for association in associations}


async def test_a_replay_by_topic_gives_the_same_files(open_progress: ServiceUnderTest, settings: Settings) -> None:
    """`sori replay` reads the topics one after another, not in the order the events happened: the public files it
    rebuilds are the ones the live consumer made, byte for byte."""
    programme = seeded()
    await deliver_all(open_progress, programme.events)
    live = await fetch_everything(open_progress)
    elsewhere = settings.model_copy(
        update={"database_schema_prefix": f"{settings.database_schema_prefix}replay_", "home": settings.home / "r"}
    )

    async with open_service(elsewhere) as replayed:
        applier = ReplayApplier(replayed.app.state.db, CONSUMER)
        applier.apply([e.to_json() for e in sorted(programme.events, key=lambda e: e.data.TOPIC)])
        await applier.commit()
        await applier.written()
        rebuilt = await fetch_everything(replayed)

    assert rebuilt == live


async def test_the_atom_feed_reads_in_a_feed_reader(open_progress: ServiceUnderTest) -> None:
    programme = seeded()
    await deliver_all(open_progress, programme.events)

    feed = feedparser.parse((await open_progress.http.get(f"{DATA}/changes.atom")).content)

    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert all((feed.feed.title, feed.feed.updated, feed.feed.id))
    statuses = sorted(entry.tags[0].term for entry in feed.entries)
    assert statuses == ["endorsed"] * 4 + ["implemented", "verified"]
    pages = {f"http://service/public/recommendations/{rec}" for rec in programme.public}
    assert {entry.link for entry in feed.entries} <= pages


async def test_each_file_answers_not_modified_to_its_etag_and_a_missing_one_says_why(
    open_progress: ServiceUnderTest, settings: Settings
) -> None:
    await deliver_all(open_progress, seeded().events)
    first = await open_progress.http.get(f"{DATA}/recommendations.csv")

    again = await open_progress.http.get(
        f"{DATA}/recommendations.csv", headers={"If-None-Match": first.headers["etag"]}
    )
    missing = await open_progress.http.get(f"{DATA}/secrets.csv")

    assert (first.status_code, again.status_code, again.content) == (200, 304, b"")
    assert first.headers["content-type"].startswith("text/csv")
    assert (missing.status_code, "lists what there is" in missing.text) == (404, True)


async def test_without_an_iati_reporting_organisation_there_is_no_iati_file(
    progress: ServiceUnderTest,
) -> None:
    listed = (await progress.http.get(f"{DATA}/")).json()["files"]
    answer = await progress.http.get(f"{DATA}/iati-activities.xml")

    assert "iati-activities.xml" not in [f["name"] for f in listed]
    assert (answer.status_code, "SORI_IATI_REPORTING_ORG" in answer.text) == (404, True)


async def test_the_demo_programme_as_nobody_sees_it(
    open_progress: ServiceUnderTest,
    roadmaps: ServiceUnderTest,
    wg: ServiceUnderTest,
    sa: ServiceUnderTest,
    tokens: Tokens,
) -> None:
    """The demo loaded through the services' APIs, its events delivered to progress, and its first submitted
    recommendation endorsed as the lifecycle would: that one is public, the demo's drafts and submitted ones, its
    participants' records and its counts by sex below five are not."""
    roadmaps.http.headers.update(tokens.header(Role.LGA, "ZELS"))
    wg.http.headers.update(tokens.header(Role.NALAS, "NALAS"))
    await load_roadmaps_demo(roadmaps.http)
    await load_working_group_demo(wg.http)
    await load_social_approaches_demo(sa.http, lambda code: tokens.header(Role.LG, code))
    drafted = await demo_events(roadmaps, ROADMAPS_TOPIC, RecommendationDrafted, len(DEMO_RECOMMENDATIONS))
    held = await demo_events(wg, WORKING_GROUP_TOPIC, ActionHeld, 2)
    await demo_events(sa, SOCIAL_APPROACHES_TOPIC, ApproachStatusChanged, 10)
    for service in (roadmaps, wg, sa):
        for topic, bodies in service.published.raw.items():
            for body in bodies:
                await open_progress.deliver(topic, body)
    endorsed = drafted[0].data
    for sequence, (before, after) in enumerate(
        [(None, S.DRAFTED), (S.DRAFTED, S.SUBMITTED), (S.SUBMITTED, S.UNDER_REVIEW), (S.UNDER_REVIEW, S.ENDORSED)], 1
    ):
        moved = StatusChanged(
            recommendation_id=endorsed.recommendation_id, from_status=before, to_status=after, cause_event_id=uuid4(),
            cause_event_type="sori.test.cause.v1", association="ZELS", version=1, sequence=sequence,
        )  # fmt: skip
        event = new_event(moved, subject=str(endorsed.recommendation_id), actor=NALAS, source="test")
        await open_progress.deliver(event.data.TOPIC, event.to_json())

    files = await eventually(
        lambda: fetch_everything(open_progress),
        until=lambda f: endorsed.title in f["recommendations.csv"].decode() and len(approaches_in(f)) == 10,
    )

    for name, body in files.items():
        text = body.decode()
        for never in [t for t, _ in DEMO_RECOMMENDATIONS[1:]] + [o[0] for o in DEMO_ORGANISATIONS] + ["@"]:
            assert never not in text, f"{name} shows {never!r}"
    actions = json.loads(files["actions.json"])["data"]
    assert sorted(a["participants"] for a in actions) == sorted(e.data.counts.participants for e in held)
    assert_no_count_by_sex_below_five(files)
