"""The real `tracker` command in a real (pseudo) terminal: it draws its screen, takes keys and quits."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")


class Terminal:
    """A child process on a pseudo-terminal of ``rows`` x ``columns``, and what it has printed."""

    def __init__(self, command: list[str], rows: int = 24, columns: int = 80):
        self.main, child = pty.openpty()
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        # pytest-xdist workers set COLUMNS and LINES, which Textual prefers to the terminal's size
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)}
        self.process = subprocess.Popen(command, stdin=child, stdout=child, stderr=child, env=env)
        os.close(child)
        self.output = b""

    def _read(self, timeout: float) -> bool:
        """Take what the child printed within ``timeout`` seconds; ``False`` once it has gone."""
        if select.select([self.main], [], [], timeout)[0]:
            try:
                self.output += os.read(self.main, 1 << 16)
            except OSError:  # the child has closed the terminal
                return False
        return True

    def wait_for(self, *texts: bytes, timeout: float = 20.0) -> None:
        """Read until every one of ``texts`` has been printed since this call began."""
        start, seen = time.monotonic(), len(self.output)
        while not all(text in self.output[seen:] for text in texts):
            assert time.monotonic() - start < timeout, f"never printed {texts}: {self.output[-2000:]!r}"
            assert self._read(0.2), f"ended before printing {texts}: {self.output[-2000:]!r}"

    def press(self, keys: bytes) -> None:
        os.write(self.main, keys)

    def close(self) -> int | None:
        """Read the rest of the output until the child ends; its exit code.

        A child still running after 20 s is killed (a test that failed must not leave it
        spinning on a terminal nobody reads) and ``None`` is returned.
        """
        deadline = time.monotonic() + 20
        while self.process.poll() is None and time.monotonic() < deadline and self._read(0.2):
            pass
        os.close(self.main)
        try:
            return self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None


def test_ticks_an_item_in_a_real_terminal_and_quits(isolated_home: Path, tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    terminal = Terminal([sys.executable, "-m", "tracker", "--db", str(db)], rows=40, columns=120)
    try:
        terminal.wait_for(b"Roadmaps", b"Tier 1")  # the first screen
        terminal.wait_for(b"Welcome")  # a first start asks for a path
        terminal.press(b"\x1b")  # skip, just browse
        terminal.wait_for(b"Skip", b"palette")  # the roadmaps' footer keys
        terminal.press(b"jll")  # the HTTP branch, opened, its first item
        terminal.wait_for(b"How the internet and the web work")  # the detail pane shows it
        terminal.press(b" ")  # done
        terminal.wait_for("✔".encode())
        terminal.press(b"q")
    finally:
        code = terminal.close()
    assert code == 0
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(db), "status"], capture_output=True, text=True
    )
    assert "1/203" in done.stdout  # kept after quitting


def stored_note(db: Path) -> str:
    shown = subprocess.run(
        [
            sys.executable,
            "-m",
            "tracker",
            "--db",
            str(db),
            "note",
            "backend-server",
            "http-how-internet-works",
        ],
        capture_output=True,
        text=True,
    )
    return shown.stdout


def open_note(db: Path) -> Terminal:
    terminal = Terminal([sys.executable, "-m", "tracker", "--db", str(db)], rows=40, columns=120)
    terminal.wait_for(b"Roadmaps", b"Tier 1")
    terminal.wait_for(b"Welcome")
    terminal.press(b"\x1b")  # skip the welcome
    terminal.wait_for(b"Skip", b"palette")
    terminal.press(b"jll")
    terminal.wait_for(b"How the internet and the web work")
    terminal.press(b"n")
    terminal.wait_for(b"Done editing")  # the editor has focus
    return terminal


@pytest.mark.parametrize("quit_keys", [[b"\x11"], [b"\x1b", b"q"]], ids=["ctrl+q", "escape then q"])
def test_note_typed_right_before_quitting_is_kept(isolated_home: Path, tmp_path: Path, quit_keys) -> None:
    db = tmp_path / "progress.db"
    terminal = open_note(db)
    try:
        terminal.press(b"typed then quit")
        terminal.wait_for(b"typed then quit")
        for key in quit_keys:  # within the half second before a note is saved
            terminal.press(key)
            time.sleep(0.15)  # apart, or escape and q read as alt+q
    finally:
        code = terminal.close()
    assert code == 0
    assert stored_note(db) == "typed then quit\n"


def test_note_is_kept_when_the_terminal_closes(isolated_home: Path, tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    terminal = open_note(db)
    terminal.press(b"then the window closed")
    terminal.wait_for(b"the window closed")
    terminal.process.send_signal(signal.SIGHUP)  # what closing a terminal window sends
    terminal.close()
    assert stored_note(db) == "then the window closed\n"
