"""The package version, in one place: ``pyproject.toml`` reads it, ``cartesia_pulumi`` exports it."""

__version__ = "0.2.0"
