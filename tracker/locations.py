"""Where things live: bundled data files, the user's data folder, the database.

Nothing here creates a folder or opens a file at import time.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

APP_NAME = "roadmap-tracker"
DB_ENV = "TRACKER_DB"
ROADMAPS_ENV = "TRACKER_ROADMAPS"
NO_CACHE_ENV = "TRACKER_NO_CACHE"
PACKAGE_DIR = Path(__file__).resolve().parent
"""The installed package (always a real folder: the wheel is never imported from a zip)."""


def _bundled(name: str) -> Path:
    """A folder shipped in the wheel (``tracker/_data/NAME``) or in the checkout root."""
    installed = PACKAGE_DIR / "_data" / name
    return installed if installed.is_dir() else PACKAGE_DIR.parent / name


def bundled_roadmaps_dir() -> Path:
    """The roadmaps that ship with the app."""
    return _bundled("roadmaps")


def styles_dir() -> Path:
    """The TCSS stylesheets of the terminal app."""
    return _bundled("styles")


def data_dir() -> Path:
    """The per-user data folder (not created here)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def user_roadmaps_dir() -> Path:
    """Where users drop their own roadmap files."""
    return data_dir() / "roadmaps"


def default_db_path() -> Path:
    """``TRACKER_DB`` if set, else ``progress.db`` in the data folder."""
    override = os.environ.get(DB_ENV)
    return Path(override).expanduser() if override else data_dir() / "progress.db"


def env_roadmap_dirs() -> list[Path]:
    """The folders ``TRACKER_ROADMAPS`` names (``:``-separated), ``~`` expanded."""
    return [Path(p).expanduser() for p in os.environ.get(ROADMAPS_ENV, "").split(os.pathsep) if p]


def roadmap_sources(extra: Iterable[Path] = ()) -> list[Path]:
    """Roadmap folders in load order; a later one overrides an earlier one's ids."""
    return [bundled_roadmaps_dir(), user_roadmaps_dir(), *env_roadmap_dirs(), *extra]


def parse_cache_dir() -> Path | None:
    """Where parsed roadmap YAML is cached; ``None`` when ``TRACKER_NO_CACHE`` is set."""
    if os.environ.get(NO_CACHE_ENV):
        return None
    from platformdirs import user_cache_path

    version = f"{sys.version_info.major}{sys.version_info.minor}"
    return user_cache_path(APP_NAME, appauthor=False) / f"parsed-py{version}"
