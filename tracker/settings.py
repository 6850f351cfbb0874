"""The global options, ``--db`` and ``--roadmaps`` or their variables, and what they open.

Shared by the command line and the app's own start (:mod:`tracker.launch`),
which loads neither click nor the commands. Everything is resolved when first
asked for, so a command only pays for what it uses.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.errors import TrackerError

if TYPE_CHECKING:
    from tracker.catalog import Catalog
    from tracker.parse_cache import ParseCache
    from tracker.store import Store


class Settings:
    """Global options, resolved lazily so commands only pay for what they use."""

    def __init__(self, db: Path | None, roadmaps: tuple[Path, ...]):
        self.db_option = db.expanduser() if db is not None else None  # as TRACKER_DB is
        self.roadmap_dirs = tuple(folder.expanduser() for folder in roadmaps)
        self._catalog: Catalog | None = None
        self._cache: ParseCache | None = None

    @property
    def db_path(self) -> Path:
        from tracker.locations import default_db_path

        return self.db_option or default_db_path()

    def sources(self) -> list[Path]:
        """Every roadmap folder; one the user named (option or variable) must exist."""
        from tracker.locations import ROADMAPS_ENV, env_roadmap_dirs, roadmap_sources

        for named, folders in ((ROADMAPS_ENV, env_roadmap_dirs()), ("--roadmaps", self.roadmap_dirs)):
            for folder in folders:
                if not folder.exists():
                    raise TrackerError(f"{named} {folder}: no such folder or file")
        return roadmap_sources(self.roadmap_dirs)

    def catalog(self) -> Catalog:
        if self._catalog is None:
            from tracker.catalog import load_catalog
            from tracker.prefill import parse_halves

            parse_halves(self.sources(), self.parse_cache())  # a cold start: two processes parse
            self._catalog = load_catalog(self.sources(), self.parse_cache())
        return self._catalog

    def parse_cache(self) -> ParseCache:
        """The parse cache (files that loaded cleanly never need YAML again)."""
        if self._cache is None:
            from tracker.locations import parse_cache_dir
            from tracker.parse_cache import ParseCache

            self._cache = ParseCache(parse_cache_dir())
        return self._cache

    def store(self) -> Store:
        """Open the database, saying so when it is new; the default folder is created on first use."""
        from tracker import store as store_module
        from tracker.locations import DB_ENV
        from tracker.store import Store

        default = self.db_option is None and not os.environ.get(DB_ENV)
        store = Store.open(
            self.db_path, store_module.utc_now, create_folder=default
        )  # a test can stop the clock
        if store.created:  # a mistyped --db would otherwise show 0% without a word
            from tracker.console import say

            say(f"tracker: created a new database at {store.path}", err=True)
        elif not store.read_only:
            self.carry_progress_over(store)
        return store

    def carry_progress_over(self, store) -> None:
        """Move progress under shared-skill keys the roadmaps retired to the keys that replaced them."""
        from tracker.actions import apply_key_moves

        try:
            moved = apply_key_moves(store, self.catalog())
        except BaseException:
            store.close()
            raise
        if moved is not None:
            from tracker.console import say

            say(
                f"tracker: progress of {len(moved.keys)} item(s) moved to renamed skills (undoable)", err=True
            )
