"""The Ofsted provider lists (children's homes and social care providers) as one table of entries.

Councils download these workbooks from Ofsted; their layouts change (see the
catalogue's reference-data notes). Columns are found by name, ignoring case,
on every sheet, so the older two-file layout, the combined list and the 2025
"Providers" + "SA Providers" layout all read. Each row of a list is one entry,
as the rules' logic reads them: a URN listed twice (current and closed sheets,
both lists, several supported-accommodation settings) has two entries, and the
rules say what a repeated URN means. Only the split children's homes layout is
joined, its address sheet giving each settings row its postcode.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..read.limits import check_zip
from ..read.table import InputError, cell_text
from ..read.workbook import sheet_values
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
COLUMNS = ["URN", "PLACE_CODES", "PROVIDER_CODES", "REG_END", "POSTCODE", "LA_NAME", "SOURCE"]


def clean_urn(values: pd.Series) -> pd.Series:
    """URNs as text, a number typed in Excel without its '.0' (the rules' notes: compare URNs
    as text). Not trimmed or upper-cased: the logic of every Ofsted rule matches URNs as exact
    text, and the reference leaves the lists' URNs as they are."""
    return values.map(cell_text)


def _codes(values: pd.Series, slash: bool) -> pd.Series:
    """A comma-separated code list as a set, split as the rules' logic says (no trimming, exact
    text); provider codes may also be separated by '/'. Sets (entries read before) are kept."""
    def split(value) -> frozenset:
        if isinstance(value, (set, frozenset)):
            return frozenset(value)
        text = cell_text(value)
        return frozenset(p for p in (text.replace("/", ",") if slash else text).split(",") if p)
    return values.map(split)


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
    sa = title.strip().lower() == "sa providers"
    if not sa and not {"PLACE_CODES", "PROVIDER_CODES", "REG_END"} & set(found):
        if "POSTCODE" not in found:
            return None  # URNs with nothing Ofsted records about their registration: some other sheet
        found = {"URN": found["URN"], "POSTCODE": found["POSTCODE"]}  # an address sheet, joined on URN
    df = pd.DataFrame(found)
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
    try:  # read as a return is (python-calamine where installed): every sheet, whatever its name
        frames = [_sheet_frame(rows, title, path.name) for title, rows in sheet_values(path, skip=frozenset())]
    except InputError as e:
        raise InputError(f"{e}; given as an Ofsted provider list: expected the .xlsx workbook downloaded "
                         "from Ofsted") from None
    except _ReturnNotProviders as e:
        raise InputError(f"{path}: given as an Ofsted provider list, but sheet '{e}' has a CHILD column: this "
                         "looks like a 903 return (last year's goes with --previous, or Settings > Last "
                         "year's return)") from None
    frames = [f for f in frames if f is not None]
    if not frames:
        raise InputError(f"{path}: no sheet with a URN column and Ofsted's columns (placement or provider "
                         "codes, registration dates, setting postcode); is this an Ofsted provider list?")
    return pd.concat(_join_addresses(frames), ignore_index=True)


def _join_addresses(frames: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """The split children's homes layout: a sheet of URNs and postcodes only is not a list of
    entries; it gives the postcode of the same workbook's settings rows (joined on URN)."""
    address = [f for f in frames if set(f.columns) == {"URN", "POSTCODE", "SOURCE"}]
    others = [f for f in frames if not any(f is a for a in address)]
    if not address or not others:
        return frames
    postcodes = pd.concat(address, ignore_index=True)
    postcodes = pd.DataFrame({"_KEY": clean_urn(postcodes["URN"]), "POSTCODE": postcodes["POSTCODE"]})
    return [f if "POSTCODE" in f else
            f.assign(_KEY=clean_urn(f["URN"])).merge(postcodes, on="_KEY", how="left").drop(columns="_KEY")
            for f in others]


def entries(raw: pd.DataFrame) -> pd.DataFrame:
    """One entry per listed row with a URN: its codes as sets, the closure date (NaT while
    registered: no date, blank or '-') and the postcode upper-cased without spaces."""
    def column(name):
        return raw[name] if name in raw else pd.Series([None] * len(raw), index=raw.index)

    df = pd.DataFrame({"URN": clean_urn(raw["URN"])})
    df["PLACE_CODES"] = _codes(column("PLACE_CODES"), slash=False)
    df["PROVIDER_CODES"] = _codes(column("PROVIDER_CODES"), slash=True)
    df["REG_END"] = parse_dates(column("REG_END").map(cell_text).str.strip())  # dates, text, blanks, NaT, '-'
    df["POSTCODE"] = squash(column("POSTCODE").map(cell_text))
    df["LA_NAME"] = column("LA_NAME").map(cell_text)
    df["SOURCE"] = raw.get("SOURCE", "")
    return df[df["URN"] != ""].reset_index(drop=True)[COLUMNS]


def read_providers(info) -> pd.DataFrame:
    """Provider lists from workbook path(s), or a DataFrame with Ofsted-like or our own column names."""
    if isinstance(info, pd.DataFrame):
        rename = {c: ours for c in info.columns for ours, hs in _HEADINGS.items()
                  if str(c).strip().lower() in hs or c == ours}
        raw = info.rename(columns=rename)
        if "POSTCODES" in raw and "POSTCODE" not in raw:
            raw = raw.rename(columns={"POSTCODES": "POSTCODE"})
        if "URN" not in raw:
            raise InputError("provider_info DataFrame: expected a URN column")
        return entries(raw)
    paths = [info] if isinstance(info, (str, Path)) else list(info)
    return entries(pd.concat([read_provider_workbook(Path(p)) for p in paths], ignore_index=True))
