"""The wheel works on its own: built, installed with its dependencies into a fresh
virtual environment, and run from a folder that is not the checkout.

This runs in the normal suite (about 15 s, most of it pip). pip's cache of the real
user is reused, so the dependencies are downloaded once per machine, not per run.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PIP_CACHE = os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip")
"""Read at import, before ``isolated_home`` points HOME at a temporary folder."""


def build_wheel(out: Path) -> Path:
    command = [sys.executable, "-m", "build", "--wheel", "--outdir", str(out)]
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-isolation")  # the backend is here: no download, much faster
    done = subprocess.run([*command, str(REPO)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (wheel,) = out.glob("roadmap_tracker-*.whl")
    return wheel


def clean_env(home: Path) -> dict[str, str]:
    """The environment of a user who has never run the tracker, outside the checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRACKER_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_CONFIG_HOME=str(home / ".config"),
        PIP_CACHE_DIR=PIP_CACHE,
    )
    return env


def test_wheel_installs_and_runs_from_anywhere(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path / "dist")

    # the data folders travel inside the wheel
    names = set(zipfile.ZipFile(wheel).namelist())
    roadmaps = sorted(p.name for p in (REPO / "roadmaps").glob("*.yaml"))
    styles = sorted(p.name for p in (REPO / "styles").glob("*.tcss"))
    assert len(roadmaps) == 24 and styles
    for name in roadmaps:
        assert f"tracker/_data/roadmaps/{name}" in names, name
    for name in styles:
        assert f"tracker/_data/styles/{name}" in names, name
    assert "tracker/cli.py" in names and "tracker/model_schema.json" in names

    # a fresh virtual environment; the outer pip installs into it, dependencies included
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    home = tmp_path / "home"
    home.mkdir()
    env = clean_env(home)
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-3000:]

    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    tracker = venv / "bin" / "tracker"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(tracker), *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120
        )

    where = subprocess.run(
        [
            str(python),
            "-c",
            "import tracker, textual; from tracker.locations import bundled_roadmaps_dir, styles_dir;"
            "print(tracker.__file__); print(bundled_roadmaps_dir()); print(styles_dir())",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert where.returncode == 0, where.stderr
    module, roadmaps_dir, styles_dir = (Path(line) for line in where.stdout.splitlines())
    site = venv / "lib"
    for path in (module, roadmaps_dir, styles_dir):
        assert path.is_relative_to(site), f"{path} is not inside the installed wheel"
    assert roadmaps_dir.is_dir() and styles_dir.is_dir()

    listed = run("roadmaps")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert len(lines) == 23, listed.stdout
    assert lines[0].split()[0] == "backend-server"
    first_run = f"tracker: created a new database at {home / '.local' / 'share'}"
    assert listed.stderr.startswith(first_run) and listed.stderr.count("\n") == 1  # no problems

    checked = run("validate")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no problems" in checked.stderr

    marked = run("mark", "backend-server", "http-versions", "done")
    assert marked.returncode == 0, marked.stderr
    assert list((home / ".local" / "share").rglob("progress.db")), "database not in the data folder"
    assert not any(elsewhere.iterdir()), "the tracker wrote into the current directory"
