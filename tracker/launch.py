"""The ``tracker`` console script: alone, it opens the app without loading the command line.

Parsing no arguments needs no parser: click and the commands are a tenth of
the app's start-up, so ``tracker`` by itself goes straight to the app (its
database and extra roadmap folders from ``TRACKER_DB`` and
``TRACKER_ROADMAPS``, as always). Any argument goes to :mod:`tracker.cli`.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import NoReturn

from tracker.errors import TrackerError, unexpected_error
from tracker.settings import Settings


def main() -> None:
    """Console-script entry point; errors are one line on stderr, never a traceback."""
    if len(sys.argv) > 1:
        from tracker.cli import main as command_line

        command_line()
        return
    try:
        open_app(Settings(None, ()))
    except TrackerError as error:
        _fail(str(error))
    except KeyboardInterrupt:
        _fail("aborted")
    except Exception as error:  # the last resort, as the command line has it
        if os.environ.get("TRACKER_DEBUG"):
            raise
        _fail(unexpected_error(error))


def open_app(settings: Settings) -> None:
    """Load the roadmaps and the database that ``settings`` name and run the app."""
    # Start-up allocates many long-lived objects (roadmaps, widgets, styles) and
    # no garbage worth collecting: the app turns the collector back on, with
    # those objects frozen, once its first screen is up.
    gc.disable()
    from tracker.prefill import parse_aside

    parsed = parse_aside(settings.sources(), settings.parse_cache())  # while Textual is imported
    from tracker.ui.app import make_app  # the only place outside tracker.ui that imports Textual

    parsed()
    catalog, store = settings.catalog(), settings.store()
    make_app(catalog, store).run()


def _fail(message: str) -> NoReturn:
    from tracker.console import say

    say(f"tracker: {message}", err=True)
    sys.exit(1)
