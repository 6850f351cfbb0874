"""Shared pieces of the benchmark scripts: an isolated environment, timing, reporting."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """This process's environment with HOME, XDG folders and tracker variables of its own."""
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    # Installed packages run from bytecode caches; let ours be written too, as a user's would.
    for name in (
        "TRACKER_DB",
        "TRACKER_ROADMAPS",
        "TRACKER_NO_CACHE",
        "TRACKER_DEBUG",
        "PYTHONDONTWRITEBYTECODE",
    ):
        env.pop(name, None)
    env.update(extra)
    return env


def parse_cache_folder(env: dict[str, str]) -> Path:
    """Where the tracker keeps its parse cache in ``env``; deleting it makes the next start cold."""
    code = "from tracker.locations import parse_cache_dir; print(parse_cache_dir())"
    done = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    return Path(done.stdout.strip())


def tracker_command() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m tracker``."""
    script = Path(sys.executable).with_name("tracker")
    if script.exists():
        return [str(script)]
    found = shutil.which("tracker")
    return [found] if found else [sys.executable, "-m", "tracker"]


def timed(command: list[str], env: dict[str, str]) -> float:
    """Wall-clock seconds of one whole process."""
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def line(label: str, times: list[float], width: int = 28) -> str:
    """``label  median … ms (min …, max …, N runs)``."""
    median = statistics.median(times)
    return (
        f"{label:<{width}} median {median * 1000:7.1f} ms "
        f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}, {len(times)} runs)"
    )
