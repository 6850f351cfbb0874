"""A cold start parses the roadmap files in a child process while the app imports Textual."""

from __future__ import annotations

import os
from pathlib import Path
from unittest import mock

import pytest

from tracker import prefill
from tracker.catalog import load_catalog
from tracker.loader import ParseCache
from tracker.locations import bundled_roadmaps_dir

pytestmark = pytest.mark.skipif(
    not prefill._second_processor(), reason="parses aside only on Linux with a second processor"
)


def test_a_child_fills_a_cold_cache_and_the_parent_reads_it(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path / "cache")
    with mock.patch.object(os, "fork", wraps=os.fork) as fork:
        wait = prefill.parse_aside([bundled_roadmaps_dir()], cache)
        wait()
    assert fork.call_count == 1 and list((tmp_path / "cache").glob("*.marshal"))
    with mock.patch("tracker.loader._read", side_effect=AssertionError("parsed in the parent")):
        catalog = load_catalog([bundled_roadmaps_dir()], cache)
    assert len(catalog.roadmaps) == 23 and catalog.problems == []


def test_a_warm_cache_needs_no_child(tmp_path: Path) -> None:
    load_catalog([bundled_roadmaps_dir()], ParseCache(tmp_path / "cache"))
    cache = ParseCache(tmp_path / "cache")
    with mock.patch.object(os, "fork", side_effect=AssertionError("forked")):
        prefill.parse_aside([bundled_roadmaps_dir()], cache)()
    assert len(load_catalog([bundled_roadmaps_dir()], cache).roadmaps) == 23


def test_no_cache_no_child(tmp_path: Path) -> None:
    with mock.patch.object(os, "fork", side_effect=AssertionError("forked")):
        prefill.parse_aside([bundled_roadmaps_dir()], ParseCache(None))()


def test_the_child_never_writes_to_the_terminal(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    def noisy(*args: object) -> None:
        print("noise on stdout")
        os.write(2, b"noise on stderr\n")

    with mock.patch.object(prefill, "load_catalog", noisy):
        prefill.parse_aside([bundled_roadmaps_dir()], ParseCache(tmp_path / "cache"))()
    assert capfd.readouterr() == ("", "")


def test_a_child_that_fails_changes_nothing(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path / "cache")
    with mock.patch.object(prefill, "load_catalog", side_effect=RuntimeError("boom")):
        prefill.parse_aside([bundled_roadmaps_dir()], cache)()
    catalog = load_catalog([bundled_roadmaps_dir()], cache)
    assert len(catalog.roadmaps) == 23 and catalog.problems == []
