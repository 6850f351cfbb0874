"""What the command line writes and reads: every message one line, no control character obeyed.

Text from roadmap files, notes, imports and the database can hold terminal
escapes and line breaks; every line the CLI prints goes through :func:`say`,
which shows them (:func:`tracker.untrusted.one_line`). A full disk or a lost
terminal, and standard input that is closed, are one clear line too.
"""

from __future__ import annotations

import sys

import click

from tracker.untrusted import one_line


class UserError(click.ClickException):
    """A problem the user can fix, printed as one line."""

    def show(self, file=None) -> None:
        say(f"tracker: {self.format_message()}", err=True)


def say(text: str, *, err: bool = False) -> None:
    """Print one line that may hold outside text (titles, ids, paths, keys, SQLite's words)
    with its control characters and line breaks shown, never obeyed.

    Every line the CLI prints goes through here; only whole documents do not (a
    report, whose format makes its text safe, the schema, a note), through
    :func:`write_out`.
    """
    write_out(one_line(text), err=err)


def write_out(text: str, *, err: bool = False, nl: bool = True, exact: bool = False) -> None:
    """Write to standard output (or error): a full disk or a lost terminal is one line.

    ``exact`` keeps escape sequences, which click strips when not writing to a terminal.
    """
    try:
        click.echo(text, err=err, nl=nl, color=True if exact else None)
    except BrokenPipeError:  # the reader has gone: main() stays quiet
        raise
    except OSError as error:
        stream = "standard error" if err else "standard output"
        raise UserError(f"cannot write to {stream}: {error.strerror or error}") from None


def read_standard_input(limit: int | None = None) -> bytes:
    """Standard input as bytes (at most ``limit`` + 1 of them); closed or unreadable is one line."""
    if sys.stdin is None:  # started with standard input closed (<&-)
        raise UserError("standard input is closed; nothing was changed")
    try:
        return sys.stdin.buffer.read(-1 if limit is None else limit + 1)
    except OSError as error:
        raise UserError(
            f"cannot read standard input: {error.strerror or error}; nothing was changed"
        ) from None
