"""Safe bulk fixes: mechanical corrections (spaces, case, date and postcode forms, code
synonyms) that never guess a fact about a child, applied to a copy with an undo log."""
from .apply import FixResult, UndoResult, apply_to_workbook, preview, undo
from .fixes import FIXES

__all__ = ["FIXES", "FixResult", "UndoResult", "apply_to_workbook", "preview", "undo"]
