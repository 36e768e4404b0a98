"""Errors the engine raises for bad settings and bad data: one line, naming what is wrong."""


class SettingError(ValueError):
    """A setting is out of range or of the wrong kind."""

    def __init__(self, setting: str, message: str) -> None:
        self.setting = setting
        """The setting's name, as in `Settings` (underscores)."""
        self.message = message
        """What is allowed, and what was given."""
        super().__init__(f"{setting}: {message}")


class DataError(ValueError):
    """A data file can't be used: missing, not text, too short, or with a bad cell."""
