"""The dashboard's built data: one build per state of the data, shared through a file; a
load or withdrawal starts a new build, during which pages show the previous build marked
stale (or say the figures are being prepared), never a mixture."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from vrn.dashboard import store
from vrn.ingest import withdrawal
from vrn.ingest.models import FileLoad

from ..profile.test_command import world

__all__ = ["world"]


@pytest.fixture
def slow_build(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Builds wait until the event is set."""
    release = threading.Event()
    real = store.build

    def build(*args: Any, **kwargs: Any) -> Any:
        assert release.wait(60), "the test never released the build"
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "build", build)
    yield release
    release.set()


@pytest.mark.django_db(transaction=True)
def test_a_build_under_way_shows_the_previous_one_marked_stale(
    world: Path, slow_build: threading.Event, client: Client, settings: Any
) -> None:
    slow_build.set()
    first = store.current_state(wait=None)
    assert not first.stale
    admissions = FileLoad.objects.get(dataset="admissions", status=FileLoad.Status.CURRENT)
    withdrawal.withdraw([admissions.pk], actor="tester")
    slow_build.clear()

    during = store.current_state(wait=0.1)
    assert during.stale and during.key == first.key and during.events is first.events
    settings.VRN_DASHBOARD_BUILD_WAIT = 0.1
    page = client.get(reverse("public:overview"))
    assert page.status_code == 200
    assert "the figures are being updated" in page.content.decode()
    slow_build.set()
    after = store.current_state(wait=30)
    assert not after.stale and after.key != first.key
    assert "sharp_object_admissions" not in after.events.measure_ids
    assert [p.stem for p in store.cache_dir().glob("*.pickle")] == [after.key]


@pytest.mark.django_db(transaction=True)
def test_the_first_build_under_way_says_so(
    world: Path, slow_build: threading.Event, client: Client, settings: Any
) -> None:
    settings.VRN_DASHBOARD_BUILD_WAIT = 0
    response = client.get(reverse("public:overview"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Getting the figures ready" in response.content.decode()
    slow_build.set()
    store.current_state(wait=30)
    assert client.get(reverse("public:overview")).status_code == 200


@pytest.mark.django_db
def test_one_build_per_state_is_shared_through_its_file(world: Path) -> None:
    events = store.current()
    [path] = store.cache_dir().glob("*.pickle")
    assert path.stem == store.state_key()
    store.forget()  # another worker: reads the file, does not build again
    again = store.current()
    assert again is not events and again.measure_ids == events.measure_ids
    path.write_bytes(b"not a pickle")  # an unreadable file is built again
    store.forget()
    assert store.current().measure_ids == events.measure_ids
