"""The loader: every bad input is reported as ``path:line:column: message`` at the node at fault.

Each case writes a small roadmap file and asserts the exact position and the gist
of the message. One bad file never stops the others from loading.
"""

from __future__ import annotations

import json
import marshal
import os
import resource
import time
import zlib
from pathlib import Path
from textwrap import dedent

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker import loader
from tracker.catalog import load_catalog
from tracker.cli import cli
from tracker.loader import ParseCache, Problem, RoadmapFileError, load_roadmap, load_skills
from tracker.locations import bundled_roadmaps_dir, parse_cache_dir, roadmap_sources, user_roadmaps_dir

GOOD = """\
id: {id}
title: Roadmap {id}
sections:
  - id: basics
    title: Basics
    children:
      - id: first
        title: First step
      - id: second
        title: Second step
"""

SKILLS = """\
skills:
  - key: git
    title: Git
  - key: sql
    title: SQL
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(dedent(text), encoding="utf-8")
    return path


def problems_of(path: Path, skill_keys: set[str] | None = None) -> list[Problem]:
    """The problems ``load_roadmap`` raises for ``path`` (the file must be bad)."""
    with pytest.raises(RoadmapFileError) as caught:
        load_roadmap(path, skill_keys)
    assert str(caught.value) == str(caught.value.problems[0])
    return caught.value.problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def assert_at(problem: Problem, path: Path, line: int, column: int | None, *gist: str) -> None:
    """The problem names ``path`` at ``line`` (and ``column``) and its message holds ``gist``."""
    assert problem.path == path
    assert problem.line == line, str(problem)
    if column is not None:
        assert problem.column == column, str(problem)
    for part in gist:
        assert part in problem.message, str(problem)
    assert str(problem).startswith(f"{path}:{line}:{problem.column}: ")


# -- the cases of issue 2 ------------------------------------------------------------------


def test_yaml_syntax_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.yaml",
        """\
        id: broken
        title: Broken
        sections:
          - id: one
            title: [unclosed
          - id: two
            title: Two
        """,
    )
    assert_at(only(problems_of(path)), path, 6, 7, "YAML syntax error")


def test_yaml_bad_indentation(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", "id: broken\ntitle: Broken\n  extra: indented\n")
    assert_at(only(problems_of(path)), path, 3, 8, "YAML syntax error", "mapping values")


def test_tab_indentation(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", "id: broken\ntitle: Broken\nsections:\n\t- id: s\n")
    assert_at(only(problems_of(path)), path, 4, 1, "YAML syntax error")


def test_wrong_type(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.yaml",
        """\
        id: typed
        title: Typed
        sections:
          - id: one
            title: 42
        """,
    )
    assert_at(only(problems_of(path)), path, 5, 12, "'title' should be text, found int")


def test_wrong_type_of_a_list(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", "id: typed\ntitle: Typed\nsections: just text\n")
    assert_at(only(problems_of(path)), path, 3, 11, "'sections' should be a list, found str")


def test_value_not_coerced(tmp_path: Path) -> None:
    """``month: '3'`` is text, not a number: strict models do not coerce."""
    path = write(
        tmp_path,
        "bad.yaml",
        """\
        id: plan
        title: Plan
        sections:
          - id: one
            title: One
        plan:
          - id: m1
            month: 'three'
            title: First month
            items: [one]
        """,
    )
    assert_at(only(problems_of(path)), path, 8, 12, "'month' should be a whole number")


def test_missing_required_field(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.yaml",
        """\
        id: missing
        title: Missing
        sections:
          - id: one
            title: One
          - id: two
            description: no title here
        """,
    )
    # the mapping that lacks the key
    assert_at(only(problems_of(path)), path, 6, 5, "missing required field 'title'")


def test_missing_top_level_field(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", "id: missing\ntitle: Missing\n")
    assert_at(only(problems_of(path)), path, 1, 1, "missing required field 'sections'")


def test_unknown_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.yaml",
        """\
        id: extra
        title: Extra
        sections:
          - id: one
            title: One
            colour: red
        """,
    )
    # the key itself, not its value
    assert_at(only(problems_of(path)), path, 6, 5, "unknown key 'colour'")


def test_invalid_id(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", GOOD.format(id="x").replace("id: first", "id: First Step"))
    assert_at(only(problems_of(path)), path, 7, 13, "'First Step' is not a valid id")


def test_invalid_url(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.yaml",
        """\
        id: links
        title: Links
        sections:
          - id: one
            title: One
            resources:
              - title: Docs
                url: ftp://example.org/docs
        """,
    )
    assert_at(only(problems_of(path)), path, 8, 14, "not a http(s) URL")


def test_every_problem_is_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.yaml",
        """\
        id: many
        title: Many
        sections:
          - id: one
            title: 1
          - id: two
            title: Two
            size: big
        """,
    )
    problems = problems_of(path)
    assert [(p.line, p.column) for p in problems] == [(5, 12), (8, 5)]


def test_duplicate_id(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.yaml",
        """\
        id: dupes
        title: Dupes
        sections:
          - id: basics
            title: Basics
            children:
              - id: step
                title: Step
              - id: step
                title: Step again
        """,
    )
    assert_at(only(problems_of(path)), path, 9, 13, "duplicate id 'step'", "first used on line 7")


def test_duplicate_id_between_section_and_project(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.yaml",
        """\
        id: dupes
        title: Dupes
        sections:
          - id: build
            title: Build
        projects:
          - id: build
            title: Build a thing
            level: beginner
            brief: Do it.
            milestones:
              - id: done-it
                title: Done
        """,
    )
    assert_at(only(problems_of(path)), path, 7, 9, "duplicate id 'build'", "line 4")


def test_duplicate_key(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", "id: one\ntitle: One\nid: two\nsections: []\n")
    assert_at(only(problems_of(path)), path, 3, 1, "duplicate key 'id'")


MASTER = """\
id: master
title: Master
sections:
  - id: tier-1
    title: Tier 1
    children:
      - id: http
        title: HTTP
      - id: sql
        title: SQL
        skill: sql
projects:
  - id: blog
    title: Blog
    level: beginner
    brief: Build a blog API.
    milestones:
      - id: blog-crud
        title: CRUD
    skills:
      - http
      - {project_skill}
plan:
  - id: month-1
    month: 1
    title: Month one
    items:
      - {month_item}
key_skills:
  - id: key-http
    title: HTTP
    items: [http]
careers:
  - id: junior
    title: Junior
    requires:
      - tier-1
      - {requirement}
covers:
  - {cover}
"""


def master(tmp_path: Path, **wrong: str) -> Path:
    values = {"project_skill": "sql", "month_item": "http", "requirement": "blog", "cover": "other"}
    values.update(wrong)
    return write(tmp_path, "master.yaml", MASTER.format(**values))


def test_master_fixture_is_valid(tmp_path: Path) -> None:
    loaded = load_roadmap(master(tmp_path), {"sql"})
    assert loaded.roadmap["id"] == "master"


def test_unknown_project_skill(tmp_path: Path) -> None:
    path = master(tmp_path, project_skill="htpp")
    assert_at(only(problems_of(path, {"sql"})), path, 22, 9, "unknown item id 'htpp'", "'http'")


def test_unknown_month_item(tmp_path: Path) -> None:
    path = master(tmp_path, month_item="tier-one")
    assert_at(only(problems_of(path, {"sql"})), path, 28, 9, "unknown item id 'tier-one'", "'tier-1'")


def test_unknown_career_requirement(tmp_path: Path) -> None:
    path = master(tmp_path, requirement="nowhere")
    assert_at(only(problems_of(path, {"sql"})), path, 38, 9, "unknown item id 'nowhere'")


def test_view_ids_are_not_references(tmp_path: Path) -> None:
    """A month may not point at another month, only at trackable items."""
    path = master(tmp_path, requirement="month-1")
    assert_at(only(problems_of(path, {"sql"})), path, 38, 9, "unknown item id 'month-1'")


def test_unknown_shared_skill_key(tmp_path: Path) -> None:
    path = master(tmp_path)
    problem = only(problems_of(path, {"sq1", "git"}))
    assert_at(problem, path, 11, 16, "unknown shared skill 'sql'", "did you mean 'sq1'")


def test_skill_key_on_a_parent(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.yaml",
        """\
        id: parent
        title: Parent
        sections:
          - id: basics
            title: Basics
            skill: git
            children:
              - id: one
                title: One
        """,
    )
    assert_at(only(problems_of(path, {"git"})), path, 6, 12, "'skill' belongs on a leaf")


def test_covers_unknown_roadmap(tmp_path: Path) -> None:
    folder = tmp_path / "maps"
    path = master(folder, cover="pythn")
    write(folder, "python.yaml", GOOD.format(id="python"))
    write(folder, "skills.yaml", SKILLS)
    catalog = load_catalog([folder])
    assert set(catalog.roadmaps) == {"master", "python"}
    assert_at(only(catalog.problems), path, 40, 5, "unknown roadmap id 'pythn'", "'python'")


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.yaml", "")
    assert_at(only(problems_of(path)), path, 1, 1, "file is empty")


def test_file_of_comments_only(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.yaml", "# nothing yet\n\n")
    assert_at(only(problems_of(path)), path, 1, 1, "file is empty")


def test_file_that_is_a_list(tmp_path: Path) -> None:
    path = write(tmp_path, "list.yaml", "# a list, not a roadmap\n\n- id: one\n- id: two\n")
    assert_at(only(problems_of(path)), path, 3, 1, "expected a mapping", "found a list")


def test_file_that_is_a_scalar(tmp_path: Path) -> None:
    path = write(tmp_path, "scalar.yaml", "\njust some words\n")
    assert_at(only(problems_of(path)), path, 2, 1, "expected a mapping", "found a single value")


def test_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"id: cafe\ntitle: Caf\xe9\nsections:\n  - id: one\n    title: One\n")
    assert_at(only(problems_of(path)), path, 2, 11, "not UTF-8", "0xe9")


def test_bad_byte_far_down_the_file(tmp_path: Path) -> None:
    path = tmp_path / "late.yaml"
    text = GOOD.format(id="late").encode() + b"      - id: third\n        title: Th\xffird\n"
    path.write_bytes(text)
    assert_at(only(problems_of(path)), path, 12, 18, "not UTF-8", "0xff")


BOMB = "\n".join(
    [
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(
            f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]"
            for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        "id: bomb",
        "title: Bomb",
        "sections: [*i]",
        "",
    ]
)


def test_alias_bomb_is_refused_quickly_and_small(tmp_path: Path) -> None:
    """A "billion laughs" file (9**9 strings) is refused before it eats time or memory."""
    path = write(tmp_path, "bomb.yaml", BOMB)
    assert path.stat().st_size < 1024
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    started = time.perf_counter()
    problem = only(problems_of(path))
    elapsed = time.perf_counter() - started
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
    assert elapsed < 2.0
    assert grown < 100 * 1024, f"peak memory grew by {grown} KiB"
    assert_at(problem, path, problem.line, None, "aliases expand past")
    assert 1 <= problem.line <= 9


def test_alias_that_refers_to_itself(tmp_path: Path) -> None:
    path = write(tmp_path, "loop.yaml", "id: loop\ntitle: Loop\nsections: &s\n  - id: one\n    title: *s\n")
    # an alias is the anchored node itself, so the anchor's position is reported
    assert_at(only(problems_of(path)), path, 3, 11, "alias refers to itself")


def test_plain_aliases_are_fine(tmp_path: Path) -> None:
    text = "resources: &docs\n  - title: Docs\n    url: https://example.org/\n" + GOOD.format(id="alias")
    second = "        title: Second step\n"
    text = text.replace(second, second + "        resources: *docs\n")
    loaded = load_roadmap(write(tmp_path, "alias.yaml", text))
    assert loaded.roadmap["sections"][0]["children"][1]["resources"][0]["title"] == "Docs"


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("w") as handle:
        handle.write(GOOD.format(id="huge"))
        line = "# " + "x" * 1021 + "\n"
        handle.write(line * (loader.MAX_FILE_BYTES // len(line) + 1))
    assert path.stat().st_size > loader.MAX_FILE_BYTES
    started = time.perf_counter()
    problem = only(problems_of(path))
    assert time.perf_counter() - started < 0.5  # refused before parsing
    assert_at(problem, path, 1, 1, "limit is 2 MiB")


def test_file_at_the_size_limit_loads(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    text = GOOD.format(id="big")
    path.write_text(text + "#" * (loader.MAX_FILE_BYTES - len(text) - 1) + "\n")
    assert path.stat().st_size == loader.MAX_FILE_BYTES
    assert load_roadmap(path).roadmap["id"] == "big"


def test_deep_nesting_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    for depth in (600, 5000):
        path = write(tmp_path, f"deep{depth}.yaml", "id: deep\nsections: " + "[" * depth + "]" * depth + "\n")
        problem = only(problems_of(path))
        assert "nest" in problem.message


@pytest.mark.parametrize(
    ("value", "gist"),
    [
        ("!!python/name:os.system ''", "unsupported YAML tag '!!python/name:os.system'"),
        ("!local thing", "unsupported YAML tag '!local'"),
        ("2024-02-30", "'2024-02-30' is not a valid timestamp"),
        ("!!int many", "'many' is not a valid int"),
    ],
)
def test_values_yaml_cannot_build(tmp_path: Path, value: str, gist: str) -> None:
    path = write(tmp_path, "bad.yaml", GOOD.format(id="tags").replace("Second step", value))
    assert_at(only(problems_of(path)), path, 10, 16, gist)


def test_merge_keys_are_refused(tmp_path: Path) -> None:
    text = "base: &base\n  title: Shared\nid: merge\n<<: *base\nsections: []\n"
    path = write(tmp_path, "merge.yaml", text)
    assert_at(only(problems_of(path)), path, 4, 1, "merge keys")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    assert_at(only(problems_of(path)), path, 1, 1, "cannot read file")


def test_skills_file_problems(tmp_path: Path) -> None:
    path = write(tmp_path, "skills.yaml", SKILLS + "  - key: git\n    title: Git again\n")
    with pytest.raises(RoadmapFileError) as caught:
        load_skills(path)
    assert_at(only(caught.value.problems), path, 6, 10, "duplicate skill key 'git'")
    path = write(tmp_path, "skills.yaml", "skills:\n  - key: git\n    name: Git\n")
    with pytest.raises(RoadmapFileError) as caught:
        load_skills(path)
    problems = caught.value.problems
    assert [(p.line, p.message) for p in problems] == [
        (2, "missing required field 'title'"),
        (3, "unknown key 'name'"),
    ]


# -- many files: the catalog ---------------------------------------------------------------


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "maps"
    write(folder, "a.yaml", GOOD.format(id="alpha"))
    bad = write(folder, "b.yaml", "id: beta\ntitle: [oops\n")
    write(folder, "c.yml", GOOD.format(id="gamma"))
    empty = write(folder, "d.yaml", "")
    write(folder, "notes.txt", "not a roadmap")
    catalog = load_catalog([folder])
    assert set(catalog.roadmaps) == {"alpha", "gamma"}
    assert [(p.path, p.line) for p in catalog.problems] == [(bad, 3), (empty, 1)]


def test_bad_shared_skills_file_is_listed_and_roadmaps_still_load(tmp_path: Path) -> None:
    folder = tmp_path / "maps"
    skills = write(folder, "skills.yaml", "skills: nope\n")
    write(folder, "a.yaml", GOOD.format(id="alpha"))
    catalog = load_catalog([folder])
    assert set(catalog.roadmaps) == {"alpha"}
    assert_at(only(catalog.problems), skills, 1, 9, "'skills' should be a list")


def test_two_files_with_one_id_in_one_folder(tmp_path: Path) -> None:
    folder = tmp_path / "maps"
    first = write(folder, "a.yaml", GOOD.format(id="same"))
    second = write(folder, "b.yaml", GOOD.format(id="same"))
    catalog = load_catalog([folder])
    assert catalog.roadmaps["same"].path == first
    assert_at(only(catalog.problems), second, 1, 1, "roadmap id 'same' is already used")


def test_user_folder_overrides_a_bundled_roadmap() -> None:
    """A user file with a bundled roadmap's id replaces it, and the catalog says so."""
    bundled = bundled_roadmaps_dir() / "backend-beginner.yaml"
    mine = write(user_roadmaps_dir(), "my-beginner.yaml", GOOD.format(id="backend-beginner"))
    catalog = load_catalog(roadmap_sources())
    assert catalog.roadmaps["backend-beginner"].path == mine
    assert catalog.roadmaps["backend-beginner"].title == "Roadmap backend-beginner"
    assert ("backend-beginner", bundled, mine) in catalog.overridden

    result = CliRunner().invoke(cli, ["roadmaps"])
    assert result.exit_code == 0, result.output
    assert f"note: {mine} replaces {bundled}" in result.stderr
    assert "Roadmap backend-beginner" in result.stdout


def test_tracker_roadmaps_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one = tmp_path / "one"
    two = tmp_path / "two"
    write(one, "a.yaml", GOOD.format(id="from-env-one"))
    write(two, "b.yaml", GOOD.format(id="from-env-two"))
    monkeypatch.setenv("TRACKER_ROADMAPS", os.pathsep.join([str(one), "", str(two)]))
    sources = roadmap_sources()
    assert sources[-2:] == [one, two]
    result = CliRunner().invoke(cli, ["roadmaps"])
    assert result.exit_code == 0, result.output
    assert "from-env-one" in result.stdout and "from-env-two" in result.stdout


def test_a_missing_folder_named_anywhere_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``TRACKER_ROADMAPS`` and ``--roadmaps`` agree: a folder you name must exist."""
    there = write(tmp_path / "there", "a.yaml", GOOD.format(id="there")).parent
    monkeypatch.setenv("TRACKER_ROADMAPS", os.pathsep.join([str(there), str(tmp_path / "typo")]))
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "p.db"), "roadmaps"])
    assert result.exit_code == 1
    assert result.stderr == f"tracker: TRACKER_ROADMAPS {tmp_path / 'typo'}: no such folder or file\n"
    assert not (tmp_path / "p.db").exists()


def test_a_tilde_is_expanded_in_every_path_option(tmp_path: Path, isolated_home: Path) -> None:
    write(isolated_home / "maps", "a.yaml", GOOD.format(id="at-home"))
    result = CliRunner().invoke(
        cli, ["--db", "~/mine.db", "--roadmaps", "~/maps", "mark", "at-home", "first", "done"]
    )
    assert result.exit_code == 0, result.output
    assert (isolated_home / "mine.db").is_file()
    assert not Path("~").exists()


@pytest.mark.parametrize("name", ["upper.YAML", "mixed.Yml", "lower.yaml"])
def test_loader_and_validate_agree_on_which_files_are_roadmaps(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "maps"
    write(folder, name, GOOD.format(id="found"))
    write(folder, "notes.txt", "not a roadmap")
    write(folder, "Skills.YAML", SKILLS)
    assert set(load_catalog([folder]).roadmaps) == {"found"}
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 0 and result.stderr == "2 files checked, no problems\n", result.output


def test_validate_a_pipe_or_a_device(tmp_path: Path) -> None:
    fifo = tmp_path / "roadmap.yaml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/null")):
        result = CliRunner().invoke(cli, ["validate", str(path)])
        assert result.exit_code == 1, result.output
        assert result.stdout == f"{path}:1:1: not a regular file (a folder, pipe, device or socket)\n"
        assert result.stderr == "1 file checked, 1 problem(s)\n"
    folder = tmp_path  # a pipe in a roadmaps folder is listed, not waited on
    catalog = load_catalog([folder])
    assert [str(problem) for problem in catalog.problems] == [
        f"{fifo}:1:1: not a regular file (a folder, pipe, device or socket)"
    ]


def test_a_folder_that_cannot_be_listed_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write(tmp_path / "locked", "a.yaml", GOOD.format(id="locked")).parent
    real = Path.iterdir

    def iterdir(self: Path):
        if self == folder:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)  # root can list any folder
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "p.db"), "--roadmaps", str(folder), "roadmaps"])
    assert result.exit_code == 0
    assert f"! {folder}:1:1: cannot list the folder: Permission denied" in result.stderr


def test_roadmaps_option_is_repeatable_and_later_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = tmp_path / "env"
    one = tmp_path / "one"
    two = tmp_path / "two"
    write(env, "a.yaml", GOOD.format(id="mine").replace("Roadmap mine", "From env"))
    write(one, "a.yaml", GOOD.format(id="mine").replace("Roadmap mine", "From one"))
    write(two, "a.yaml", GOOD.format(id="theirs"))
    monkeypatch.setenv("TRACKER_ROADMAPS", str(env))
    result = CliRunner().invoke(cli, ["--roadmaps", str(one), "--roadmaps", str(two), "roadmaps"])
    assert result.exit_code == 0, result.output
    assert "From one" in result.stdout and "From env" not in result.stdout
    assert "theirs" in result.stdout
    assert f"{one / 'a.yaml'} replaces {env / 'a.yaml'}" in result.stderr


# -- the parse cache -----------------------------------------------------------------------


def test_cache_serves_unchanged_files_and_rereads_changed_ones(tmp_path: Path) -> None:
    folder = tmp_path / "maps"
    path = write(folder, "a.yaml", GOOD.format(id="cached"))
    cache_file = tmp_path / "cache"
    assert load_catalog([folder], ParseCache(cache_file)).roadmaps["cached"].title == "Roadmap cached"
    assert len(list(cache_file.glob("*.marshal"))) == 1
    assert ParseCache(cache_file).get(path, path.read_bytes()) is not None

    path.write_text(GOOD.format(id="cached").replace("Roadmap cached", "Renamed roadmap"))
    stamp = path.stat()
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 1_000_000_000))
    assert ParseCache(cache_file).get(path, path.read_bytes()) is None
    assert load_catalog([folder], ParseCache(cache_file)).roadmaps["cached"].title == "Renamed roadmap"


def test_changed_file_that_became_bad_is_reported_from_its_yaml(tmp_path: Path) -> None:
    folder = tmp_path / "maps"
    path = write(folder, "a.yaml", GOOD.format(id="cached"))
    cache_file = tmp_path / "cache"
    load_catalog([folder], ParseCache(cache_file))
    path.write_text(GOOD.format(id="cached").replace("title: Second step", "title: 7"))
    catalog = load_catalog([folder], ParseCache(cache_file))
    assert catalog.roadmaps == {}
    assert_at(only(catalog.problems), path, 10, 16, "'title' should be text")


def test_cached_file_whose_skill_key_vanished_is_reported_at_its_line(tmp_path: Path) -> None:
    folder = tmp_path / "maps"
    skills = write(folder, "skills.yaml", SKILLS)
    path = write(folder, "a.yaml", GOOD.format(id="shared") + "        skill: sql\n")
    cache_file = tmp_path / "cache"
    catalog = load_catalog([folder], ParseCache(cache_file))
    assert catalog.problems == []
    assert catalog.roadmaps["shared"].node("second").skill == "sql"

    skills.write_text("skills:\n  - key: git\n    title: Git\n  - key: sqlite\n    title: SQLite\n")
    catalog = load_catalog([folder], ParseCache(cache_file))
    assert "shared" not in catalog.roadmaps
    assert_at(only(catalog.problems), path, 11, 16, "unknown shared skill 'sql'", "'sqlite'")


def test_unreadable_cache_file_is_ignored(tmp_path: Path) -> None:
    folder = tmp_path / "maps"
    write(folder, "a.yaml", GOOD.format(id="fine"))
    cache_dir = tmp_path / "cache"
    load_catalog([folder], ParseCache(cache_dir))
    (cache_file,) = cache_dir.glob("*.marshal")
    cache_file.write_bytes(b"\x00garbage\xff" * 10)
    assert set(load_catalog([folder], ParseCache(cache_dir)).roadmaps) == {"fine"}
    assert (
        ParseCache(cache_dir).get(folder / "a.yaml", (folder / "a.yaml").read_bytes()) is not None
    )  # rewritten


@pytest.mark.parametrize("edit", ["retitled", "invalid"])
def test_an_edit_that_keeps_size_and_time_is_seen(tmp_path: Path, edit: str) -> None:
    """``cp -p``, ``rsync -t`` or ``touch -d`` keep the old time; the size may not change."""
    folder = tmp_path / "maps"
    path = write(folder, "a.yaml", GOOD.format(id="cached"))
    cache = tmp_path / "cache"
    assert load_catalog([folder], ParseCache(cache)).roadmaps["cached"].title == "Roadmap cached"
    before = path.stat()
    new = GOOD.format(id="cached").replace(
        "Roadmap cached", "Roadmap CACHED" if edit == "retitled" else "[Roadmap cache"
    )
    assert len(new) == before.st_size
    path.write_text(new)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_mtime_ns, path.stat().st_size) == (before.st_mtime_ns, before.st_size)
    catalog = load_catalog([folder], ParseCache(cache))
    if edit == "retitled":
        assert catalog.roadmaps["cached"].title == "Roadmap CACHED"
    else:
        assert catalog.roadmaps == {} and "YAML syntax error" in only(catalog.problems).message


def cache_blobs(source: str, path: str) -> list[bytes]:
    """Cache files that are not what we wrote: wrong shapes, raw or behind a valid header."""
    shapes = [
        [1, 2, 3],
        {"source": source},
        {"source": source, "entries": [1]},
        {"source": source, "entries": {path: 5}},
        {"source": source, "entries": {path: (1,)}},
        {"source": source, "entries": {path: ("not a number", 1)}},
        {"source": "elsewhere", "entries": {}},
        {"version": 4, "source": source, "entries": {path: 5}},  # the old format, a bad entry
        {"version": 4, "source": source},
    ]
    blobs = [marshal.dumps(shape) for shape in shapes]
    for blob in list(blobs):
        blobs.append(ParseCache.MAGIC + zlib.crc32(blob).to_bytes(4, "big") + blob)
    return [*blobs, b"", ParseCache.MAGIC, b"\x00garbage\xff" * 10]


def test_a_cache_file_of_the_wrong_shape_is_ignored_and_rewritten(tmp_path: Path) -> None:
    folder = tmp_path / "maps"
    path = write(folder, "a.yaml", GOOD.format(id="fine"))
    cache_dir = tmp_path / "cache"
    load_catalog([folder], ParseCache(cache_dir))
    (cache_file,) = cache_dir.glob("*.marshal")
    good = cache_file.read_bytes()
    for blob in cache_blobs(str(folder), str(path)):
        cache_file.write_bytes(blob)
        catalog = load_catalog([folder], ParseCache(cache_dir))
        assert set(catalog.roadmaps) == {"fine"} and catalog.problems == [], blob[:60]
        assert cache_file.read_bytes() == good  # rebuilt


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0), noise=st.binary(max_size=64), position=st.integers(min_value=0))
def test_a_truncated_or_damaged_cache_file_is_ignored(
    tmp_path: Path, cut: int, noise: bytes, position: int
) -> None:
    folder = tmp_path / "maps"
    write(folder, "a.yaml", GOOD.format(id="fine"))
    cache_dir = tmp_path / "cache"
    load_catalog([folder], ParseCache(cache_dir))
    (cache_file,) = cache_dir.glob("*.marshal")
    good = cache_file.read_bytes()
    at = position % len(good)
    for damaged in (good[: cut % len(good)], good[:at] + noise + good[at + len(noise) :]):
        cache_file.write_bytes(damaged)
        assert set(load_catalog([folder], ParseCache(cache_dir)).roadmaps) == {"fine"}


def test_a_malformed_cache_never_stops_a_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "maps"
    path = write(folder, "a.yaml", GOOD.format(id="fine"))
    monkeypatch.setattr("tracker.locations.bundled_roadmaps_dir", lambda: folder)  # quick to parse
    db = tmp_path / "p.db"
    assert CliRunner().invoke(cli, ["--db", str(db), "roadmaps"]).exit_code == 0
    (cache_file,) = parse_cache_dir().glob("*.marshal")
    for blob in cache_blobs(str(folder), str(path)):
        cache_file.write_bytes(blob)
        result = CliRunner().invoke(cli, ["--db", str(db), "roadmaps"])
        assert result.exit_code == 0, result.output
        assert result.stdout.split()[0] == "fine"


def test_each_folder_has_its_own_cache_file(tmp_path: Path) -> None:
    """A big folder of your own is not read when only another folder's files are loaded."""
    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    write(mine, "a.yaml", GOOD.format(id="mine"))
    write(theirs, "b.yaml", GOOD.format(id="theirs"))
    cache_dir = tmp_path / "cache"
    load_catalog([mine, theirs], ParseCache(cache_dir))
    assert len(list(cache_dir.glob("*.marshal"))) == 2
    only_mine = ParseCache(cache_dir)
    assert set(load_catalog([mine], only_mine).roadmaps) == {"mine"}
    assert set(only_mine._entries) == {str(mine)}  # the other folder's file was never opened


# -- validate and schema -------------------------------------------------------------------


def test_validate_prints_file_line_column_and_exits_1(tmp_path: Path) -> None:
    good = write(tmp_path, "good.yaml", GOOD.format(id="good"))
    bad = write(tmp_path, "bad.yaml", GOOD.format(id="bad").replace("title: First step", "title: [1]"))
    result = CliRunner().invoke(cli, ["validate", str(good), str(bad)])
    assert result.exit_code == 1
    assert result.stdout == f"{bad}:8:16: 'title' should be text, found a list\n"
    assert "2 files checked, 1 problem(s)" in result.stderr


def test_validate_clean_files_exit_0(tmp_path: Path) -> None:
    folder = tmp_path / "maps"
    write(folder, "a.yaml", GOOD.format(id="good"))
    write(folder, "b.yaml", GOOD.format(id="better"))
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "2 files checked, no problems" in result.stderr


def test_validate_missing_path(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'nope.yaml'}:1:1: no such file or folder" in result.stdout


def test_validate_knows_bundled_skills_and_roadmaps(tmp_path: Path) -> None:
    """A user file may use the bundled shared skill keys and cover bundled roadmaps."""
    text = GOOD.format(id="mine") + "        skill: git\ncovers:\n  - backend-beginner\n"
    path = write(tmp_path, "mine.yaml", text)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0, result.output


def test_schema_is_json_schema_of_a_roadmap() -> None:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"id", "title", "sections"} <= set(schema["required"])
    assert schema["additionalProperties"] is False
    assert "covers" in schema["properties"]
