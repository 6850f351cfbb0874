"""Read YAML straight into plain data, for a file that needs no positions.

The loader's first try at a file. libyaml's events become dicts, lists and
values with no node tree in between, a third of the careful reader's work
(:mod:`tracker.yaml_source`). Whatever that reader would treat specially or
refuse, this one gives up on, returning ``None``: a syntax error, a tag, an
anchor or alias, a key that is not text or comes twice, a value its tag cannot
hold, a control character, a second document, deep nesting, too many nodes.
The loader then reads the file with positions, so errors read as before; what
this returns is always what the careful reader would.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from tracker.untrusted import control_character
from tracker.yaml_source import LOADER, MAX_EXPANDED_NODES

MAX_DEPTH = 100
"""Deeper files go to the careful reader (which reports nesting too deep for it)."""

_RESOLVED = frozenset(LOADER.yaml_implicit_resolvers)
"""First characters of the plain values that may be other than text (``3``, ``no``, ``~``)."""
_TEXT = "tag:yaml.org,2002:str"
_KEY = object()
"""Stands for "a key comes next" in a mapping being built."""
_FAILED = object()


def read_quick(text: str) -> dict[str, Any] | None:
    """The mapping that ``text`` holds, or ``None`` if only the careful reader may say."""
    if control_character(text) is not None:  # then only an escape ("\\e") can put one in a value
        return None
    loader = LOADER(text)
    try:
        return _build(loader)
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


def _build(loader: Any) -> dict[str, Any] | None:
    """The document's root mapping, from the loader's events (one loop: files are big)."""
    get = loader.get_event
    get()  # the stream's start
    if type(get()) is not DocumentStartEvent:
        return None
    event = get()
    if type(event) is not MappingStartEvent or event.anchor is not None or event.tag is not None:
        return None
    root: dict[str, Any] = {}
    container: Any = root
    key: Any = _KEY
    outer: list[tuple[Any, Any]] = []  # the containers around this one, and their keys
    nodes = 1
    while True:
        event = get()
        kind = type(event)
        if kind is MappingEndEvent or kind is SequenceEndEvent:
            if not outer:
                break
            container, key = outer.pop()
            continue
        nodes += 1
        if event.anchor is not None:  # an anchor, or an alias (which has one)
            return None
        value: Any
        if kind is ScalarEvent:
            if event.tag is not None:
                return None
            value = event.value
            if event.implicit[0]:
                if not value or value[0] in _RESOLVED:
                    value = _plain(loader, value, event.implicit)
                    if value is _FAILED:
                        return None
            elif event.style == '"' and control_character(value) is not None:
                return None
            if key is not _KEY:
                container[key] = value
                key = _KEY
            elif type(container) is list:
                container.append(value)
            elif type(value) is str and value not in container:
                key = value
            else:
                return None  # a key that is not text, or a second one of a name
            continue
        if kind is MappingStartEvent:
            value = {}
        elif kind is SequenceStartEvent:
            value = []
        else:
            return None
        if event.tag is not None or len(outer) >= MAX_DEPTH:
            return None
        if key is not _KEY:
            container[key] = value
        elif type(container) is list:
            container.append(value)
        else:
            return None  # a key that is a mapping or a list
        outer.append((container, _KEY))
        container, key = value, _KEY
    if nodes > MAX_EXPANDED_NODES:
        return None
    if type(get()) is not DocumentEndEvent or type(get()) is not StreamEndEvent:
        return None
    return root


def _plain(loader: Any, value: str, implicit: tuple[bool, bool]) -> Any:
    """A plain value as the careful reader builds it (``3``, ``null``, ``2024-01-31``), or ``_FAILED``."""
    tag = loader.resolve(yaml.ScalarNode, value, implicit)
    if tag == _TEXT:
        return value
    try:
        return loader.construct_object(yaml.ScalarNode(tag, value))
    except Exception:  # a tag with no constructor ('<<' merges), or an impossible date
        return _FAILED
