"""Modal screens: help, confirmation, export."""
