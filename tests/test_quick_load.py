"""The loader's quick route agrees with its careful one.

A file is first read from libyaml's events and validated with the models'
stored core schema, with no positions and no models; only a file that this
route cannot vouch for is read again with positions and validated by the
models. The quick route must never accept what the careful one refuses, must
give the same data, and a bad file must get the same problems either way.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import pydantic_core
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tracker import model, model_schema, yaml_quick, yaml_source
from tracker.loader import RoadmapFileError, load_roadmap, load_skills
from tracker.locations import bundled_roadmaps_dir
from tracker.model_schema import SCHEMA_FILE, generate, validated
from tracker.yaml_quick import read_quick
from tracker.yaml_source import read_document

BASE = """\
id: quick
title: Quick roadmap
description: Read the quick way
sections:
  - id: basics
    title: Basics
    children:
      - id: first
        title: First step
        skill: git
      - id: second
        title: Second step
        resources:
          - title: Docs
            url: https://example.org/docs
projects:
  - id: project
    title: A project
    level: beginner
    brief: Build it
    milestones:
      - id: milestone
        title: Done
    skills: [first]
plan:
  - id: month-one
    month: 1
    title: Month one
    items: [basics, second]
"""

SKILLS = """\
skills:
  - key: git
    title: Git
  - key: sql
    title: SQL
    cross_language: true
moved:
  - from: old-git
    to: [git]
"""


@contextmanager
def careful_only() -> Iterator[None]:
    """Every file goes the careful way, as before the quick route existed."""
    with mock.patch.object(yaml_quick, "read_quick", lambda text: None):
        yield


def outcome(load: Any, path: Path, *args: Any) -> Any:
    """What loading ``path`` gives: its data, or its problems as printed."""
    try:
        result = load(path, *args)
    except RoadmapFileError as error:
        return [str(problem) for problem in error.problems]
    return repr(getattr(result, "roadmap", result))  # repr: True is not 1, nor 1.0


def both_routes(load: Any, path: Path, *args: Any) -> tuple[Any, Any]:
    quick = outcome(load, path, *args)
    with careful_only():
        careful = outcome(load, path, *args)
    return quick, careful


# -- the schema the quick route validates with ------------------------------------------------


def test_the_stored_schema_is_the_models() -> None:
    stored = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    if stored["pydantic_core"] != pydantic_core.__version__:
        pytest.skip(
            f"model_schema.json is for pydantic-core {stored['pydantic_core']}, this is "
            f"{pydantic_core.__version__}: run python scripts/model_schema.py"
        )
    assert stored == json.loads(json.dumps(generate())), "run python scripts/model_schema.py"
    assert set(model_schema._validators()) == set(model_schema.MODELS)


def test_with_another_pydantic_core_the_models_validate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pydantic_core, "__version__", "0.0.0")
    model_schema._validators.cache_clear()
    try:
        assert model_schema._validators() == {}
        assert validated("Roadmap", {"id": "x", "title": "X", "sections": [{"id": "a", "title": "A"}]})
        assert validated("Roadmap", {"id": "x"}) is None
    finally:
        model_schema._validators.cache_clear()


SLUGS = st.sampled_from(["a", "b-c", "B", "a--b", "", "x" * 81, "first", "basics"])
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 40),
    st.floats(allow_nan=False),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)),
    st.sampled_from(["", " ", " padded ", "Text", "3", "true", "https://example.org", "ftp://x", "\x1b"]),
    SLUGS,
)


def shaped(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Mappings with some of ``fields``, sometimes a stray key or a value of any kind."""
    return st.fixed_dictionaries(
        {}, optional={**{name: st.one_of(values, VALUES) for name, values in fields.items()}, "stray": VALUES}
    )


items = st.recursive(
    shaped({"id": SLUGS, "title": VALUES}),
    lambda children: shaped(
        {"id": SLUGS, "title": VALUES, "children": st.lists(children, max_size=3), "skill": SLUGS}
    ),
    max_leaves=6,
)
roadmaps = shaped(
    {
        "id": SLUGS,
        "title": VALUES,
        "sections": st.lists(items, max_size=3),
        "plan": st.lists(
            shaped({"id": SLUGS, "month": VALUES, "title": VALUES, "items": st.lists(SLUGS, max_size=2)}),
            max_size=2,
        ),
        "projects": st.lists(
            shaped(
                {
                    "id": SLUGS,
                    "title": VALUES,
                    "level": st.sampled_from(["beginner", "expert"]),
                    "brief": VALUES,
                    "milestones": st.lists(shaped({"id": SLUGS, "title": VALUES}), max_size=2),
                }
            ),
            max_size=2,
        ),
    }
)
registries = shaped(
    {
        "skills": st.lists(shaped({"key": SLUGS, "title": VALUES, "cross_language": VALUES}), max_size=3),
        "moved": st.lists(
            shaped({"from": SLUGS, "source": SLUGS, "to": st.lists(SLUGS, max_size=2)}), max_size=2
        ),
    }
)


def by_the_models(name: str, data: Any) -> dict[str, Any] | None:
    try:
        return getattr(model, name).model_validate(data).model_dump()
    except ValidationError:
        return None


@settings(max_examples=300, deadline=None)
@given(data=roadmaps)
def test_the_stored_schema_accepts_what_the_models_accept(data: dict[str, Any]) -> None:
    assert repr(validated("Roadmap", data)) == repr(by_the_models("Roadmap", data))


@settings(max_examples=150, deadline=None)
@given(data=registries)
def test_the_stored_schema_accepts_what_the_models_accept_in_a_skills_file(data: dict[str, Any]) -> None:
    assert repr(validated("SkillRegistry", data)) == repr(by_the_models("SkillRegistry", data))


# -- reading YAML ------------------------------------------------------------------------------


def test_every_bundled_file_takes_the_quick_route_to_the_same_data() -> None:
    for path in sorted(bundled_roadmaps_dir().glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data = read_quick(text)
        assert data is not None, path
        assert repr(data) == repr(read_document(path, text.encode()).to_python()), path
        name = "SkillRegistry" if path.name == "skills.yaml" else "Roadmap"
        assert repr(validated(name, data)) == repr(by_the_models(name, data)), path


TOKENS = [
    "plain text",
    "Tier 1",
    "yes",
    "No",
    "on",
    "~",
    "null",
    "",
    "3",
    "-1",
    "0x1f",
    "0o17",
    "017",
    "1_000",
    "1:20",
    "1.5",
    ".inf",
    ".NaN",
    "2024-01-31",
    "2024-02-30",
    "2001-12-14 21:59:43.10 -5",
    "<<",
    "=",
    "&a value",
    "*a",
    "!!str 3",
    "!!int x",
    "!!binary aGk=",
    "!custom x",
    "! x",
    '"\\e[2J"',
    '"\\x85"',
    '"\\ud800"',
    '"tab\\tand newline\\n"',
    "'single ''quoted'''",
    '"double"',
    "[a, b]",
    "{a: 1}",
    "{a: 1, a: 2}",
    "[unclosed",
    "'unclosed",
    "a: b: c",
    "value # comment",
    "é\u2028",
    "\x85",
    "\x7f",
    "\t",
]
KEYS = [
    "id",
    "title",
    "a",
    "a",
    "1",
    "yes",
    "~",
    "null",
    '"quoted"',
    "'q'",
    "<<",
    "? k",
    "[k]",
    "&k key",
    "*k",
]


def render(node: Any, indent: int = 0) -> list[str]:
    """YAML lines for a tree of ``("map", [(key, child)])``, ``("seq", [child])`` and raw scalars."""
    pad = " " * indent
    if isinstance(node, str):
        return [pad + node]
    kind, children = node
    lines = []
    for entry in children:
        key, child = entry if kind == "map" else (None, entry)
        head = f"{pad}{key}:" if kind == "map" else f"{pad}-"
        if isinstance(child, str):
            lines.append(f"{head} {child}")
        else:
            lines += [head, *render(child, indent + 2)]
    return lines or [pad + ("{}" if kind == "map" else "[]")]


PLAIN_KEYS = ["id", "title", "children", *"abcdefghijklmnopq"]
HARMLESS = ["plain text", "Tier 1", "3", "yes", "'single ''quoted'''", '"double"', "[a, b]", "{a: 1}"]
scalars = st.sampled_from(HARMLESS * 6 + TOKENS)
"""Values and keys: mostly harmless ones (so that many files are valid YAML), the odd trap."""
keys = st.sampled_from(PLAIN_KEYS * 2 + KEYS)
yaml_trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.tuples(st.just("map"), st.lists(st.tuples(keys, children), max_size=4)),
        st.tuples(st.just("seq"), st.lists(children, max_size=4)),
    ),
    max_leaves=16,
)
yaml_texts = st.builds(
    lambda root, head, tail: head + "\n".join(render(root)) + tail,
    st.tuples(st.just("map"), st.lists(st.tuples(keys, yaml_trees), min_size=1, max_size=4)),
    st.one_of(st.just(""), st.sampled_from(["---\n", "%YAML 1.1\n---\n", "\ufeff", "# comment\n"])),
    st.one_of(
        st.just("\n"), st.sampled_from(["", "\n...\n", "\n---\nb: 2\n", "\n  stray: indent\n", "\r\n"])
    ),
)


@settings(max_examples=400, deadline=None)
@given(text=yaml_texts)
def test_quick_yaml_never_accepts_what_the_careful_reader_refuses(text: str) -> None:
    quick = read_quick(text)
    if quick is not None:
        document = read_document(Path("any.yaml"), text.encode("utf-8"))  # raises if it refuses
        assert repr(document.to_python()) == repr(quick)


def test_the_quick_reader_accepts_what_it_should(tmp_path: Path) -> None:
    """So that the property above is not met by refusing everything."""
    assert read_quick(BASE) is not None
    assert read_quick("---\na: [1, yes, ~, 2024-01-31, '3', \"x\\ty\"]\nb: {c: d}\n...\n") == {
        "a": [1, True, None, date(2024, 1, 31), "3", "x\ty"],
        "b": {"c": "d"},
    }


def test_too_many_nodes_is_left_to_the_careful_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_quick, "MAX_EXPANDED_NODES", 40)
    monkeypatch.setattr(yaml_source, "MAX_EXPANDED_NODES", 40)
    assert read_quick(BASE) is None
    with pytest.raises(RoadmapFileError, match="expand past 40 nodes"):
        read_document(Path("any.yaml"), BASE.encode()).to_python()


# -- whole files: the same data, the same problems ---------------------------------------------

EDITS = {
    "valid": [],
    "wrong type": [("title: First step", "title: 5")],
    "a bool for text": [("title: Basics", "title: yes")],
    "nothing for text": [("title: Basics", "title: ~")],
    "a date for text": [("title: Basics", "title: 2024-01-31")],
    "an impossible date": [("title: Basics", "title: 2024-02-30")],
    "a float month": [("month: 1", "month: 1.0")],
    "a quoted month": [("month: 1", "month: '1'")],
    "a hexadecimal month": [("month: 1", "month: 0x1")],
    "a sexagesimal month": [("month: 1", "month: 0:1")],
    "unknown key": [("    title: Basics", "    title: Basics\n    colour: red")],
    "bad reference": [("items: [basics, second]", "items: [basics, secnd]")],
    "duplicate id": [("id: second", "id: first")],
    "unknown shared skill": [("skill: git", "skill: gti")],
    "skill on a parent": [("    title: Basics", "    title: Basics\n    skill: git")],
    "escaped control character": [("title: Basics", 'title: "Bas\\eics"')],
    "escaped C1 control": [("title: Basics", 'title: "Bas\\x9bics"')],
    "escaped lone surrogate": [("title: Basics", 'title: "\\ud800"')],
    "raw next-line character": [("title: Basics", "title: Bas\x85ics")],
    "syntax error": [("title: Basics", "title: [Basics")],
    "bad indentation": [("description: Read", "  description: Read")],
    "duplicate key": [("title: Quick roadmap", "title: Quick roadmap\ntitle: Again")],
    "duplicate nested key": [("        title: Done", "        title: Done\n        title: Again")],
    "anchor and alias": [("title: Basics", "title: &t Basics"), ("title: Month one", "title: *t")],
    "undefined alias": [("title: Month one", "title: *nowhere")],
    "merge key": [("  - id: month-one", "  - <<: {id: month-one}")],
    "str tag": [("title: Basics", "title: !!str 5")],
    "binary tag": [("title: Basics", "title: !!binary aGk=")],
    "unknown tag": [("title: Basics", "title: !custom x")],
    "non-specific tag": [("title: Basics", "title: ! Basics")],
    "key that is a number": [("description: Read the quick way", "1: one")],
    "key that is a list": [("description: Read the quick way", "? [a]\n: b")],
    "a second document": [("items: [basics, second]", "items: [basics, second]\n---\nid: other")],
    "explicit document markers": [
        ("id: quick", "---\nid: quick"),
        ("[basics, second]", "[basics, second]\n..."),
    ],
    "a list at the top": [("id: quick\n", "- id: quick\n")],
    "a block scalar": [("description: Read the quick way", "description: |\n  Read\n  the quick way")],
    "windows line ends": [("\n", "\r\n")],
    "a byte-order mark": [("id: quick", "\ufeffid: quick")],
}


def edited(edits: list[tuple[str, str]]) -> str:
    text = BASE
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize("edits", EDITS.values(), ids=EDITS.keys())
def test_quick_and_careful_routes_agree(tmp_path: Path, edits: list[tuple[str, str]]) -> None:
    path = tmp_path / "quick.yaml"
    path.write_bytes(edited(edits).encode("utf-8"))
    quick, careful = both_routes(load_roadmap, path, {"git", "sql"})
    assert quick == careful


@pytest.mark.parametrize(
    "text",
    [
        b"",
        b"# nothing but a comment\n",
        b"just a value\n",
        b"\xff\xfe not UTF-8",
        b"id: deep\ntitle: Deep\nsections: " + b"[" * 150 + b"]" * 150 + b"\n",
    ],
    ids=["empty", "comment", "scalar", "not UTF-8", "deep"],
)
def test_quick_and_careful_routes_agree_on_odd_files(tmp_path: Path, text: bytes) -> None:
    path = tmp_path / "odd.yaml"
    path.write_bytes(text)
    quick, careful = both_routes(load_roadmap, path)
    assert quick == careful and isinstance(quick, list)


@pytest.mark.parametrize(
    "edits",
    [
        [],
        [("key: sql", "key: git")],
        [("cross_language: true", "cross_language: 'yes'")],
        [("cross_language: true", "cross_language: yes")],
        [("from: old-git", "source: old-git")],
        [("title: SQL", "title: SQL\n    level: high")],
    ],
    ids=["valid", "duplicate key", "quoted bool", "yes", "by name", "unknown key"],
)
def test_quick_and_careful_routes_agree_on_skills_files(tmp_path: Path, edits: list[tuple[str, str]]) -> None:
    text = SKILLS
    for old, new in edits:
        text = text.replace(old, new)
    path = tmp_path / "skills.yaml"
    path.write_text(text, encoding="utf-8")
    quick, careful = both_routes(load_skills, path)
    assert quick == careful


lines = BASE.splitlines()


@settings(max_examples=150, deadline=None)
@given(
    line=st.integers(0, len(lines) - 1),
    token=st.sampled_from(TOKENS),
    how=st.sampled_from(["value", "line", "after", "indent"]),
)
def test_any_one_line_edit_gets_the_same_answer_both_ways(line: int, token: str, how: str) -> None:
    edited_lines = list(lines)
    head, _, _ = edited_lines[line].partition(": ")
    if how == "value":
        edited_lines[line] = f"{head}: {token}"
    elif how == "line":
        edited_lines[line] = token
    elif how == "after":
        edited_lines.insert(line + 1, edited_lines[line])  # the same key twice, or a list item more
    else:
        edited_lines[line] = "  " + edited_lines[line]
    path = Path("edited.yaml")  # never read: its bytes come from the patched read_source
    with mock.patch("tracker.loader.read_source", lambda _: "\n".join(edited_lines).encode("utf-8")):
        quick, careful = both_routes(load_roadmap, path, {"git"})
    assert quick == careful


# -- positions and models only where a problem is found ----------------------------------------


def test_a_valid_file_is_never_read_with_positions(tmp_path: Path) -> None:
    path = tmp_path / "quick.yaml"
    path.write_text(BASE, encoding="utf-8")
    with mock.patch("tracker.yaml_source.read_document", side_effect=AssertionError("positions read")):
        assert load_roadmap(path, {"git"}).roadmap["id"] == "quick"


def test_loading_the_bundled_roadmaps_needs_no_models_and_no_positions() -> None:
    code = (
        "import sys\n"
        "from tracker.catalog import load_catalog\n"
        "from tracker.locations import bundled_roadmaps_dir\n"
        "catalog = load_catalog([bundled_roadmaps_dir()])\n"
        "assert catalog.problems == [] and len(catalog.roadmaps) == 23, catalog.problems\n"
        "watched = ('tracker.model', 'pydantic.main', 'tracker.yaml_source')\n"
        "print(sorted(m for m in watched if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['tracker.yaml_source']"  # imported for its loader class only
