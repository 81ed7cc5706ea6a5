"""How far to trust the figures: this run's errors, the groups they fall in, and the trend."""
from __future__ import annotations

import pandas as pd

from ..groups import error_group
from .figure import Figure, Line


def _errors(report) -> pd.DataFrame:
    """Error findings on this year's return (last year's tables are only compared with)."""
    f = report.findings
    return f[(f["severity"] == "error") & ~f["table"].str.endswith("_last")]


def quality(report, children: set) -> Figure:
    """``children``: every CHILD of this year's tables."""
    errors = _errors(report)
    n = len(children)
    with_errors = len(set(errors["child"]) & children)
    lines = [Line("Errors per 100 children", round(100 * len(errors) / n, 1) if n else None),
             Line("Children with at least one error", with_errors, n),
             Line("Errors found", len(errors)),
             Line("Children in the return", n)]
    return Figure("quality", lines, people=False)


def error_groups(report, top: int = 5) -> Figure:
    errors = _errors(report)
    groups = errors["code"].map(lambda c: error_group(report.rules[c]) if c in report.rules else "Other")
    counts = groups.value_counts().head(top)
    lines = [Line(name, int(n), len(errors)) for name, n in counts.items()]
    return Figure("error_groups", lines, people=False)


def trend(report, history: pd.DataFrame | None) -> Figure:
    """Findings of the recorded runs of this return, then this run's."""
    if history is None or history.empty:
        return Figure("trend", [Line("This run", len(report.findings))], people=False,
                      note="No earlier runs of this return are recorded in the run history.")
    lines = [Line(f"{r.at:%d/%m/%Y %H:%M}", int(r.findings)) for r in history.tail(9).itertuples(index=False)]
    return Figure("trend", lines + [Line("This run", len(report.findings))], people=False)
