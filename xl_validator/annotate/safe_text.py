"""The findings as CSV text that a spreadsheet never runs as a formula (``sheet_text.neutralise``)."""
from __future__ import annotations

from ..sheet_text import FORMULA_START


def findings_csv(findings) -> str:
    """The findings as CSV text (fields joined by ', '), every text value neutralised."""
    f = findings.assign(fields=findings["fields"].map(", ".join))
    for col in f.columns:
        if f[col].dtype.kind not in "biuf":  # a column by list, not a cell at a time: 60,000 findings are quick
            f[col] = [("'" + v if v.startswith(FORMULA_START) else v) if isinstance(v, str) else v
                      for v in f[col].to_numpy(dtype=object)]
    return f.to_csv(index=False)
