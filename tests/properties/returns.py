"""Returns that make many rules fire, and the three transformations the properties apply.

A generated return is roughened: a share of its cells replaced by what councils
really send (blanks, other valid codes of the column, dates moved by days or
years, lower case, text that is no code or date) and some rows repeated with a
small change, so same-day episodes, reviews and missing periods (ties) occur.
Every transformation keeps an ``_id`` per original row so findings can be
compared row for row.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from xl_validator import catalogue
from xl_validator.sample.generator import generate, sample_providers

ID = "_id"


def _junk(rng: random.Random, value: str, codes: list[str], is_date: bool) -> str:
    roll = rng.random()
    if roll < 0.25:
        return ""
    if is_date and value:
        try:
            day = datetime.strptime(value, "%d/%m/%Y")
        except ValueError:
            return value
        shift = rng.choice([1, -1, 3, -3, 30, -30, 183, -365, 365, 3650, -6000])
        return (day + timedelta(days=shift)).strftime("%d/%m/%Y")
    if codes and roll < 0.8:
        return rng.choice(codes)
    if roll < 0.9:
        return value.lower()
    return rng.choice(["X", "ZZ/ZZ/ZZZZ", "0", "99", "  "])


def roughened(year: str, seed: int, children: int = 120, share: float | None = None):
    """(this year's tables, last year's tables) as DataFrames of text, each with an ``_id`` column.
    ``share`` of cells roughened: by default 6% for odd seeds, 15% for even ones (more rules fire)."""
    share = share if share is not None else (0.06 if seed % 2 else 0.15)
    this, last = generate(children, year, seed=seed, error_rate=0.3)
    rng = random.Random(seed)
    lists = set(catalogue.codelist_names())
    out = []
    for tables in (this, last or {}):
        done = {}
        for name, df in tables.items():
            df = df.copy()
            dates = set(catalogue.date_columns(name))
            for col in df.columns:
                if col == "CHILD":
                    continue
                codes = catalogue.codes(col, year) if col in lists else []  # noqa: E501
                for i in range(len(df)):
                    if rng.random() < share:
                        df.iat[i, df.columns.get_loc(col)] = _junk(rng, str(df.iat[i, df.columns.get_loc(col)]),
                                                                   codes, col in dates)
            if len(df):
                # Repeats make ties (same CHILD and dates); half differ in one other cell.
                repeats = df.sample(n=max(1, len(df) // 12), random_state=seed).reset_index(drop=True)
                others = [c for c in df.columns if c != "CHILD" and c not in dates] or list(df.columns)
                for i in range(0, len(repeats), 2):
                    col = rng.choice(others)
                    codes = catalogue.codes(col, year) if col in lists else []
                    repeats.at[i, col] = _junk(rng, str(repeats.at[i, col]), codes, False)
                df = pd.concat([df, repeats], ignore_index=True)
            df[ID] = [f"{name}:{i}" for i in range(len(df))]
            done[name] = df
        out.append(done)
    return out[0], out[1]


def shuffled(tables: dict, seed: int) -> dict:
    return {n: df.sample(frac=1, random_state=seed).reset_index(drop=True) for n, df in tables.items()}


def with_blank_rows(tables: dict, seed: int) -> dict:
    """Every table with all-blank rows put in at random places (one at the top, one at the end)."""
    rng = np.random.default_rng(seed)
    out = {}
    for n, df in tables.items():
        blank = pd.DataFrame({c: [np.nan] * 4 for c in df.columns})
        parts, at = [blank.iloc[:1]], sorted(rng.integers(0, len(df) + 1, size=2))
        prev = 0
        for cut in at:
            parts += [df.iloc[prev:cut], blank.iloc[:1]]
            prev = cut
        parts += [df.iloc[prev:], blank.iloc[:1]]
        out[n] = pd.concat(parts, ignore_index=True)
    return out


def with_extra_children(tables: dict, seed: int, blank: bool, suffix: str = "") -> dict:
    """Every table with copies of a few rows whose CHILD is blank (``blank``) or a new ID of its own."""
    out = {}
    for n, df in tables.items():
        if not len(df) or "CHILD" not in df.columns:
            out[n] = df
            continue
        extra = df.sample(n=min(3, len(df)), random_state=seed).copy()
        extra["CHILD"] = "" if blank else [f"NEW{n}{suffix}{i}" for i in range(len(extra))]
        extra[ID] = [f"{n}:extra{i}" for i in range(len(extra))]
        out[n] = pd.concat([df, extra], ignore_index=True)
    return out
