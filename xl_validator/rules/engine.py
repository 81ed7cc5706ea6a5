"""Run rules over prepared data; a rule that lacks an input is skipped, one that raises has failed."""
from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..prepare import Data, Missing
from . import Rule


@dataclass
class Outcome:
    """Flagged row positions per (rule, table), plus what could not run and why."""

    hits: list[tuple[str, str, np.ndarray]] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    ran: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def positions(result, length: int) -> np.ndarray:
    """A rule's answer for one table (boolean mask or row positions) as sorted unique positions."""
    if isinstance(result, (pd.Series, pd.Index)):
        result = result.to_numpy()
    arr = np.asarray(result)
    if arr.dtype == bool:
        if len(arr) != length:
            raise ValueError(f"mask has {len(arr)} entries for a table of {length} rows")
        return np.flatnonzero(arr)
    arr = np.unique(arr.astype(np.int64)) if arr.size else np.empty(0, np.int64)
    if arr.size and (arr[0] < 0 or arr[-1] >= length):
        raise ValueError(f"row position out of range 0..{length - 1}")
    return arr


def run(data: Data, rules: Iterable[Rule], progress: Callable[[int, int, str], None] | None = None) -> Outcome:
    rules = list(rules)
    out = Outcome()
    for n, r in enumerate(rules, start=1):
        if progress:
            progress(n, len(rules), r.code)
        t0 = time.perf_counter()
        try:
            result = r(data) or {}
            hits = [(r.code, table, positions(mask, len(data[table]))) for table, mask in result.items()]
        except Missing as e:
            out.skipped[r.code] = f"skipped: {e}"
            continue
        except Exception as e:  # one broken rule must not stop the others
            where = traceback.extract_tb(e.__traceback__)[-1]
            out.failed[r.code] = f"{type(e).__name__}: {e} (at {where.name}, line {where.lineno})"
            continue
        finally:
            out.seconds[r.code] = time.perf_counter() - t0
        out.ran.append(r.code)
        out.hits += [h for h in hits if h[2].size]
    return out
