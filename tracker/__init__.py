"""Roadmap Tracker: walk a learning roadmap in the terminal and keep your progress."""

__version__ = "0.1.0"
