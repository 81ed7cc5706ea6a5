"""Parse dd/mm/yyyy text once per distinct value (dates repeat a lot: DOBs, 31/03s)."""
from __future__ import annotations

import numpy as np
import pandas as pd

# Day and month may be one or two digits (the DfE's parser accepts 1/4/2022); the
# year must have four. Anything else, including real ISO dates, is unparseable.
_PATTERN = r"^(\d{1,2})/(\d{1,2})/(\d{4})$"
_SLASHES, _DIGITS = [2, 5], [0, 1, 3, 4, 6, 7, 8, 9]
_TENS = np.array([10, 1], dtype=np.int64)
_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
DAY_NS = 86_400 * 10**9  # nanoseconds in a day
_FIRST, _LAST = pd.Timestamp.min.ceil("D"), pd.Timestamp.max.floor("D")  # whole days datetime64[ns] holds


def parse_dates(values: pd.Series) -> pd.Series:
    """Text to datetime64; blank or unparseable (31/02/2022, 2022-04-01, ZZ/..) -> NaT."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))  # blank (None, NaN) -> code -1 -> NaT
    parsed = np.full(len(uniques) + 1, np.datetime64("NaT"), dtype="datetime64[ns]")
    exact = _exact_dates(uniques, parsed)
    if not exact.all():
        parsed[:-1][~exact] = _parse_any(uniques[~exact])
    return pd.Series(parsed[codes], index=values.index)


def _exact_dates(uniques: np.ndarray, parsed: np.ndarray) -> np.ndarray:
    """Fill ``parsed`` for the common shape, exactly dd/mm/yyyy in ASCII digits with a real day
    in 1678..2261, all at once; the mask of those filled. Everything else (1/4/2022, 31/02,
    other years, stray characters) is left to ``_parse_any``."""
    n = len(uniques)
    lengths = np.fromiter((len(v) if type(v) is str else -1 for v in uniques), dtype=np.int64, count=n)
    exact = lengths == 10
    if not exact.any():
        return exact
    chars = uniques[exact].astype("U10").view(np.uint32).reshape(-1, 10).astype(np.int64)
    shaped = (chars[:, _SLASHES] == ord("/")).all(axis=1)
    digits = chars[:, _DIGITS] - ord("0")
    shaped &= ((digits >= 0) & (digits <= 9)).all(axis=1)
    day, month = digits[:, 0:2] @ _TENS, digits[:, 2:4] @ _TENS
    year = digits[:, 4:8] @ np.array([1000, 100, 10, 1], dtype=np.int64)
    shaped &= (year >= 1678) & (year <= 2261) & (month >= 1) & (month <= 12) & (day >= 1)
    month = np.where(shaped, month, 1)
    shaped &= day <= _MONTH_DAYS[month - 1] + ((month == 2) & is_leap(year))
    exact[exact] = shaped
    parsed[:-1][exact] = (days_from_civil(year[shaped], month[shaped], day[shaped]) * DAY_NS).view("datetime64[ns]")
    return exact


def is_leap(year: np.ndarray) -> np.ndarray:
    """Whether each year has a 29 February (Gregorian)."""
    return (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))


def days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of each (year, month, day), in integer arithmetic (numpy's own
    month and year conversions are many times slower): the proleptic Gregorian calendar
    counted in 400-year eras from 1 March."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


def civil_from_days(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(year, month, day) of each count of days since 1970-01-01: ``days_from_civil`` undone."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + np.where(mp < 10, 3, -9)
    return yoe + era * 400 + (month <= 2), month, day


def _parse_any(uniques: np.ndarray) -> np.ndarray:
    """Every other value, by the pattern: day and month of one or two digits."""
    uniques = pd.Series(uniques, dtype=object)
    parts = uniques.astype(str).str.extract(_PATTERN)
    parsed = pd.to_datetime(
        {"year": pd.to_numeric(parts[2], errors="coerce"),
         "month": pd.to_numeric(parts[1], errors="coerce"),
         "day": pd.to_numeric(parts[0], errors="coerce")},
        errors="coerce",
    )
    # A date nanoseconds cannot hold (01/01/0000, 01/01/3000) does not parse, as in the DfE's
    # tool, rather than wrapping round to some other date.
    parsed = parsed.where((parsed >= _FIRST) & (parsed <= _LAST))
    return parsed.to_numpy().astype("datetime64[ns]")
