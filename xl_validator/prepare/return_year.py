"""Which collection year a return's own dates point at: the latest review or episode start
(the slips of typing a future year ignored), so a run without a year validates the right one."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..read import RawTable
from .dates import parse_dates

DATED = (("Reviews", "REVIEW"), ("Episodes", "DECOM"))


def latest_date(tables: dict[str, RawTable], suffix: str = "") -> pd.Timestamp | None:
    latest = []
    for table, col in DATED:
        raw = tables.get(table + suffix)
        if raw is None or col not in raw.frame.columns or not len(raw.frame):
            continue
        codes, texts = pd.factorize(raw.frame[col].to_numpy())  # each distinct text parsed once
        days = parse_dates(pd.Series(texts, dtype=object).astype(str).str.strip()).to_numpy()
        dates = pd.Series(np.repeat(days, np.bincount(codes[codes >= 0], minlength=len(texts)))).dropna()
        if len(dates):
            latest.append(dates[dates <= dates.quantile(0.99)].max())
    return max(latest) if latest else None


def year_of(day: pd.Timestamp) -> str:
    """The collection year (1 April to 31 March) a day falls in, e.g. '2025/26'."""
    first = day.year - (day.month < 4)
    return f"{first}/{str(first + 1)[2:]}"
