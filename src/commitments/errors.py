"""Errors a user can cause. The CLI prints their message on one line and exits
non-zero; it never shows a traceback for them."""


class CommitmentsError(Exception):
    """Base class of the toolkit's own errors."""


class InputError(CommitmentsError):
    """Bad input: a missing file, bad encoding, malformed JSON Lines, a bad date."""


class UsageError(CommitmentsError):
    """A bad combination of options or arguments."""
