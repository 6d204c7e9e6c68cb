"""A started service sets what start-up made aside from Python's full garbage collections (sori/heap.py)."""

import gc

import pytest

from services.progress.app import SPEC, create_app
from sori.settings import Settings
from tests.support.services import service_under_test

pytestmark = pytest.mark.service


async def test_a_service_sets_its_startup_objects_aside_once_started(settings: Settings) -> None:
    assert gc.get_freeze_count() == 0
    async with service_under_test(settings, SPEC, create_app) as progress:
        assert gc.get_freeze_count() > 0
        # The collector's generations no longer hold the app: a full collection does not walk it.
        assert not any(tracked is progress.app for tracked in gc.get_objects())
