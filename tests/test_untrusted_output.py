"""Text from files, notes and imports never reaches the terminal as control characters.

An OSC sequence in a title renamed the terminal, ``ESC[2J`` cleared it. Every
line the CLI prints shows such characters as pictures (``␛``); a note printed
into a pipe stays exact; a roadmap file whose text holds one is a problem at
its line and column; a message about one problem is one line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tracker.cli import cli
from tracker.loader import load_roadmap
from tracker.problems import RoadmapFileError
from tracker.untrusted import control_character

ROADMAP, LEAF = "backend-server", "http-versions"
OSC = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"
EVIL = f"{OSC}{CLEAR}\x9b31m\x7f"


def run(*args: str | Path, input: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def shown_safely(result: Result) -> str:
    """All the output, which must hold no character a terminal would obey."""
    output = result.stdout + result.stderr
    assert control_character(output) is None, repr(output)
    return output


def evil_roadmaps(folder: Path) -> Path:
    """A folder whose file names and titles hold terminal controls."""
    folder.mkdir()
    escaped = json.dumps(f"Title {EVIL}")  # YAML double quotes read JSON escapes
    (folder / f"bad{CLEAR}.yaml").write_text(f"id: evil\ntitle: {escaped}\nsections: []\n")
    (folder / "newline.yaml").write_text('id: "two\\nlines"\ntitle: x\nsections: []\n')
    return folder


def test_a_control_character_in_roadmap_text_is_a_problem_at_its_place(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text('id: evil\ntitle: Fine\nsections:\n  - id: one\n    title: "Clear \\e[2J the screen"\n')
    with pytest.raises(RoadmapFileError) as caught:
        load_roadmap(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (5, 12)
    assert "U+001B, a control character" in problem.message


COMMANDS = [["roadmaps"], ["status"], ["validate"], ["doctor"], ["status", f"x{CLEAR}"], ["validate", "X"]]


@pytest.mark.parametrize("command", COMMANDS)
def test_listing_roadmaps_and_problems_shows_controls(tmp_path: Path, command: list[str]) -> None:
    folder = evil_roadmaps(tmp_path / "maps")
    if command == ["validate", "X"]:
        command = ["validate", str(folder)]
    result = run("--db", tmp_path / "p.db", "--roadmaps", folder, *command)
    output = shown_safely(result)
    if command[0] in ("roadmaps", "validate", "doctor"):
        assert f"bad{'␛'}[2J.yaml:2:8: text holds U+001B" in output
        assert "'two↵lines' is not a valid id" in output  # one problem, one line
    if command[0] == "status" and len(command) == 2:
        assert result.exit_code == 1 and "no roadmap 'x␛[2J'" in output


def test_a_note_shows_controls_on_a_terminal_and_is_exact_in_a_pipe(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    note = f"before {EVIL} after\nline two"
    assert run("--db", db, "note", ROADMAP, LEAF, note).exit_code == 0
    piped = run("--db", db, "note", ROADMAP, LEAF)
    assert piped.stdout == note + "\n"  # exact, for scripts
    leader, follower = os.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tracker", "--db", str(db), "note", ROADMAP, LEAF],
            stdout=follower,
            stderr=subprocess.PIPE,
            timeout=60,
        )
        os.close(follower)
        follower = -1
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal's other end has closed
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
        if follower != -1:
            os.close(follower)
    assert done.returncode == 0, done.stderr
    text = shown.decode().replace("\r\n", "\n")
    assert text == "before ␛]0;pwned␇␛[2J\ufffd31m␡ after\nline two\n"


def test_imported_keys_are_shown_not_obeyed(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    key = f"ghost/{EVIL}"
    document = {
        "format": "tracker-progress",
        "version": 2,
        "items": [],
        "progress": [{"key": key, "status": "done", "updated": "2026-01-01T00:00:00Z", "note": EVIL}],
    }
    path = tmp_path / f"export{CLEAR}.json"
    path.write_text(json.dumps(document))
    imported = run("--db", db, "import", path)
    assert imported.exit_code == 0
    assert "1 key(s) no roadmap uses kept as orphaned progress: ghost/␛]0;pwned␇" in shown_safely(imported)
    doctor = run("--db", db, "doctor")
    assert "  ghost/␛]0;pwned␇␛[2J" in shown_safely(doctor)
    undo = run("--db", db, "undo")
    assert undo.stdout.startswith("undid: ghost/␛]0;pwned␇␛[2J")  # what it put back, shown not obeyed
    assert control_character(undo.stdout.rstrip("\n")) is None
    exported = run("--db", db, "export", "--format", "json")
    assert control_character(exported.stdout) is None  # escaped, and still the same text:
    run("--db", db, "undo")
    assert run("--db", tmp_path / "again.db", "import", "-", input=exported.stdout_bytes).exit_code == 0


def test_errors_are_one_line_with_controls_shown(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(tmp_path / "p.db"), "mark", f"a{OSC}", "b\nc", "done"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and control_character(done.stderr) is None
    assert "no roadmap 'a␛]0;pwned␇'" in done.stderr
    usage = subprocess.run(
        [sys.executable, "-m", "tracker", "export", "--format", f"x{CLEAR}\ny"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert usage.returncode == 2 and usage.stderr.count("\n") == 1
    assert control_character(usage.stderr) is None and "is not one of" in usage.stderr


def test_one_problem_is_one_line_even_when_its_value_holds_a_newline(tmp_path: Path) -> None:
    """Store errors and import refusals quote paths and keys, which may hold line breaks."""
    folder = tmp_path / "two\nlines"
    missing = run("--db", folder / "p.db", "status")
    assert missing.exit_code == 1 and missing.stderr.count("\n") == 1
    assert "two↵lines does not exist" in missing.stderr
    document = {
        "format": "tracker-progress",
        "version": 2,
        "progress": [{"key": "a\nb", "status": "finished\r\nreally", "updated": "2026-01-01T00:00:00Z"}],
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    refused = run("--db", tmp_path / "p.db", "import", path)
    assert refused.exit_code == 1 and refused.stderr.count("\n") == 1
    assert "progress entry 1 (a↵b): \"status\" 'finished\\r\\nreally' is not one of" in refused.stderr
