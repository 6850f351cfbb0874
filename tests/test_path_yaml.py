"""The ``path:`` block of a roadmap: its references checked at file:line:column, its schema,
and the links between a master competency and the covered sections that teach it."""

from __future__ import annotations

import json
from pathlib import Path
from textwrap import dedent

import pytest
from click.testing import CliRunner

from tracker.catalog import Catalog, load_catalog, validate_paths
from tracker.cli import cli
from tracker.loader import ParseCache, Problem, RoadmapFileError, load_roadmap

MASTER = """\
id: master
title: Master
sections:
  - id: tier
    title: Tier
    children:
      - id: lang-comp
        title: The language
        children:
          - id: fw-a
            title: Framework A
          - id: fw-b
            title: Framework B
          - id: shared-part
            title: Shared part
plan:
  - id: month-1
    month: 1
    title: First
    items: [tier]
  - id: month-2
    month: 2
    title: Second
    items: [fw-a]
path:
  languages:
    - id: lang
      title: Lang
      roadmap: covered
      competency: lang-comp
      months:
        - month: 1
          items: [basics]
      frameworks:
        - id: a
          title: A
          competency: fw-a
          months:
            - month: 2
              items: [web-a]
        - id: b
          title: B
          competency: fw-b
          roadmap: other
          months:
            - month: 2
              items: [b-intro]
"""

COVERED = """\
id: covered
title: Covered
sections:
  - id: basics
    title: Basics
    children:
      - id: first
        title: First
  - id: web-a
    title: Web with A
    children:
      - id: a-routing
        title: Routing in A
"""

OTHER = """\
id: other
title: Other
sections:
  - id: b-intro
    title: B intro
    children:
      - id: b-first
        title: B first
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(dedent(text), encoding="utf-8")
    return path


def folder_with(tmp_path: Path, master: str = MASTER) -> Path:
    folder = tmp_path / "roadmaps"
    write(folder, "master.yaml", master)
    write(folder, "covered.yaml", COVERED)
    write(folder, "other.yaml", OTHER)
    return folder


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """The 1-based line of the ``nth`` line holding ``needle``."""
    found = [number for number, line in enumerate(text.splitlines(), start=1) if needle in line]
    return found[nth]


def messages(problems: list[Problem]) -> list[str]:
    return [f"{p.path.name}:{p.line}:{p.column}: {p.message}" for p in problems]


def test_a_good_path_block_loads(tmp_path: Path) -> None:
    catalog = load_catalog([folder_with(tmp_path)])
    assert catalog.problems == []
    options = catalog.path_choices()
    assert options is not None and options.master_id == "master"
    language = options.language("lang")
    assert [f.roadmap_id for f in language.frameworks] == ["covered", "other"]
    assert language.frameworks[0].studies(2) == ("web-a",)


@pytest.mark.parametrize(
    ("old", "new", "needle", "column", "gist"),
    [
        (
            "competency: lang-comp",
            "competency: lang-compp",
            "competency: lang-compp",
            19,
            "unknown item id 'lang-compp'",
        ),
        ("competency: fw-b", "competency: nowhere", "competency: nowhere", 23, "unknown item id 'nowhere'"),
        (
            "            - month: 2\n              items: [b-intro]",
            "            - month: 7\n              items: [b-intro]",
            "- month: 7",
            22,
            "the plan has no month 7",
        ),
        ("        - id: b\n", "        - id: a\n", "- id: a", 15, "duplicate framework id 'a'"),
    ],
)
def test_bad_references_in_the_same_file(
    tmp_path: Path, old: str, new: str, needle: str, column: int, gist: str
) -> None:
    text = MASTER.replace(old, new)
    assert text != MASTER
    path = write(tmp_path, "master.yaml", text)
    with pytest.raises(RoadmapFileError) as caught:
        load_roadmap(path)
    problem = caught.value.problems[0]
    nth = 1 if "duplicate" in gist else 0
    assert (problem.line, problem.column) == (line_of(text, needle, nth), column), str(problem)
    assert gist in problem.message


@pytest.mark.parametrize(
    ("old", "new", "needle", "gist"),
    [
        (
            "items: [basics]",
            "items: [basic]",
            "items: [basic]",
            "no item 'basic' in roadmap 'covered' (did you mean 'basics'?)",
        ),
        ("roadmap: covered", "roadmap: coverd", "roadmap: coverd", "unknown roadmap id 'coverd'"),
        ("roadmap: other", "roadmap: another", "roadmap: another", "unknown roadmap id 'another'"),
        (
            "items: [b-intro]",
            "items: [a-routing]",
            "items: [a-routing]",
            "no item 'a-routing' in roadmap 'other'",
        ),
    ],
)
def test_bad_references_into_other_files(tmp_path: Path, old: str, new: str, needle: str, gist: str) -> None:
    text = MASTER.replace(old, new)
    catalog = load_catalog([folder_with(tmp_path, text)])
    found = messages(catalog.problems)
    assert len(found) == 1, found
    assert found[0].startswith(f"master.yaml:{line_of(text, needle)}:")
    assert gist in found[0]
    assert "master" in catalog.roadmaps  # the roadmap itself still loads


def test_an_unknown_roadmap_is_reported_once_not_per_item(tmp_path: Path) -> None:
    text = MASTER.replace("roadmap: covered", "roadmap: gone")
    catalog = load_catalog([folder_with(tmp_path, text)])
    assert len(catalog.problems) == 1  # the language's months and framework A name items of 'gone'


def test_a_broken_reference_is_found_from_the_parse_cache_too(tmp_path: Path) -> None:
    folder = folder_with(tmp_path)
    cache = tmp_path / "cache"
    assert load_catalog([folder], ParseCache(cache)).problems == []
    (folder / "covered.yaml").write_text(COVERED.replace("id: web-a", "id: web-x"), encoding="utf-8")
    found = messages(load_catalog([folder], ParseCache(cache)).problems)
    assert len(found) == 1
    assert found[0].startswith(
        f"master.yaml:{line_of(MASTER, '[web-a]')}:23: no item 'web-a' in roadmap 'covered'"
    )


def test_validate_checks_path_references(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, MASTER.replace("[basics]", "[nothing-here]"))
    count, problems = validate_paths([folder / "master.yaml"], [folder])
    assert count == 1
    assert [p.message for p in problems] == ["no item 'nothing-here' in roadmap 'covered'"]


def test_the_schema_describes_the_path_block() -> None:
    result = CliRunner().invoke(cli, ["schema"])
    schema = json.loads(result.stdout)
    assert "path" in schema["properties"]
    assert {"LanguageOption", "FrameworkOption", "StudyMonth"} <= set(schema["$defs"])
    assert schema["$defs"]["FrameworkOption"]["required"] == ["id", "title", "competency"]


def test_unknown_keys_in_the_block_are_refused(tmp_path: Path) -> None:
    text = MASTER.replace("      competency: lang-comp\n", "      competency: lang-comp\n      colour: red\n")
    path = write(tmp_path, "master.yaml", text)
    with pytest.raises(RoadmapFileError) as caught:
        load_roadmap(path)
    assert "unknown key 'colour'" in str(caught.value)


# -- links between the master and the covered roadmaps ---------------------------------------


def test_a_competency_links_to_the_sections_that_teach_it(tmp_path: Path) -> None:
    catalog = load_catalog([folder_with(tmp_path)])
    fw_a = catalog.node("master", "fw-a")
    links = [(link.relation, link.roadmap_id, link.target.id) for link in catalog.cross_links(fw_a, "master")]
    assert ("studied in Covered", "covered", "web-a") in links
    lang = catalog.node("master", "lang-comp")
    links = [(link.relation, link.target.id) for link in catalog.cross_links(lang, "master")]
    assert ("studied in Covered", "basics") in links


def test_a_covered_section_links_back_to_its_competency(tmp_path: Path) -> None:
    catalog = load_catalog([folder_with(tmp_path)])
    links = catalog.cross_links(catalog.node("other", "b-intro"), "other")
    assert [(link.relation, link.roadmap_id, link.target.id) for link in links] == [
        ("for B in Master", "master", "fw-b")
    ]


def test_bundled_fastapi_competency_links_to_the_python_roadmap(bundled_catalog: Catalog) -> None:
    node = bundled_catalog.node("backend-server", "py-fastapi")
    targets = {
        (link.roadmap_id, link.target.id) for link in bundled_catalog.cross_links(node, "backend-server")
    }
    assert ("python", "py-fastapi") in targets
