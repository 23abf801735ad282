"""Diplomatic Wire: a Pelican plugin that publishes raw news-wire text files.

The signal wiring is in ``plugin``; this package root stays free of imports
so that ``python -m diplomatic_wire.uptodate`` answers without loading Pelican.
"""


def register() -> None:
    """Pelican's entry point for the plugin."""
    from .plugin import register as register_signals

    register_signals()
