"""Write ``tracker/model_schema.json`` from the models in ``tracker/model.py``.

Usage (from the repository root, after changing a model or upgrading pydantic)::

    python scripts/model_schema.py

``tests/test_quick_load.py`` fails while the file is out of date.
"""

from __future__ import annotations

import json

from tracker.model_schema import SCHEMA_FILE, generate

if __name__ == "__main__":
    SCHEMA_FILE.write_text(json.dumps(generate(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")
