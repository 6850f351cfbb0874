"""Shared fixtures: every test runs with its own data, cache and database folders."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tracker.catalog import Catalog, load_catalog
from tracker.locations import bundled_roadmaps_dir, parse_cache_dir
from tracker.parse_cache import ParseCache
from tracker.store import Store

REPO = Path(__file__).resolve().parent.parent


class FakeClock:
    """A clock that only moves when told to (``advance``), starting 2026-01-05 09:00 UTC."""

    def __init__(self, start: datetime = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point platformdirs (data and cache) at a fresh folder; clear tracker variables."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    for name in ("TRACKER_DB", "TRACKER_ROADMAPS", "TRACKER_NO_CACHE", "TRACKER_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture(scope="session")
def bundled_catalog() -> Catalog:
    """Every bundled roadmap, loaded once per session (treat as read-only)."""
    return load_catalog([bundled_roadmaps_dir()])


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock) -> Store:
    """A fresh database file with the fake clock."""
    with Store.open(tmp_path / "progress.db", clock) as opened:
        yield opened


@pytest.fixture(scope="session")
def warm_cache_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A parse cache of the bundled roadmaps, built once, so each CLI test skips the YAML."""
    path = tmp_path_factory.mktemp("cache") / "parsed"
    load_catalog([bundled_roadmaps_dir()], ParseCache(path))
    return path


@pytest.fixture
def warm_cache(isolated_home: Path, warm_cache_file: Path) -> None:
    """That parse cache in the isolated home (CLI modules use it for every test)."""
    target = parse_cache_dir()
    assert target is not None and str(target).startswith(str(isolated_home))
    shutil.copytree(warm_cache_file, target, dirs_exist_ok=True)
