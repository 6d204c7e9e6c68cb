"""Programmes, associations with their local governments, vulnerable groups and topics are data: loaded from the
service's versioned file once per version, read by everyone signed in, kept up to date by NALAS."""

from typing import Any

from sqlalchemy import select

from contracts.envelope import Envelope, Role
from contracts.registry import parse_event
from contracts.roadmaps import ReferenceEntryChanged
from services.roadmaps.reference_loader import TABLES, load_reference_data, reference_document
from sori.db import Database
from sori.outbox import outbox_table
from tests.support.roadmaps import published
from tests.support.services import ServiceUnderTest
from tests.support.tokens import Tokens


async def reference(service: ServiceUnderTest, tokens: Tokens) -> Any:
    response = await service.http.get("/roadmaps/v1/reference", headers=tokens.header(Role.OBSERVER, "OBSERVER"))
    assert response.status_code == 200, response.text
    return response.json()


async def test_anyone_signed_in_reads_the_reference_data(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    data = await reference(roadmaps, tokens)

    assert data["version"] == reference_document()["version"]
    assert [(p["code"], p["starts_on"], p["ends_on"]) for p in data["programmes"]] == [
        ("SoRi 3", "2022-12-01", "2025-11-30"),
        ("SoRi 4", "2025-12-01", "2028-11-30"),
    ]
    members = {a["code"]: [lg["code"] for lg in a["local_governments"]] for a in data["associations"]}
    assert members == {
        "AAM": ["AL-ELBASAN", "AL-SHKODER"],
        "AKM": ["XK-GJILAN", "XK-PEJE"],
        "ALVRS": ["BA-BIJELJINA", "BA-PRIJEDOR"],
        "SOGFBIH": ["BA-TUZLA", "BA-ZENICA"],
        "ZELS": ["MK-KUMANOVO", "MK-STRUMICA"],
    }
    assert {"MK", "AL", "XK", "BA"} == {e["code"] for e in data["economies"]}
    assert {"persons_with_disabilities", "roma", "women_girls", "elderly"} <= {g["code"] for g in data["groups"]}
    assert "social_mapping" in {t["code"] for t in data["topics"]}
    assert data["associations"][-1]["local_governments"][0]["note"] == "illustrative demo data"


async def test_reading_the_reference_data_needs_a_token(roadmaps: ServiceUnderTest) -> None:
    response = await roadmaps.http.get("/roadmaps/v1/reference")

    assert response.status_code == 401
    assert "missing bearer token" in response.json()["detail"]


async def test_the_reference_file_loads_once_per_version(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    db: Database = roadmaps.app.state.db
    document = reference_document()
    newer = {**document, "version": "2099.1", "groups": [{"code": "roma", "label": "Roma communities"}]}

    assert await load_reference_data(db) is False
    assert await load_reference_data(db, newer) is True
    assert await load_reference_data(db, newer) is False

    data = await reference(roadmaps, tokens)
    assert data["version"] == "2099.1"
    labels = {g["code"]: g["label"] for g in data["groups"]}
    assert labels["roma"] == "Roma communities"
    assert len(labels) == len(document["groups"])


async def reference_events_queued(db: Database) -> list[Envelope]:
    async with db.reading() as session:
        bodies = await session.scalars(
            select(outbox_table.c.body)
            .where(outbox_table.c.type == ReferenceEntryChanged.TYPE)
            .order_by(outbox_table.c.seq)
        )
        return [parse_event(body) for body in bodies]


async def test_the_loader_tells_of_each_entry_it_loads_and_of_none_when_the_version_was_loaded(
    roadmaps: ServiceUnderTest,
) -> None:
    db: Database = roadmaps.app.state.db
    document = reference_document()
    entries = sum(len(document[section]) for section in TABLES)

    loaded_at_start = await reference_events_queued(db)
    assert len(loaded_at_start) == entries
    told = {(e.data.kind, e.data.code): e.data for e in loaded_at_start if isinstance(e.data, ReferenceEntryChanged)}
    assert (told["associations", "ZELS"].economy, told["local-governments", "MK-KUMANOVO"].association) == (
        "MK",
        "ZELS",
    )

    assert await load_reference_data(db) is False
    assert len(await reference_events_queued(db)) == entries

    assert await load_reference_data(db, {**document, "version": "2099.1"}) is True
    assert len(await reference_events_queued(db)) == 2 * entries


async def test_nalas_adds_a_local_government_and_other_services_hear_of_it(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    response = await roadmaps.http.put(
        "/roadmaps/v1/reference/local-governments/MK-BITOLA",
        json={"name": "Bitola", "association": "ZELS"},
        headers=tokens.header(Role.NALAS, "NALAS"),
    )

    assert response.status_code == 200, response.text
    zels = next(a for a in (await reference(roadmaps, tokens))["associations"] if a["code"] == "ZELS")
    assert [lg["code"] for lg in zels["local_governments"]] == ["MK-BITOLA", "MK-KUMANOVO", "MK-STRUMICA"]
    [changed] = await published(roadmaps, ReferenceEntryChanged.TYPE, subject="local-governments:MK-BITOLA")
    assert (changed.data.kind, changed.data.code, changed.data.association) == (
        "local-governments",
        "MK-BITOLA",
        "ZELS",
    )


async def test_nalas_edits_groups_topics_programmes_and_associations(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    nalas = tokens.header(Role.NALAS, "NALAS")
    puts = {
        "/groups/roma": {"label": "Roma and Egyptians"},
        "/topics/culture": {"label": "Culture and sport"},
        "/programmes/SoRi 5": {"name": "SoRi, fifth phase", "starts_on": "2028-12-01", "ends_on": "2031-11-30"},
        "/associations/NALAS-TEST": {"name": "Test association", "economy": "MK"},
    }

    for path, body in puts.items():
        response = await roadmaps.http.put(f"/roadmaps/v1/reference{path}", json=body, headers=nalas)
        assert response.status_code == 200, (path, response.text)

    data = await reference(roadmaps, tokens)
    assert {g["code"]: g["label"] for g in data["groups"]}["roma"] == "Roma and Egyptians"
    assert "culture" in {t["code"] for t in data["topics"]}
    assert [p["code"] for p in data["programmes"]] == ["SoRi 3", "SoRi 4", "SoRi 5"]
    assert "NALAS-TEST" in {a["code"] for a in data["associations"]}
    [association] = await published(roadmaps, ReferenceEntryChanged.TYPE, subject="associations:NALAS-TEST")
    assert (association.data.kind, association.data.economy) == ("associations", "MK")


async def test_only_nalas_edits_reference_data(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    response = await roadmaps.http.put(
        "/roadmaps/v1/reference/groups/roma", json={"label": "Ours"}, headers=tokens.header(Role.LGA, "ZELS")
    )

    assert response.status_code == 403
    assert response.json()["detail"] == "only NALAS (nalas) may do this; you are lga"


async def test_reference_entries_must_point_at_known_entries_and_make_sense(
    roadmaps: ServiceUnderTest, tokens: Tokens
) -> None:
    nalas = tokens.header(Role.NALAS, "NALAS")

    orphan = await roadmaps.http.put(
        "/roadmaps/v1/reference/local-governments/XX-X", json={"name": "X", "association": "NOPE"}, headers=nalas
    )
    backwards = await roadmaps.http.put(
        "/roadmaps/v1/reference/programmes/SoRi 0",
        json={"name": "Backwards", "starts_on": "2020-01-01", "ends_on": "2019-01-01"},
        headers=nalas,
    )
    bad_code = await roadmaps.http.put("/roadmaps/v1/reference/groups/-bad!", json={"label": "x"}, headers=nalas)

    assert orphan.status_code == 422
    assert orphan.json()["detail"] == "unknown association 'NOPE' (see GET /roadmaps/v1/reference)"
    assert backwards.status_code == 422
    assert backwards.json()["detail"] == "the period ends (2019-01-01) before it starts (2020-01-01)"
    assert bad_code.status_code == 422
    assert bad_code.json()["detail"][0]["loc"] == ["path", "code"]


async def test_a_programme_nalas_adds_can_carry_roadmaps(roadmaps: ServiceUnderTest, tokens: Tokens) -> None:
    await roadmaps.http.put(
        "/roadmaps/v1/reference/programmes/SoRi 4",
        json={"name": "SoRi, fourth phase", "starts_on": "2025-12-01", "ends_on": "2028-11-30"},
        headers=tokens.header(Role.NALAS, "NALAS"),
    )

    response = await roadmaps.http.post(
        "/roadmaps/v1/roadmaps", json={"programme": "SoRi 4", "title": "t"}, headers=tokens.header(Role.LGA, "ZELS")
    )

    assert response.status_code == 201, response.text
    assert response.json()["period_end"] == "2028-11-30"
