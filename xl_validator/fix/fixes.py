"""The catalogue of safe fixes: mechanical rewrites that never guess a fact about a child.

Each fix takes one column's text (a pandas Series) and returns the rewritten text,
vectorised; a value it does not recognise with certainty comes back unchanged.
Fixes run in the order of ``FIXES`` on each column, each seeing the previous one's
output, so ' wbri ' is trimmed and then upper-cased.

What a fix resolves is looked up, not hand-listed: the DfE rules in force whose
only highlighted field is the fixed column and whose message says the value is
"not valid" / "invalid" (103 for ETHNIC, 147 for DEC, 168 for UPN...). The DfE's
checks (and this engine) upper-case values first, so a lower-case code alone
raises no finding here, but the file exported to the DfE still carries it.

Deliberately not fixed:
- dates held as real Excel dates: the reader already reads them as dd/mm/yyyy;
- a day/month order other than the UK's: 04/13/2025 is left for a person, and
  03/04/2025 is always 3 April, never 4 March;
- LA_PERM: the DfE's three-digit LA numbers run 201-938, none starts with 0, so
  Excel drops no leading zeros there and there is nothing to restore;
- identifiers (CHILD, SW_ID) beyond trimming stray spaces.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from .. import catalogue
from ..rules import registry

# A UPN: a letter other than I, O, S then 12 digits, or 11 digits and a final letter; or UN1-UN5.
UPN = r"^(?:[A-HJ-NP-RT-Z]\d{12}|[A-HJ-NP-RT-Z]\d{11}[A-Z]|UN[1-5])$"
# Ofsted URNs typed with letters: SC and six digits, or the placeholder of seven X.
URN = r"^(?:SC\d{6}|X{7})$"
# A full UK unit postcode without spaces: outward code (A9, A99, AA9, AA99, A9A, AA9A) and
# inward code (a digit and two letters, never C, I, K, M, O or V).
POSTCODE = r"^([A-Z]{1,2}\d[A-Z\d]?)(\d[ABD-HJLNP-UW-Z]{2})$"
POSTCODE_COLUMNS = ("HOME_POST", "PL_POST")
# A two-digit year is read only when exactly one century puts it inside the span a 903
# return's dates can have (no child is over 25; orders and DUCs can lie a little ahead).
YEARS_BACK, YEARS_AHEAD = 50, 20
_VALIDITY = re.compile(r"not (?:a )?valid|invalid", re.IGNORECASE)


@dataclass(frozen=True)
class Column:
    table: str
    name: str
    type: str
    codelist: str | None


@dataclass(frozen=True)
class Fix:
    name: str
    what: str
    applies: Callable[[Column], bool]
    run: Callable[[pd.Series, Column, str], pd.Series]
    claims_validity: bool = True  # False: the fix changes form only, no rule fails on it


def columns(table: str) -> list[Column]:
    spec = catalogue.all_tables()[table]["columns"]
    return [Column(table, c["name"], c["type"], c.get("codelist")) for c in spec]


@cache
def validity_rules(year: str) -> dict[tuple[str, str], tuple[str, ...]]:
    """{(table, column): rule codes} for rules in force that only say a value is not valid."""
    out: dict[tuple[str, str], list[str]] = {}
    for code, r in registry(year).items():
        fields = [(t, f) for t, fs in r.fields.items() for f in fs]
        if len(fields) == 1 and _VALIDITY.search(r.message):
            out.setdefault(fields[0], []).append(code)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def resolves(fix: Fix, column: Column, year: str) -> tuple[str, ...]:
    if not fix.claims_validity:
        return ()
    return validity_rules(year).get((column.table, column.name), ())


def _keep(old: pd.Series, new: pd.Series, ok) -> pd.Series:
    """``new`` where ``ok`` (a boolean mask) holds, ``old`` elsewhere."""
    return pd.Series(np.where(np.asarray(ok, dtype=bool), new, old), index=old.index, dtype=object)


# --- trim ---------------------------------------------------------------------------

def _trim(s: pd.Series, col: Column, year: str) -> pd.Series:
    return s.str.strip()  # Python's strip: spaces, tabs, line breaks and non-breaking spaces


# --- synonyms -----------------------------------------------------------------------

@cache
def synonyms(codelist: str, year: str) -> dict[str, str]:
    """{lower-case word typed: code} that can only mean one code of the list in ``year``.

    From the catalogue: a code's meaning typed out in full ('male', 'White British',
    'yes'), and a code of another year whose meaning matches exactly one code in force
    (SEX 1/2 until 2023/24 and M/F from 2024/25 both mean male/female). Plus Y/N for the
    yes/no flags. A word that could mean two codes, or is itself a code, is left out.
    """
    entries = catalogue._load("codelists.json")[codelist]["codes"]
    current = catalogue.code_meanings(codelist, year)
    lower_codes = {c.lower() for c in current}
    by_meaning: dict[str, list[str]] = {}
    for code, meaning in current.items():
        key = " ".join(meaning.lower().split())
        if key:
            by_meaning.setdefault(key, []).append(code)
    unique = {m: codes[0] for m, codes in by_meaning.items() if len(codes) == 1}
    out = {m: c for m, c in unique.items() if m not in lower_codes}
    for e in entries:
        old, meaning = e["code"], " ".join(e.get("meaning", "").lower().split())
        if old not in current and meaning in unique and old.lower() not in lower_codes:
            out.setdefault(old.lower(), unique[meaning])
    if codelist == "FLAG_0_1":
        out.update({"y": "1", "n": "0"})
    return out


def _synonym(s: pd.Series, col: Column, year: str) -> pd.Series:
    table = synonyms(col.codelist, year)
    key = s.str.lower().str.split().str.join(" ")
    mapped = key.map(table)
    return _keep(s, mapped, mapped.notna())


# --- upper case ---------------------------------------------------------------------

def _upper_applies(col: Column) -> bool:
    return (col.type == "code" and col.codelist is not None) or col.name in ("UPN", "URN", "DATE_PERM")


def _upper(s: pd.Series, col: Column, year: str) -> pd.Series:
    up = s.str.upper()
    if col.name == "UPN":
        ok = up.str.match(UPN)
    elif col.name == "URN":
        ok = up.str.match(URN)
    elif col.name == "DATE_PERM":  # unknown day/month written zz/zz/2015
        ok = up.str.match(r"^(?:ZZ|\d{1,2})/(?:ZZ|\d{1,2})/\d{4}$") & up.str.contains("ZZ")
    else:
        ok = up.isin(catalogue.codes(col.codelist, year))
    return _keep(s, up, ok)


# --- dates --------------------------------------------------------------------------

def _full_year(two_digits: pd.Series, year: str) -> pd.Series:
    """The four-digit year when exactly one century puts it in the plausible span, else NaN."""
    end = int(catalogue.normalise_year(year)[:4]) + 1
    low, high = end - YEARS_BACK, end + YEARS_AHEAD
    c19, c20 = two_digits + 1900, two_digits + 2000
    in19, in20 = (c19 >= low) & (c19 <= high), (c20 >= low) & (c20 <= high)
    return c20.where(in20 & ~in19, c19.where(in19 & ~in20))


def _dates(s: pd.Series, col: Column, year: str) -> pd.Series:
    """ISO text (2025-04-01, with a midnight time or not), d/m/yy, d-m-yyyy, d.m.yyyy,
    unpadded d/m/yyyy and Excel serial numbers -> dd/mm/yyyy, when the date exists.
    Blanks and values already dd/mm/yyyy (most of a return) are left as they are unparsed."""
    todo = ~(s.str.fullmatch(r"\d{2}/\d{2}/\d{4}").fillna(False).astype(bool) | (s == ""))
    if not todo.all():
        out = s.astype(object).copy()
        if todo.any():
            out[todo] = _dates(s[todo], col, year)
        return out
    y = pd.Series(np.nan, index=s.index)
    m, d = y.copy(), y.copy()
    iso = s.str.extract(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$").astype(float)
    hit = iso[0].notna()
    y[hit], m[hit], d[hit] = iso.loc[hit, 0], iso.loc[hit, 1], iso.loc[hit, 2]
    dmy = s.str.extract(r"^(\d{1,2})([/\-.])(\d{1,2})\2(\d{4}|\d{2})$")
    hit = dmy[0].notna()
    digits = dmy[3].str.len()
    short = hit & (digits == 2)
    d[hit], m[hit] = dmy.loc[hit, 0].astype(float), dmy.loc[hit, 2].astype(float)
    y[hit & (digits == 4)] = dmy.loc[hit & (digits == 4), 3].astype(float)
    y[short] = _full_year(dmy.loc[short, 3].astype(float), year)
    parsed = pd.to_datetime({"year": y, "month": m, "day": d}, errors="coerce")
    serial = s.str.fullmatch(r"\d{5}")
    if serial.any():
        days = pd.to_numeric(s.where(serial), errors="coerce")
        from_serial = pd.Timestamp("1899-12-30") + pd.to_timedelta(days, unit="D")
        end = int(catalogue.normalise_year(year)[:4]) + 1
        plausible = (from_serial.dt.year >= end - YEARS_BACK) & (from_serial.dt.year <= end + YEARS_AHEAD)
        parsed = parsed.where(~(serial & plausible), from_serial)
    text = parsed.dt.strftime("%d/%m/%Y")
    return _keep(s, text, parsed.notna())


# --- postcodes ----------------------------------------------------------------------

def _postcode(s: pd.Series, col: Column, year: str) -> pd.Series:
    squashed = s.str.upper().str.replace(r"\s+", "", regex=True)
    parts = squashed.str.extract(POSTCODE)
    return _keep(s, parts[0] + " " + parts[1], parts[0].notna())


FIXES: tuple[Fix, ...] = (
    Fix("trim_spaces", "remove spaces, tabs and line breaks before and after a value",
        lambda c: True, _trim),
    Fix("code_synonym", "a code typed as its meaning or as another year's code of the same meaning "
        "('Male' -> M, 'White British' -> WBRI, SEX 1 -> M from 2024/25, Y/N -> 1/0 on yes/no flags)",
        lambda c: c.type == "code" and c.codelist is not None, _synonym),
    Fix("upper_case", "codes, UPNs, URNs and ZZ date placeholders typed in lower case, when the "
        "upper-case value is a valid code or well-formed", _upper_applies, _upper),
    Fix("date_format", "dates typed as 2025-04-01, 1/4/25, 1-4-2025, 1.4.2025 or an Excel serial "
        "number -> 01/04/2025 (day before month, as in the UK; impossible dates left alone)",
        lambda c: c.type == "date", _dates),
    Fix("postcode_format", "well-formed postcodes written as the outward code, a space and the inward "
        "code, in upper case ('tw91dn' -> 'TW9 1DN'); partial postcodes ('TW9') are left alone",
        lambda c: c.name in POSTCODE_COLUMNS, _postcode, claims_validity=False),
)
BY_NAME = {f.name: f for f in FIXES}
