"""The Textual terminal app. Only this package imports Textual."""
