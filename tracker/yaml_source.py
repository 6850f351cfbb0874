"""Read YAML into a node tree that remembers where every value stands.

Used for a file the quick reader (:mod:`tracker.yaml_quick`) leaves alone,
and for every error report: each problem points at the node at fault (a valid
file's tree is composed only when a problem is found in it: :class:`LazyDocument`).
Guards against bytes that are not UTF-8 and alias bombs.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from tracker.problems import Problem, RoadmapFileError
from tracker.untrusted import control_character

MAX_EXPANDED_NODES = 200_000
"""Refuse files whose aliases expand past this many nodes (a "billion laughs")."""

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's loader where PyYAML was built with it, else the pure-Python one."""

Location = tuple[str | int, ...]


class YamlDocument:
    """A parsed YAML document: plain Python data plus the nodes it came from."""

    def __init__(self, path: Path, root: yaml.Node):
        self.path = path
        self.root = root
        self._expanded = 0
        self._scalars = yaml.constructor.SafeConstructor()

    def problem(self, node: yaml.Node | None, message: str) -> Problem:
        mark = node.start_mark if node is not None else None
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return Problem(self.path, line, column, message)

    def to_python(self) -> Any:
        try:
            return self._build(self.root, ())
        except RecursionError:
            raise RoadmapFileError([self.problem(self.root, "YAML nested too deeply")]) from None

    def _build(self, node: yaml.Node, stack: tuple[yaml.Node, ...]) -> Any:
        self._expanded += 1
        if self._expanded > MAX_EXPANDED_NODES:
            raise RoadmapFileError(
                [self.problem(node, f"aliases expand past {MAX_EXPANDED_NODES:,} nodes; refused")]
            )
        if any(node is seen for seen in stack):
            raise RoadmapFileError([self.problem(node, "an alias refers to itself")])
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self._build(key_node, stack)
                if not isinstance(key, str):
                    raise RoadmapFileError([self.problem(key_node, f"key {key!r} is not text")])
                if key in result:
                    raise RoadmapFileError([self.problem(key_node, f"duplicate key '{key}'")])
                result[key] = self._build(value_node, (*stack, node))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self._build(child, (*stack, node)) for child in node.value]
        try:
            value = self._scalars.construct_object(node)
        except Exception:  # an unknown tag, or a value its tag cannot hold (2024-02-30)
            raise RoadmapFileError([self.problem(node, _bad_scalar(node))]) from None
        control = control_character(value) if isinstance(value, str) else None
        if control is not None:  # only an escape ("\e", "\x9b") can put one in
            raise RoadmapFileError(
                [self.problem(node, f"text holds U+{ord(control):04X}, a control character; remove it")]
            )
        return value

    def locate(self, location: Location, *, key: bool = False) -> yaml.Node:
        """The deepest node along ``location``; its key node when ``key`` is set."""
        node = self.root
        for index, part in enumerate(location):
            last = index == len(location) - 1
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                pair = next((kv for kv in node.value if kv[0].value == part), None)
                if pair is None:
                    break
                node = pair[0] if (last and key) else pair[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if not 0 <= part < len(node.value):
                    break
                node = node.value[part]
            else:
                break
        return node


class LazyDocument:
    """A file's node tree, composed only when a problem needs a position."""

    def __init__(self, path: Path, content: bytes):
        self.path = path
        self.content = content

    @cached_property
    def document(self) -> YamlDocument:
        return read_document(self.path, self.content)

    def locate(self, location: Location, *, key: bool = False) -> yaml.Node:
        return self.document.locate(location, key=key)

    def problem(self, node: yaml.Node | None, message: str) -> Problem:
        return self.document.problem(node, message)


def _bad_scalar(node: yaml.Node) -> str:
    """Why a scalar could not be read: an unsupported tag or an impossible value."""
    tag = node.tag.removeprefix("tag:yaml.org,2002:")
    if tag == "merge":
        return "merge keys ('<<') are not supported; write the keys out"
    if node.tag not in yaml.constructor.SafeConstructor.yaml_constructors:
        return f"unsupported YAML tag '{'!!' + tag if tag != node.tag else tag}'"
    return f"'{node.value}' is not a valid {tag} (quote it to keep it as text)"


def read_document(path: Path, data: bytes) -> YamlDocument:
    """Compose the bytes ``data`` read from ``path``; raise :class:`RoadmapFileError` on any failure."""

    def whole_file(message: str) -> RoadmapFileError:
        return RoadmapFileError([Problem(path, 1, 1, message)])

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise RoadmapFileError(
            [Problem(path, line, column, f"not UTF-8 text (byte 0x{data[error.start]:02x})")]
        ) from None
    try:
        root = yaml.compose(text, Loader=LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = error.problem or error.context or "invalid YAML"
        start = error.context_mark
        if error.problem and error.context and start is not None and start.line + 1 != line:
            what += f" ({error.context} that starts on line {start.line + 1})"
        raise RoadmapFileError([Problem(path, line, column, f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as error:
        raise whole_file(f"YAML error: {error}") from None
    except RecursionError:
        raise whole_file("YAML nested too deeply") from None
    if root is None:
        raise whole_file("file is empty")
    document = YamlDocument(path, root)
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        raise RoadmapFileError([document.problem(root, f"expected a mapping of keys, found {kind}")])
    return document
