"""Widgets of the terminal app; each posts messages, none touches storage."""
