"""A recommendation's text, the diff between two of its versions, and the list cursor, without a database."""

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any
from uuid import uuid4

import pytest
from pydantic import ValidationError

from services.roadmaps.domain.changes import field_changes, unified_diff
from services.roadmaps.domain.text import EXAMPLE, RecommendationText, revised
from services.roadmaps.store import decode_cursor, encode_cursor
from sori.errors import CommandRefused

pytestmark = pytest.mark.unit

TEXT: dict[str, Any] = RecommendationText.model_validate(EXAMPLE).model_dump(mode="json")


@pytest.mark.parametrize("target", ["1.1", "10.2", "17.19", "5.a", "16.b"])
def test_sdg_targets_name_a_goal_from_1_to_17_and_a_target(target: str) -> None:
    assert RecommendationText(title="t", sdg_targets=[target]).sdg_targets == [target]


@pytest.mark.parametrize("target", ["18.1", "0.1", "10", "10.", "10.2.1", "x.1", "10.A"])
def test_anything_else_is_not_an_sdg_target(target: str) -> None:
    with pytest.raises(ValidationError):
        RecommendationText(title="t", sdg_targets=[target])


def test_codes_named_twice_count_once() -> None:
    text = RecommendationText(title="t", target_groups=["roma", "youth", "roma"])

    assert text.target_groups == ["roma", "youth"]


def test_a_revision_replaces_only_the_fields_it_names() -> None:
    text = revised(TEXT, {"priority": "low"})

    assert text.priority == "low"
    assert text.model_dump(mode="json") == {**TEXT, "priority": "low"}


def test_a_revision_to_null_is_not_a_valid_text() -> None:
    with pytest.raises(ValidationError):
        revised(TEXT, {"title": None})


def test_the_diff_names_only_changed_fields_and_diffs_long_texts_line_by_line() -> None:
    after = {**TEXT, "evidence": "line one\nline two", "priority": "low"}

    changes = field_changes(TEXT, after, 1, 2)

    assert [c.field for c in changes] == ["evidence", "priority"]
    assert changes[1].unified_diff is None
    assert changes[0].unified_diff == unified_diff("evidence", TEXT["evidence"], "line one\nline two", 1, 2)
    assert changes[0].unified_diff.endswith("+line one\n+line two\n")


def test_the_same_version_against_itself_has_no_changes() -> None:
    assert field_changes(TEXT, TEXT, 2, 2) == []


def test_a_cursor_gives_back_the_moment_and_id_it_was_made_of() -> None:
    row = SimpleNamespace(created_at=datetime(2024, 5, 1, 12, 0, 0, 123456), id=uuid4())

    created, last_id = decode_cursor(encode_cursor(row))  # type: ignore[arg-type]

    assert (created, last_id) == (datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=UTC), row.id)


@pytest.mark.parametrize("cursor", ["", "!!!", "e30", "eyJ0IjogMX0"])
def test_a_cursor_that_was_not_given_out_is_refused(cursor: str) -> None:
    with pytest.raises(CommandRefused):
        decode_cursor(cursor)
