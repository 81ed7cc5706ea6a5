"""The Dashboard's figures for leadership, counted from the validated return the way the DfE's
national statistics count them (definitions in ``definitions.json``), with last year's figures
and, for each, what could not be counted."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from ...prepare import Data
from ...prepare.postcodes import load_postcodes
from . import care, children, placements, quality
from .episodes import Episodes
from .figure import DEFINITIONS, SUPPRESSED, Figure, Line, shown, shown_share

__all__ = ["Dashboard", "Figure", "Line", "DEFINITIONS", "SUPPRESSED", "dashboard", "figures_of", "shown",
           "shown_share"]

LEAVERS = ("leavers_touch", "leavers_eet", "leavers_accom")
PER_RETURN = (  # (the figures a step makes, the step)
    (("cla",), children.looked_after), (("started",), children.started), (("ceased",), children.ceased),
    (("age",), children.by_age), (("sex",), children.by_sex), (("ethnicity",), children.by_ethnicity),
    (("legal_status",), children.by_legal_status), (("need",), children.by_need), (("uasc",), children.uasc),
    (("placement_type",), placements.placement_type), (("placement_area",), placements.placement_area),
    (("placement_distance",), placements.placement_distance),
    (("stability_short",), placements.short_term_stability), (("stability_long",), placements.long_term_stability),
    (("adoption",), care.adoption_timeliness), (("missing",), care.missing), (("reviews",), care.reviews_on_time),
    (LEAVERS, care.care_leavers))


@dataclass
class Dashboard:
    figures: list[Figure]
    year: str
    collection_end: pd.Timestamp
    council: str = ""  # e.g. "Richmond upon Thames (E09000027)"
    last_year: bool = False  # last year's return was given, so figures carry last year's values
    made: datetime = field(default_factory=datetime.now)

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


def _safely(keys, step, ep: Episodes) -> list[Figure]:
    """One figure's problem never stops the others: it is shown as not worked out, with why."""
    try:
        out = step(ep)
    except Exception as e:  # noqa: BLE001 - any failure of one figure is reported on the sheet
        return [Figure(k, [], note=f"Not worked out ({type(e).__name__}: {e}): please report this.") for k in keys]
    return out if isinstance(out, list) else [out]


def figures_of(d: Data, earlier: Data | None = None) -> list[Figure]:
    """Every figure of one return (``earlier``: last year's, for when care and placements began)."""
    if d is None or not d.has("Episodes"):
        return [Figure(k, [], note="Not worked out: the return has no Episodes table.")
                for keys, _ in PER_RETURN for k in keys]
    ep = Episodes(d, earlier)
    return [f for keys, step in PER_RETURN for f in _safely(keys, step, ep)]


def _prepared(report, last: bool, postcodes) -> Data | None:
    """This year's or last year's tables, prepared for its own collection period: the run's own
    prepared data where the report has it (dates already parsed, postcodes already looked up)."""
    if not any(n.endswith("_last") == last for n in report.tables):
        return None
    if report.prepared is not None:
        return report.prepared.year_view(last)
    if isinstance(postcodes, str):
        postcodes = load_postcodes() if report.inputs.get("postcodes", True) else None
    tables = {n.removesuffix("_last"): t for n, t in report.tables.items() if n.endswith("_last") == last}
    start, end = pd.Timestamp(report.collection_start), pd.Timestamp(report.collection_end)
    if last:
        start, end = start - pd.DateOffset(years=1), end - pd.DateOffset(years=1)
    return Data(tables, report.year, start, end, local_authority=report.inputs.get("local_authority"),
                postcodes=postcodes)


def dashboard(report, history: pd.DataFrame | None = None, postcodes="auto") -> Dashboard:
    """The Dashboard of a validated return: its figures, last year's where last year's return was
    part of the run, and the data quality of this run (``history``: earlier runs, for the trend)."""
    this, last = _prepared(report, False, postcodes), _prepared(report, True, postcodes)
    figures = figures_of(this, last)
    if last is not None:
        for fig, before in zip(figures, figures_of(last)):
            fig.last = before.lines if before.key == fig.key and not before.note else None
    children = {c for n, t in report.tables.items() if not n.endswith("_last") and "CHILD" in t.frame.columns
                for c in t.frame["CHILD"].astype(str).str.strip() if c}
    figures += [quality.quality(report, children), quality.error_groups(report), quality.trend(report, history)]
    la = report.inputs.get("local_authority") or ""
    name = report.inputs.get("local_authority_name") or ""
    council = f"{name} ({la})" if name else la
    return Dashboard(figures, report.year, pd.Timestamp(report.collection_end), council, last is not None)
