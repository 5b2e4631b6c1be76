"""The one error the archive raises for the user to act on."""


class ArchiveError(Exception):
    """A problem with the archive file that the user must fix (one line, no traceback)."""
