"""The ``tracker`` command line.

Every command imports what it needs when it runs, so ``tracker mark`` never
pays for (or imports) Textual. Errors are one line on stderr and exit 1.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from tracker import __version__
from tracker.console import UserError, read_standard_input, say, write_out
from tracker.errors import TrackerError, unexpected_error
from tracker.settings import Settings
from tracker.untrusted import visible


class TrackerGroup(click.Group):
    """Turns the app's own errors into one clear line instead of a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
            raise
        except TrackerError as error:  # storage, reports, lookups, files: already one clear line
            raise UserError(str(error)) from None
        except Exception as error:  # the last resort: an OS fault or a bug, still one line
            if os.environ.get("TRACKER_DEBUG"):
                raise
            raise UserError(unexpected_error(error)) from None


pass_settings = click.make_pass_decorator(Settings)


@click.group(cls=TrackerGroup, invoke_without_command=True)
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False), help="SQLite file (env TRACKER_DB).")
@click.option(
    "--roadmaps",
    "roadmap_dirs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Extra folder of roadmap YAML files (repeatable; env TRACKER_ROADMAPS).",
)
@click.version_option(__version__, prog_name="tracker")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, roadmap_dirs: tuple[Path, ...]) -> None:
    """Track your progress through backend development roadmaps.

    Run without a command to open the terminal app.
    """
    ctx.obj = Settings(db, roadmap_dirs)
    if ctx.invoked_subcommand is None:
        ctx.invoke(open_app)


@cli.command("app")
@pass_settings
def open_app(settings: Settings) -> None:
    """Open the terminal app (the default command)."""
    from tracker.launch import open_app as launch

    launch(settings)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@pass_settings
def validate(settings: Settings, paths: tuple[Path, ...]) -> None:
    """Check roadmap files; print file:line:column: message for each problem.

    Without PATH, checks every configured roadmap folder.
    """
    if paths:
        from tracker.catalog import validate_paths

        count, problems = validate_paths(paths, settings.sources(), settings.parse_cache())
    else:
        catalog = settings.catalog()
        problems = catalog.problems
        count = len(catalog.roadmaps) + len({p.path for p in problems})
    for problem in problems:
        say(str(problem))
    files = "file" if count == 1 else "files"
    if problems:
        say(f"{count} {files} checked, {len(problems)} problem(s)", err=True)
        sys.exit(1)
    say(f"{count} {files} checked, no problems", err=True)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of a roadmap file (for editor completion)."""
    import json

    from tracker.model import Roadmap

    document = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    document.update(Roadmap.model_json_schema())
    write_out(json.dumps(document, indent=2))


@cli.command()
@pass_settings
def roadmaps(settings: Settings) -> None:
    """List roadmaps with their item counts and percent done."""
    from tracker.progress import ProgressIndex, percent_text

    catalog = settings.catalog()
    with settings.store() as store:
        progress = ProgressIndex(catalog, store.statuses())
    width = max((len(r.id) for r in catalog.roadmaps.values()), default=2)
    for index in catalog.roadmaps.values():
        percent = percent_text(progress.roadmap(index.id))
        say(f"{index.id:<{width}}  {len(index.leaf_keys):>5} items  {percent:>7}  {index.title}")
    for roadmap_id, old, new in catalog.overridden:
        say(f"note: {new} replaces {old} (roadmap '{roadmap_id}')", err=True)
    for problem in catalog.problems:
        say(f"! {problem}", err=True)


@cli.command()
@click.argument("roadmap")
@click.argument("item")
@click.argument("status")
@pass_settings
def mark(settings: Settings, roadmap: str, item: str, status: str) -> None:
    """Set the STATUS (todo, doing, done, skipped) of ITEM in ROADMAP.

    Marking a section or project sets every item under it.
    """
    from tracker import actions

    status = actions.parse_status(status)
    node = settings.catalog().node(roadmap, item)
    with settings.store() as store:
        change = actions.mark(store, node, status)
    say(actions.describe(change))


@cli.command()
@click.argument("roadmap")
@click.argument("item")
@click.argument("text", required=False)
@click.option("--clear", is_flag=True, help="Remove the note (as TEXT '' does).")
@pass_settings
def note(settings: Settings, roadmap: str, item: str, text: str | None, clear: bool) -> None:
    """Set the note of ITEM; TEXT '-' reads standard input; no TEXT prints the note.

    --clear (or an empty TEXT, '') removes the note. Empty standard input is an
    error, so that a failed command in front of the pipe never wipes a note.
    """
    from tracker import actions
    from tracker.store import check_note

    if clear and text is not None:
        raise UserError("give TEXT or --clear, not both; nothing was changed")
    node = settings.catalog().node(roadmap, item)
    if text == "-":  # bytes, so that the note is kept exactly ("\r\n" included)
        data = read_standard_input()
        if not data:
            raise UserError("standard input is empty; nothing was changed (--clear removes the note)")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise UserError(f"standard input is not UTF-8 text (byte {error.start + 1})") from None
    if text:
        check_note(text)  # a note the store would refuse fails before the database is opened
    with settings.store() as store:
        if text is None and not clear:
            stored = store.note(node.key)  # a terminal sees controls, never obeys them
            if sys.stdout.isatty():
                write_out(visible(stored))
            else:  # exact into a pipe or a file
                write_out(stored, exact=True)
            return
        change = actions.set_note(store, node, text or "")
    say(actions.describe(change))


@cli.command()
@click.argument("roadmap", required=False)
@pass_settings
def status(settings: Settings, roadmap: str | None) -> None:
    """Show progress: every roadmap, or one ROADMAP by section."""
    from tracker.progress import ProgressIndex
    from tracker.summary import overview, roadmap_summary

    catalog = settings.catalog()
    if roadmap is not None:
        catalog.roadmap(roadmap)
    with settings.store() as store:
        progress = ProgressIndex(catalog, store.statuses())
        path_line = _path_line(catalog, store, progress) if roadmap is None else None
    lines = (
        overview(catalog, progress)
        if roadmap is None
        else roadmap_summary(catalog.roadmap(roadmap), progress)
    )
    if path_line:
        lines = [path_line, "", *lines]
    for line in lines:
        say(line)


def _path_line(catalog, store, progress) -> str | None:
    """The status line of the learner's path, or ``None`` without one (no history read then)."""
    from tracker.path import read_path

    if read_path(store) is None:
        return None
    from tracker.guide_text import status_line

    return status_line(_guide(catalog, store, progress))


def _guide(catalog, store, progress=None, next_count: int = 10):
    """The guide now, in the learner's time zone."""
    from tracker.path import local_zone
    from tracker.today import build_guide

    statuses = progress.statuses if progress is not None else store.statuses()
    return build_guide(catalog, store, statuses, store.clock(), local_zone(), next_count)


@cli.command()
@pass_settings
def undo(settings: Settings) -> None:
    """Undo the last change (run again to undo the one before)."""
    from tracker.actions import describe_undo

    with settings.store() as store:
        change = store.undo()
    say("nothing to undo" if change is None else f"undid: {describe_undo(settings.catalog(), change)}")


@cli.command()
@click.argument("dest", required=False, type=click.Path(path_type=Path))
@pass_settings
def backup(settings: Settings, dest: Path | None) -> None:
    """Copy the database safely while it may be in use (default: next to it)."""
    from tracker.files import check_target
    from tracker.stored import timestamp

    if dest is not None and not dest.is_dir():
        check_target(dest.expanduser())  # a missing folder fails before the database is opened
    with settings.store() as store:
        if dest is None:
            stamp = timestamp(store.clock()).replace(":", "").replace("-", "")[:15]
            dest = store.path.with_name(f"{store.path.stem}-backup-{stamp}.db")
        elif dest.is_dir():
            dest = dest / f"{store.path.stem}-backup.db"
        written = store.backup(dest)
    say(f"backup written to {written}")


@cli.command()
@pass_settings
def doctor(settings: Settings) -> None:
    """Check the database and the roadmaps: integrity, schema, unreadable values, orphaned progress."""
    from tracker.actions import orphaned_keys

    catalog = settings.catalog()
    with settings.store() as store:
        integrity = store.integrity()
        say(f"database: {store.path}")
        say(f"schema version: {store.schema_version}")
        say(f"integrity: {'; '.join(integrity)}")
        unreadable = store.unreadable()
        healthy = integrity == ["ok"] and not unreadable
        orphans = orphaned_keys(store, catalog)
    if unreadable:
        say(f"unreadable values: {len(unreadable)} written by another program (kept as they are)")
        for line in unreadable:
            say(f"  {line}")
    say(f"roadmaps: {len(catalog.roadmaps)} loaded, {len(catalog.problems)} problem(s)")
    for problem in catalog.problems:
        say(f"  ! {problem}")
    if orphans:
        say(f"orphaned progress: {len(orphans)} key(s) no roadmap uses (kept, not deleted)")
        for key in orphans:
            say(f"  {key}")
    else:
        say("orphaned progress: none")
    if not healthy:
        sys.exit(1)


REPORT_FORMATS = ("md", "html", "json", "csv")


@cli.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS),
    help="Report format (default: from the -o file's suffix, else md).",
)
@click.option("--roadmap", "roadmap_id", metavar="ID", help="Only this roadmap (default: all).")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="File to write, atomically (default: standard output).",
)
@pass_settings
def export(settings: Settings, fmt: str | None, roadmap_id: str | None, output: Path | None) -> None:
    """Write a progress report in Markdown, HTML, JSON or CSV.

    JSON keeps everything (notes and times included) and is what 'tracker
    import' reads back.
    """
    from tracker.files import check_target
    from tracker.reports import FORMATS, format_for_path, render, write_report

    target = output if output is not None and str(output) != "-" else None
    fmt = fmt or (format_for_path(target) if target is not None else None) or "md"
    catalog = settings.catalog()
    if roadmap_id is not None:
        catalog.roadmap(roadmap_id)  # an unknown id or path fails before the database is opened
    if target is not None:
        check_target(target.expanduser())
    with settings.store() as store:
        text = render(fmt, catalog, store, roadmap_id)
    if target is None:
        write_out(text, nl=False)
        return
    written = write_report(text, target)
    say(f"{FORMATS[fmt].label} report written to {written}")


@cli.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@pass_settings
def import_progress(settings: Settings, file: Path) -> None:
    """Restore progress from a JSON export ('tracker export --format json').

    For each item the newer change wins, all in one transaction ('tracker undo'
    takes it back). Items no roadmap knows are kept as orphaned progress. A
    file that is not a valid export is refused and nothing changes. FILE '-'
    reads standard input.
    """
    from tracker.reports.json_format import MAX_EXPORT_BYTES
    from tracker.reports.restore import import_export, parse_export, read_export

    if str(file) == "-":
        checked = parse_export(read_standard_input(MAX_EXPORT_BYTES), "standard input")
    else:
        checked = read_export(file)
    catalog = settings.catalog()
    with settings.store() as store:
        result = import_export(store, catalog, checked)
        settings.carry_progress_over(store)  # an old export's retired keys
    say(result.describe())


@cli.command("sync")
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option(
    "--set",
    "set_file",
    metavar="PATH",
    type=click.Path(path_type=Path),
    help="Remember PATH as the sync file (a plain 'tracker sync' then uses it).",
)
@click.option("--unset", is_flag=True, help="Forget the sync file.")
@pass_settings
def sync_command(settings: Settings, file: Path | None, set_file: Path | None, unset: bool) -> None:
    """Merge your progress with FILE, in a folder you sync between devices, both ways.

    The file is a JSON export, so you can read and diff it; the first sync
    creates it. Per item the newer change wins, history is merged, and a note
    changed on both devices keeps the older text in its history. A file that is
    not a tracker export is refused and nothing changes; 'tracker undo' takes
    back what a sync changed here. Without FILE, the one set with --set.
    """
    from tracker import sync as syncing

    if sum((file is not None, set_file is not None, unset)) > 1:
        raise UserError("give FILE, --set PATH or --unset, one at a time; nothing was changed")
    if set_file is not None:
        with settings.store() as store:
            chosen = syncing.set_sync_file(store, set_file)
        say(f"sync file set to {chosen}; 'tracker sync' merges with it")
        return
    if unset:
        with settings.store() as store:
            old = syncing.unset_sync_file(store)
        say(f"sync file unset (it was {old})" if old is not None else "no sync file was set")
        return
    catalog = settings.catalog()
    with settings.store() as store:
        result = (
            syncing.sync_file(store, catalog, file)
            if file is not None
            else syncing.sync_configured(store, catalog)
        )
    for line in result.messages():
        say(line)


@cli.group("path", invoke_without_command=True)
@click.pass_context
def path_group(ctx: click.Context) -> None:
    """Show your path: stack, start, pace, this month and whether you are on track.

    'tracker path set' chooses the stack; 'tracker path replan' re-dates what
    is left from today after a break.
    """
    if ctx.invoked_subcommand is not None:
        return
    from tracker.guide_text import path_lines
    from tracker.path import path_options

    settings = ctx.ensure_object(Settings)
    catalog = settings.catalog()
    with settings.store() as store:
        guide = _guide(catalog, store)
    for line in path_lines(guide, path_options(catalog)):
        say(line)


def _parse_start(text: str | None):
    from datetime import date

    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"--start '{text}' is not a date: use YYYY-MM-DD; nothing was changed") from None


@path_group.command("set")
@click.option("--language", required=True, metavar="ID", help="Language id (tracker path lists them).")
@click.option("--framework", metavar="ID", help="Framework id of that language (default: none).")
@click.option("--start", metavar="YYYY-MM-DD", help="First day of month 1 (default: today).")
@click.option(
    "--weeks-per-month", type=int, metavar="N", help="Weeks per plan month (default: calendar months)."
)
@pass_settings
def path_set(
    settings: Settings, language: str, framework: str | None, start: str | None, weeks_per_month: int | None
) -> None:
    """Choose your stack, start date and pace (replaces the path you had)."""
    from tracker.guide_text import date_range, short_date
    from tracker.path import choose_path, local_zone, save_path

    first_day = _parse_start(start)
    catalog = settings.catalog()
    with settings.store() as store:
        today = store.clock().astimezone(local_zone()).date()
        chosen = choose_path(catalog, language, framework, first_day, weeks_per_month, today)
        save_path(store, chosen)
        guide = _guide(catalog, store)
    pace = "calendar months" if chosen.weeks_per_month is None else f"{chosen.weeks_per_month} weeks a month"
    say(f"path set: {guide.title}, from {short_date(chosen.start)}, {pace}")
    first, last = (guide.months[0], guide.months[-1]) if guide.months else (None, None)
    if first is not None and last is not None and first.dates is not None and last.dates is not None:
        say(f"month 1: {date_range(first.dates)}; month {last.number} ends {short_date(last.dates.end)}")


@path_group.command("replan")
@pass_settings
def path_replan(settings: Settings) -> None:
    """Re-date the first unfinished month and the ones after it from today (after a break)."""
    from tracker.guide_text import date_range
    from tracker.path import local_zone, read_path, replan_path, save_path

    catalog = settings.catalog()
    with settings.store() as store:
        path = read_path(store)
        if path is None:
            raise UserError("no path to replan; choose one with 'tracker path set --language ID'")
        today = store.clock().astimezone(local_zone()).date()
        replanned = replan_path(catalog, path, store.statuses(), today)
        if replanned.restarts == path.restarts:
            say("nothing to replan: every month is done, or the first unfinished one has not begun")
            return
        save_path(store, replanned)
        guide = _guide(catalog, store)
    month = replanned.restarts[-1].month
    dates = guide.months[month - 1].dates if len(guide.months) >= month else None
    when = f": {date_range(dates)}" if dates else ""
    say(f"replanned from today: month {month} and the ones after it move{when}")


@cli.command("next")
@click.option(
    "-n", "count", type=click.IntRange(min=1, max=1000), default=10, show_default=True, help="How many."
)
@pass_settings
def next_items(settings: Settings, count: int) -> None:
    """What to learn next, one item a line: ROADMAP ITEM STATUS MONTH TITLE.

    In progress first, then what is overdue, this month, next month; the ids
    are what 'tracker mark ROADMAP ITEM done' takes.
    """
    from tracker.guide_text import next_lines

    catalog = settings.catalog()
    with settings.store() as store:
        guide = _guide(catalog, store, next_count=count)
    lines = next_lines(guide)
    if not lines:
        say("nothing next: every item of the plan is done or skipped", err=True)
    for line in lines:
        say(line)


@cli.command()
@pass_settings
def stats(settings: Settings) -> None:
    """Streaks, active days, this week, pace, projected finish and a heatmap of the last 26 weeks."""
    from tracker.guide_text import stats_lines

    catalog = settings.catalog()
    with settings.store() as store:
        guide = _guide(catalog, store)
    for line in stats_lines(guide):
        say(line)


def main() -> None:
    """Console-script entry point: every error is one line on stderr, never a traceback."""
    try:
        code = cli.main(prog_name="tracker", standalone_mode=False)
    except click.UsageError as error:
        hint = f" (see '{error.ctx.command_path} --help')" if error.ctx else ""
        say(f"tracker: {error.format_message()}{hint}", err=True)
        sys.exit(error.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.Abort:
        say("tracker: aborted", err=True)
        sys.exit(1)
    except BrokenPipeError:  # e.g. `tracker status | head`: the reader has gone, so be quiet
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
