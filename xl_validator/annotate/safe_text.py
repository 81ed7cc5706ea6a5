"""The findings as CSV text that a spreadsheet never runs as a formula (``sheet_text.neutralise``)."""
from __future__ import annotations

import csv
import io
import os

from ..sheet_text import FORMULA_START


def findings_csv(findings) -> str:
    """The findings as CSV text (fields joined by ', '), every text value neutralised.

    Written by the csv module as pandas' ``to_csv`` writes a table of text and whole numbers
    (minimal quoting, the platform's line ends), in about two thirds of its time."""
    f = findings.assign(fields=findings["fields"].map(", ".join))
    columns = []
    for col in f.columns:
        values = f[col].to_numpy(dtype=object)
        if f[col].dtype.kind not in "iu":  # a column by list, not a cell at a time: 60,000 findings are quick
            values = [("'" + v if v.startswith(FORMULA_START) else v) if isinstance(v, str)
                      else "" if v is None or v != v else v for v in values]  # None, NaN: blank, as pandas writes them
        columns.append(values)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=os.linesep)
    writer.writerow([str(c) for c in f.columns])
    writer.writerows(zip(*columns))
    return out.getvalue()
