"""Text for CSV files that a spreadsheet must never run as a formula."""
from __future__ import annotations

# What Excel and LibreOffice start a formula (or a DDE call) with when they open a CSV.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """The value as text, with a leading quote when it would otherwise be run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
