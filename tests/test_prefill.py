"""A cold start parses the roadmap files in a child process too: all of them while the app
imports Textual, or every other one while a command parses the rest."""

from __future__ import annotations

import os
from pathlib import Path
from unittest import mock

import pytest

from tracker import prefill
from tracker.catalog import load_catalog
from tracker.loader import ParseCache
from tracker.locations import bundled_roadmaps_dir

from .test_loader import GOOD, write

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


def test_a_command_parses_half_the_files_in_a_child(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path / "cache")
    parsed_here: list[Path] = []
    load = prefill.load_roadmap

    def counted(path: Path, *args: object) -> object:
        parsed_here.append(path)
        return load(path, *args)

    with (
        mock.patch.object(os, "fork", wraps=os.fork) as fork,
        mock.patch.object(prefill, "load_roadmap", counted),
    ):
        prefill.parse_halves([bundled_roadmaps_dir()], cache)
    assert fork.call_count == 1
    assert len(parsed_here) == 12  # here; the child's 11 (of 23) are recorded in its memory only
    with mock.patch("tracker.loader._read", side_effect=AssertionError("parsed again")):
        catalog = load_catalog([bundled_roadmaps_dir()], cache)
    assert len(catalog.roadmaps) == 23 and catalog.problems == []
    with mock.patch.object(os, "fork", side_effect=AssertionError("forked")):
        prefill.parse_halves([bundled_roadmaps_dir()], ParseCache(tmp_path / "cache"))  # warm now


def test_bad_files_get_the_same_problems_after_halves(tmp_path: Path) -> None:
    folder = tmp_path / "maps"
    for index in range(4):
        write(folder, f"good-{index}.yaml", GOOD.format(id=f"good-{index}"))
    write(folder, "bad.yaml", GOOD.format(id="bad").replace("title: First step", "title: [First"))
    write(folder, "worse.yaml", GOOD.format(id="worse").replace("id: second", "id: first"))
    expected = load_catalog([folder]).problems
    cache = ParseCache(tmp_path / "cache")
    prefill.parse_halves([folder], cache)
    catalog = load_catalog([folder], cache)
    assert catalog.problems == expected and len(expected) == 2 and len(catalog.roadmaps) == 4


def test_refresh_takes_in_what_another_process_saved(tmp_path: Path) -> None:
    folder = tmp_path / "maps"
    first = write(folder, "first.yaml", GOOD.format(id="first"))
    second = write(folder, "second.yaml", GOOD.format(id="second"))
    mine, theirs = ParseCache(tmp_path / "cache"), ParseCache(tmp_path / "cache")
    mine.put(first, first.read_bytes(), "mine")
    theirs.put(second, second.read_bytes(), "theirs")
    theirs.put(first, first.read_bytes(), "theirs")
    theirs.save()
    mine.refresh()
    assert mine.get(first, first.read_bytes()) == "mine"  # ours win
    assert mine.get(second, second.read_bytes()) == "theirs"
    mine.save()
    fresh = ParseCache(tmp_path / "cache")
    assert fresh.get(first, first.read_bytes()) == "mine"
    assert fresh.get(second, second.read_bytes()) == "theirs"
