"""Validate a whole file's data against the models without building them.

Importing pydantic's models takes longer than reading every bundled roadmap,
so files are checked with the models' own pydantic-core schemas, each model in
them made a typed dict (:func:`plain_schema`), stored in ``model_schema.json``
by ``scripts/model_schema.py``. They are used only with the pydantic-core that
wrote them; with another, the models check the data. Either way the result is
the ``model_dump()`` of a valid file, or ``None``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

SCHEMA_FILE = Path(__file__).with_name("model_schema.json")
MODELS = ("Roadmap", "SkillRegistry")
"""The models of whole files (in :mod:`tracker.model`)."""


def validated(model: str, data: Any) -> dict[str, Any] | None:
    """``data`` as the model named ``model`` dumps it, or ``None`` if it is not valid."""
    from pydantic_core import ValidationError

    validator = _validators().get(model)
    try:
        if validator is not None:
            return validator.validate_python(data)
        from tracker import model as models

        return getattr(models, model).model_validate(data).model_dump()
    except ValidationError:
        return None


@cache
def _validators() -> dict[str, Any]:
    """A validator per stored schema; none if they were written for another pydantic-core."""
    import pydantic_core

    try:
        stored = json.loads(SCHEMA_FILE.read_bytes())
    except (OSError, ValueError):
        return {}
    if stored.get("pydantic_core") != pydantic_core.__version__:
        return {}
    return {name: pydantic_core.SchemaValidator(schema) for name, schema in stored["schemas"].items()}


def generate() -> dict[str, Any]:
    """What ``model_schema.json`` should hold for the installed pydantic-core."""
    import pydantic_core

    from tracker import model as models

    schemas = {name: plain_schema(getattr(models, name)) for name in MODELS}
    return {"pydantic_core": pydantic_core.__version__, "schemas": schemas}


def plain_schema(model: type[BaseModel]) -> dict[str, Any]:
    """``model``'s pydantic-core schema with every model in it made a typed dict.

    The same checks, but it validates to the plain data that ``model_dump()``
    gives, and it is plain data itself (JSON), its references named after the
    models rather than their memory addresses.
    """
    names: dict[str, str] = {}

    def plain(node: Any) -> Any:
        if isinstance(node, list):
            return [plain(item) for item in node]
        if not isinstance(node, dict):
            return node
        if node.get("type") != "model":
            return {key: plain(value) for key, value in node.items() if key != "metadata"}
        names[node["ref"]] = node["cls"].__name__
        fields = {
            name: {
                "type": "typed-dict-field",
                "schema": plain(field["schema"]),
                "required": field["schema"]["type"] != "default",
                **{key: field[key] for key in ("validation_alias",) if key in field},
            }
            for name, field in node["schema"]["fields"].items()
        }
        config = {key: value for key, value in node["config"].items() if key != "title"}
        return {"type": "typed-dict", "fields": fields, "ref": names[node["ref"]], "config": config}

    def renamed(node: Any) -> Any:
        if isinstance(node, list):
            return [renamed(item) for item in node]
        if isinstance(node, dict):
            return {k: names[v] if k == "schema_ref" else renamed(v) for k, v in node.items()}
        return node

    return renamed(plain(model.__pydantic_core_schema__))
