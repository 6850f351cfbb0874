"""Roadmap Tracker: walk a learning roadmap in the terminal and keep your progress."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("roadmap-tracker")
except PackageNotFoundError:  # running from a checkout that is not installed
    __version__ = "0.0.0"
