"""Progress serves SoRi's AsyncAPI document at /asyncapi.json to anyone, as contracts/ holds it, with an ETag a
cache revalidates with."""

import json
from pathlib import Path

from tests.support.services import ServiceUnderTest

DOCUMENT = Path(__file__).resolve().parents[2] / "contracts" / "asyncapi.json"


async def test_the_served_document_is_the_one_in_contracts_and_needs_no_sign_in(progress: ServiceUnderTest) -> None:
    response = await progress.http.get("/asyncapi.json")

    assert response.status_code == 200
    assert response.content == DOCUMENT.read_bytes()
    assert response.json() == json.loads(DOCUMENT.read_text("utf-8"))
    assert response.headers["content-type"] == f"application/asyncapi+json; version={response.json()['asyncapi']}"
    assert response.headers["cache-control"] == "public, max-age=300"
    assert response.headers["etag"].startswith('"')


async def test_a_cache_that_asks_again_with_the_etag_gets_304_without_the_document(
    progress: ServiceUnderTest,
) -> None:
    etag = (await progress.http.get("/asyncapi.json")).headers["etag"]

    for asked in (etag, f"W/{etag}", f'"older", {etag}', "*"):
        again = await progress.http.get("/asyncapi.json", headers={"If-None-Match": asked})
        assert again.status_code == 304, asked
        assert again.content == b""
        assert again.headers["etag"] == etag

    other = await progress.http.get("/asyncapi.json", headers={"If-None-Match": '"older"'})
    assert other.status_code == 200
    assert other.content == DOCUMENT.read_bytes()
