"""Writing files: reports, backups and the parse cache share one atomic writer.

A regular file is replaced atomically and keeps its permissions; a symbolic
link keeps pointing at the file it named; a pipe or a terminal is written to,
never replaced by a new file; an error names the user's path.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.reports import ReportError, write_report
from tracker.store import Store, StoreError


def run(*args: str | Path):
    return CliRunner().invoke(cli, [str(a) for a in args])


def read_fifo(path: Path) -> tuple[threading.Thread, list[bytes]]:
    """A reader on the other end of a FIFO, collecting what arrives."""
    received: list[bytes] = []

    def read() -> None:
        with open(path, "rb") as stream:
            received.append(stream.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader, received


def test_a_report_to_a_fifo_is_written_through_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader, received = read_fifo(fifo)
    write_report("through the pipe ✓\n", fifo)
    reader.join(timeout=10)
    assert received == ["through the pipe ✓\n".encode()]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_report_to_a_terminal_device_is_written_to_it(tmp_path: Path) -> None:
    """Like ``-o /dev/stdout`` on a terminal: the device stays a device."""
    leader, follower = os.openpty()
    try:
        device = Path(os.ttyname(follower))
        write_report("on the terminal\n", device)
        assert stat.S_ISCHR(device.stat().st_mode)
        assert os.read(leader, 1000).replace(b"\r\n", b"\n") == b"on the terminal\n"
    finally:
        os.close(leader)
        os.close(follower)


def test_cli_export_to_dev_stdout_when_it_is_a_pipe(tmp_path: Path) -> None:
    """``-o /dev/stdout`` with stdout a pipe. The link is our own, pointing where
    /dev/stdout points, so that a writer that replaces links never touches /dev."""
    stdout = tmp_path / "stdout"
    stdout.symlink_to("/proc/self/fd/1")
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", str(tmp_path / "p.db"), "export", "-o", str(stdout)],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"# Progress report: All roadmaps")
    assert done.stdout.endswith(f"Markdown report written to {stdout}\n".encode())
    assert stdout.is_symlink()


def test_a_report_replaces_a_file_and_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "private.md"
    target.write_text("old")
    target.chmod(0o600)
    write_report("new\n", target)
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    target.chmod(0o640)
    write_report("newer\n", target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_report_through_a_symlink_replaces_the_file_it_points_to(tmp_path: Path) -> None:
    real = tmp_path / "real" / "report.md"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    write_report("new\n", link)
    assert link.is_symlink() and link.readlink() == real
    assert real.read_text() == "new\n"
    assert sorted(p.name for p in real.parent.iterdir()) == ["report.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.md", "real"]


def test_a_write_error_names_the_users_path_not_a_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.md"
    target.write_text("kept")

    def no_space(*args: object) -> None:
        raise OSError(28, "No space left on device", str(args[0]))

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(ReportError) as refused:
        write_report("new", target)
    assert str(refused.value) == f"cannot write {target}: No space left on device"
    assert target.read_text() == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


def test_a_report_into_a_folder_you_cannot_write(tmp_path: Path) -> None:
    with pytest.raises(ReportError) as refused:
        write_report("x", Path("/proc/tracker-report.md"))
    assert str(refused.value).startswith("cannot write /proc/tracker-report.md: ")
    assert "partial" not in str(refused.value)


# -- backups ---------------------------------------------------------------------------------


def test_backup_keeps_permissions_and_follows_a_symlink(store: Store, tmp_path: Path) -> None:
    store.set_status(["a/x"], "done")
    real = tmp_path / "kept" / "backup.db"
    real.parent.mkdir()
    real.write_bytes(b"an older backup")
    real.chmod(0o600)
    link = tmp_path / "latest.db"
    link.symlink_to(real)
    assert store.backup(link) == link
    assert link.is_symlink()
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    with Store.open(real) as copy:
        assert copy.statuses() == {"a/x": "done"}
    assert sorted(p.name for p in real.parent.iterdir()) == ["backup.db"]


def test_backup_to_a_pipe_is_refused_in_one_line(store: Store, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(StoreError, match="not a regular file"):
        store.backup(fifo)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    result = run("--db", store.path, "backup", fifo)
    assert result.exit_code == 1 and "not a regular file" in result.stderr
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("command", [["export", "-o"], ["backup"]])
def test_a_target_in_a_missing_folder_is_refused_before_anything_is_created(
    tmp_path: Path, command: list[str]
) -> None:
    db = tmp_path / "new.db"
    target = tmp_path / "no-such-folder" / "out.md"
    result = run("--db", db, *command, target)
    assert result.exit_code == 1
    assert result.stderr == f"tracker: cannot write {target}: folder {target.parent} does not exist\n"
    assert not db.exists()  # a failed command changes nothing, not even by creating a database
