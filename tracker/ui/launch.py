"""Open the terminal app from the CLI: the only door from the CLI into Textual."""

from __future__ import annotations

from pathlib import Path

from tracker.catalog import Catalog
from tracker.store import Store


def run_app(catalog: Catalog, db_path: Path, *, create_folder: bool = False) -> None:
    """Open the store (errors surface as one line from the CLI), then run the app."""
    store = Store.open(db_path, create_folder=create_folder)
    from tracker.ui.app import make_app

    make_app(catalog, store).run()
