"""Text for CSV files that a spreadsheet must never run as a formula."""
from __future__ import annotations

# What Excel and LibreOffice start a formula (or a DDE call) with when they open a CSV.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """The value as text, with a leading quote when it would otherwise be run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def findings_csv(findings) -> str:
    """The findings as CSV text (fields joined by ', '), every text value neutralised."""
    f = findings.assign(fields=findings["fields"].map(", ".join))
    for col in f.columns:
        if f[col].dtype.kind not in "biuf":  # a column by list, not a cell at a time: 60,000 findings are quick
            f[col] = [("'" + v if v.startswith(FORMULA_START) else v) if isinstance(v, str) else v
                      for v in f[col].to_numpy(dtype=object)]
    return f.to_csv(index=False)
