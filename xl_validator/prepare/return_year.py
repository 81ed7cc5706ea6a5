"""Which collection year a return's own dates point at: the latest review or episode start
(the slips of typing a future year ignored), so a run without a year validates the right one."""
from __future__ import annotations

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
        codes, distinct = pd.factorize(raw.frame[col].to_numpy(dtype=object), use_na_sentinel=False)
        text = pd.Series(distinct, dtype=object).astype(str).str.strip()  # once per distinct value
        dates = pd.Series(parse_dates(text).to_numpy()[codes]).dropna()
        if len(dates):
            latest.append(dates[dates <= dates.quantile(0.99)].max())
    return max(latest) if latest else None


def year_of(day: pd.Timestamp) -> str:
    """The collection year (1 April to 31 March) a day falls in, e.g. '2025/26'."""
    first = day.year - (day.month < 4)
    return f"{first}/{str(first + 1)[2:]}"
