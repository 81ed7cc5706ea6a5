"""The error every front door turns into a plain message: kept apart from the readers (which
load pandas) so the command line can name it without loading them."""


class InputError(Exception):
    """Input that cannot be read at all; the message says which file and what was expected."""
