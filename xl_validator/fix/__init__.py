"""Safe bulk fixes: mechanical corrections (spaces, case, date and postcode forms, code
synonyms) that never guess a fact about a child, applied to a copy with an undo log.

The names below load on first use, so registering the ``fix`` and ``chase`` commands
(``commands``) does not load pandas and openpyxl for every other command."""
from importlib import import_module

_WHERE = {"FixResult": ".apply", "UndoResult": ".restore", "apply_to_workbook": ".apply", "preview": ".apply",
          "undo": ".restore", "FIXES": ".fixes"}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(_WHERE[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
