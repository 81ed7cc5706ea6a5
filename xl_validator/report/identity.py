"""Which finding is which from one run to the next, however the rows were sorted or exported.

A finding is known by its rule, table, child, the row's natural key (the table's key in the
specification: DECOM for an episode, REVIEW for a review, none beyond CHILD for a table with one
row per child) and the columns it flags; never by its row number. Key dates are compared as dates
(01/04/2025 and 2025-04-01 are the same), children and text as trimmed upper case, so the safe
fixes and a re-export do not turn an old finding into a new one.

Two rows with the same child and key (an episode entered twice) are told apart by an occurrence
number: their order by the whole row's text, file order only between rows that are identical
(and so interchangeable). Correcting one of two such rows may swap their numbers; that is the
one case where a correction can make the other row's finding look fixed and new.

The identity is kept as a 64-bit hash, so the run history holds no value of the return.
"""
from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from .. import catalogue
from ..prepare.dates import parse_dates
from ..read import RawTable

_ISO = r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$"


def _key_dates(values: pd.Series) -> pd.Series:
    """A key date as yyyy-mm-dd when it reads as dd/mm/yyyy or ISO; the trimmed text otherwise."""
    text = values.astype(str).str.strip()
    parsed = parse_dates(text)
    iso = text.str.extract(_ISO)
    parsed = parsed.fillna(pd.to_datetime({"year": pd.to_numeric(iso[0], errors="coerce"),
                                           "month": pd.to_numeric(iso[1], errors="coerce"),
                                           "day": pd.to_numeric(iso[2], errors="coerce")}, errors="coerce"))
    return parsed.dt.strftime("%Y-%m-%d").where(parsed.notna(), text.str.upper())


def row_keys(raw: RawTable) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``raw``: the natural key as text (child first) and its occurrence number
    among rows with the same key (0 for a key found once)."""
    frame = raw.frame
    spec = catalogue.all_tables().get(raw.name.removesuffix("_last"), {})
    child = (frame["CHILD"].astype(str).str.strip().str.upper() if "CHILD" in frame.columns
             else pd.Series("", index=frame.index))
    dates = set(catalogue.date_columns(raw.name.removesuffix("_last"))) if spec else set()
    key = child
    for col in spec.get("key", []):
        if col == "CHILD" or col not in frame.columns:
            continue
        part = _key_dates(frame[col]) if col in dates else frame[col].astype(str).str.strip().str.upper()
        key = key + "\x1f" + part
    key = key.to_numpy(dtype=object)
    occurrence = np.zeros(len(key), dtype=np.int64)
    repeated = pd.Series(key).duplicated(keep=False).to_numpy()
    if repeated.any():
        rows = np.flatnonzero(repeated)
        repeated_rows = frame.iloc[rows].astype(str)
        text = ["\x1f".join(values) for values in zip(*(repeated_rows[c].tolist() for c in repeated_rows.columns))]
        order = pd.DataFrame({"key": key[rows], "text": text, "pos": rows}).sort_values(
            ["key", "text", "pos"], kind="stable")
        occurrence[order["pos"].to_numpy()] = order.groupby("key", sort=False).cumcount().to_numpy()
    return key, occurrence


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def finding_keys(findings: pd.DataFrame, tables: dict[str, RawTable]) -> pd.Series:
    """Each finding's identity (a signed 64-bit integer), indexed like ``findings``."""
    out = pd.Series(np.zeros(len(findings), dtype=np.int64), index=findings.index)
    for table, group in findings.groupby("table", sort=False):
        raw = tables.get(table)
        if raw is not None and len(raw.frame):
            key, occurrence = row_keys(raw)
            pos = raw.positions(group["row"].to_numpy())
            where = [f"{k}\x1f{n}" for k, n in zip(key[pos], occurrence[pos])]
        else:
            where = group["child"].astype(str).str.strip().str.upper().tolist()
        fields = group["fields"].map(",".join).tolist()
        out[group.index] = [_hash(f"{code}\x1e{table}\x1e{w}\x1e{f}")
                            for code, w, f in zip(group["code"].tolist(), where, fields)]
    return out
