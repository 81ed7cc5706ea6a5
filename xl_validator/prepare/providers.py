"""The Ofsted provider lists (children's homes and social care providers) as one lookup by URN.

Councils download these workbooks from Ofsted; their layouts change (see the
catalogue's reference-data notes). Columns are found by name, ignoring case,
on every sheet, so the older two-file layout, the combined list and the 2025
"Providers" + "SA Providers" layout all read. Rows for one URN are combined:
the union of codes and postcodes, and the latest closure date (blank if any
row is still open).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from ..read.limits import check_zip
from ..read.table import InputError, cell_text
from .dates import parse_dates
from .postcodes import squash

# Our column: the Ofsted headings it may have, first found wins.
_HEADINGS = {
    "URN": ["urn"],
    "PLACE_CODES": ["placement code", "provider code"],
    "PROVIDER_CODES": ["placement provider code", "provider placement code"],
    "REG_END": ["deregistration date", "closed date"],
    "POSTCODE": ["setting postcode", "setting address postcode", "provider postcode"],
    "LA_NAME": ["local authority", "provider local authority"],
}
COLUMNS = ["URN", "PLACE_CODES", "PROVIDER_CODES", "REG_END", "POSTCODES", "LA_NAME", "SOURCE"]


def clean_urn(values: pd.Series) -> pd.Series:
    """URNs as text: trimmed, upper-case, a number typed in Excel without its '.0'."""
    return values.map(cell_text).str.strip().str.upper()


def _codes(values: pd.Series) -> pd.Series:
    return values.fillna("").astype(str).str.upper().str.replace("/", ",").str.split(",").map(
        lambda parts: frozenset(p.strip() for p in parts if p.strip()))


def _sheet_frame(rows: list[tuple], title: str, source: str) -> pd.DataFrame | None:
    for at, row in enumerate(rows[:15]):
        names = [str(c).strip().lower() if c is not None else "" for c in row]
        if "urn" in names:
            break
    else:
        return None
    if "child" in names:
        raise _ReturnNotProviders(title)
    found = {}
    for ours, headings in _HEADINGS.items():
        idx = next((names.index(h) for h in headings if h in names), None)
        if idx is not None:
            found[ours] = [r[idx] if idx < len(r) else None for r in rows[at + 1:]]
    if len(found) == 1:
        return None  # a URN and nothing Ofsted records about it: some other list
    df = pd.DataFrame(found)
    if "REG_END" not in df:
        # A list of current providers says "open" by leaving the date out; an address-only
        # sheet (no codes) says nothing about registration.
        df["LISTS_OPEN"] = "PLACE_CODES" in df or "PROVIDER_CODES" in df
    sa = title.strip().lower() == "sa providers"
    if sa:  # supported accommodation: always K3, PR4 unless stated
        df["PLACE_CODES"] = "K3"
        df["PROVIDER_CODES"] = df["PROVIDER_CODES"] if "PROVIDER_CODES" in df else "PR4"
    df["SOURCE"] = f"{source} / {title}"
    return df


class _ReturnNotProviders(Exception):
    """A sheet with a CHILD column: a 903 table, not a provider list."""


def read_provider_workbook(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise InputError(f"{path}: no such file (given as an Ofsted provider list)")
    check_zip(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for files it cannot read
        raise InputError(f"{path}: cannot be opened as an Ofsted provider list ({type(e).__name__}: {e}); "
                         "expected the .xlsx workbook downloaded from Ofsted") from None
    try:
        frames = [_sheet_frame(list(ws.iter_rows(values_only=True)), ws.title, path.name) for ws in wb.worksheets]
    except _ReturnNotProviders as e:
        raise InputError(f"{path}: given as an Ofsted provider list, but sheet '{e}' has a CHILD column: this "
                         "looks like a 903 return (last year's goes with --previous, or Settings > Last "
                         "year's return)") from None
    finally:
        wb.close()
    frames = [f for f in frames if f is not None]
    if not frames:
        raise InputError(f"{path}: no sheet with a URN column and Ofsted's columns (placement or provider "
                         "codes, registration dates, setting postcode); is this an Ofsted provider list?")
    return pd.concat(frames, ignore_index=True)


def combine(raw: pd.DataFrame) -> pd.DataFrame:
    """One row per URN with the union of codes/postcodes and the latest closure date."""
    df = pd.DataFrame({"URN": clean_urn(raw["URN"])})
    for col in ("PLACE_CODES", "PROVIDER_CODES"):
        df[col] = _codes(raw[col]) if col in raw else [frozenset()] * len(raw)
    end = raw["REG_END"] if "REG_END" in raw else pd.Series([None] * len(raw), index=raw.index)
    df["REG_END"] = parse_dates(end.map(cell_text).str.strip())  # real dates, text dates, blanks, NaT, '-'
    # Still registered: the row's sheet has a closure column and it holds no date ('-' or
    # blank), or the sheet is a list of current providers with no such column at all.
    listed = raw["LISTS_OPEN"] if "LISTS_OPEN" in raw else pd.Series([None] * len(raw), index=raw.index)
    df["OPEN"] = np.where(listed.isna(), df["REG_END"].isna(), listed.fillna(False).astype(bool))
    df["POSTCODES"] = squash(raw["POSTCODE"].fillna("")) if "POSTCODE" in raw else ""
    df["LA_NAME"] = raw["LA_NAME"].fillna("").astype(str) if "LA_NAME" in raw else ""
    df["SOURCE"] = raw.get("SOURCE", "")
    df = df[df["URN"] != ""]
    open_ = df.groupby("URN")["OPEN"].any()
    out = df.groupby("URN").agg(
        PLACE_CODES=("PLACE_CODES", lambda s: frozenset().union(*s)),
        PROVIDER_CODES=("PROVIDER_CODES", lambda s: frozenset().union(*s)),
        REG_END=("REG_END", "max"),
        POSTCODES=("POSTCODES", lambda s: frozenset(p for p in s if p)),
        LA_NAME=("LA_NAME", "first"),
        SOURCE=("SOURCE", "first"),
    )
    out.loc[open_[open_].index, "REG_END"] = pd.NaT
    return out.reset_index()[COLUMNS]


def read_providers(info) -> pd.DataFrame:
    """Provider lists from workbook path(s), or a DataFrame with Ofsted-like or our own column names.
    A frame this function returned comes back as it is, so lists read once serve several runs."""
    if isinstance(info, pd.DataFrame) and list(info.columns) == COLUMNS and all(
            isinstance(v, frozenset) for v in info["PLACE_CODES"].head(1)):
        return info
    if isinstance(info, pd.DataFrame):
        rename = {c: ours for c in info.columns for ours, hs in _HEADINGS.items()
                  if str(c).strip().lower() in hs or c == ours}
        raw = info.rename(columns=rename)
        if "POSTCODES" in raw and "POSTCODE" not in raw:
            raw = raw.rename(columns={"POSTCODES": "POSTCODE"})
        if "URN" not in raw:
            raise InputError("provider_info DataFrame: expected a URN column")
        return combine(raw)
    paths = [info] if isinstance(info, (str, Path)) else list(info)
    return combine(pd.concat([read_provider_workbook(Path(p)) for p in paths], ignore_index=True))
