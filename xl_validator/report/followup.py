"""What became of each finding since earlier runs: new, open since a date, or fixed since the last
chase. The findings themselves are kept in the run history (``history``, format 3) by identity.

A finding's date first seen carries over from the latest earlier run that ran its rule: present
there, it keeps that run's date; absent, it is new. So a run with fewer rules (``--rules``) does
not make the others' findings new, and one that comes back after being fixed starts again.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from . import history
from .identity import finding_keys

FIXED_COLUMNS = ["key", "code", "child", "table", "fields", "since", "worker"]


@dataclass
class FollowUp:
    """Per finding of this run (indexed like its findings): its identity and the date it was first
    seen (NaT: new); the findings the last chase listed that are gone now; when that chase ran."""

    keys: pd.Series
    since: pd.Series
    fixed: pd.DataFrame
    last_chase: pd.Timestamp | None = None


def _runs(conn, report, exclude: int | None = None, chase: bool = False) -> list[tuple]:
    """(id, at, ran codes) of this return's latest runs that keep findings, newest first."""
    where, args = history._identity(report.year, report.inputs.get("local_authority"), 3)
    where += " AND command IS NOT NULL AND id != ?" + (" AND command = 'chase'" if chase else "")
    rows = conn.execute(f"SELECT id, at, ran_codes FROM runs {where} ORDER BY at DESC, id DESC LIMIT ?",
                        args + [-1 if exclude is None else exclude, 1 if chase else history.KEEP_FINDINGS_OF])
    return [(i, at, set(json.loads(ran or "[]"))) for i, at, ran in rows.fetchall()]


def _since(conn, report, keys: pd.Series, exclude: int | None = None) -> pd.Series:
    codes = report.findings["code"]
    since = pd.Series(pd.NaT, index=keys.index, dtype="datetime64[ns]")
    todo = set(codes.unique())
    for run_id, _, ran in _runs(conn, report, exclude):
        covered = todo & ran
        if not covered:
            continue
        todo -= covered
        marks = ",".join("?" * len(covered))
        known = dict(conn.execute(f"SELECT key, since FROM findings WHERE run_id = ? AND code IN ({marks})",
                                  [run_id, *sorted(covered)]).fetchall())
        mask = codes.isin(covered).to_numpy()
        since[mask] = pd.to_datetime(keys[mask].map(known))
        if not todo:
            break
    return since


def _fixed(conn, report, keys: pd.Series) -> tuple[pd.DataFrame, pd.Timestamp | None]:
    """The last chase's listed findings that this run no longer finds, though it ran their rule."""
    last = _runs(conn, report, chase=True)
    if not last:
        return pd.DataFrame(columns=FIXED_COLUMNS), None
    run_id, at, _ = last[0]
    listed = pd.read_sql_query("SELECT key, code, child, tbl AS 'table', fields, since, worker FROM findings "
                               "WHERE run_id = ? AND worker IS NOT NULL", conn, params=[run_id])
    ran = set(report.ran) - set(report.failed)
    gone = listed[~listed["key"].isin(set(keys)) & listed["code"].isin(ran)]
    return gone.assign(since=pd.to_datetime(gone["since"])).reset_index(drop=True), pd.Timestamp(at)


def follow_up(db_path, report) -> FollowUp:
    """This run's findings against the history at ``db_path`` (none yet: every finding new)."""
    keys = finding_keys(report.findings, report.tables)
    path = Path(db_path) if db_path is not None else None
    if path is None or not path.is_file():
        return FollowUp(keys, pd.Series(pd.NaT, index=keys.index, dtype="datetime64[ns]"),
                        pd.DataFrame(columns=FIXED_COLUMNS))
    with closing(history._connect(path, write=False)) as conn:
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] < 3:
                return FollowUp(keys, pd.Series(pd.NaT, index=keys.index, dtype="datetime64[ns]"),
                                pd.DataFrame(columns=FIXED_COLUMNS))
            fixed, at = _fixed(conn, report, keys)
            return FollowUp(keys, _since(conn, report, keys), fixed, at)
        except sqlite3.Error as e:
            raise history._explain(path, e) from None


def store_findings(conn, run_id: int, report, at: datetime, listed_for: pd.Series | None,
                   keys: pd.Series | None = None) -> None:
    """Inside ``history.record``'s transaction: this run's findings with their date first seen,
    then the findings of runs too old to be asked again removed (the file stays small)."""
    keys = finding_keys(report.findings, report.tables) if keys is None else keys
    since = _since(conn, report, keys, exclude=run_id).fillna(pd.Timestamp(at))
    f = report.findings
    worker = (listed_for.reindex(f.index) if listed_for is not None
              else pd.Series(np.nan, index=f.index, dtype=object))
    conn.executemany("INSERT INTO findings VALUES (?,?,?,?,?,?,?,?)", zip(  # lists: quicker to walk than Series
        [run_id] * len(f), keys.tolist(), f["code"].astype(str).tolist(), f["child"].astype(str).tolist(),
        f["table"].astype(str).tolist(), f["fields"].map(",".join).tolist(),
        since.dt.strftime("%Y-%m-%dT%H:%M:%S").tolist(), [w if isinstance(w, str) else None for w in worker.tolist()]))
    keep = {i for i, _, _ in _runs(conn, report)} | {i for i, _, _ in _runs(conn, report, chase=True)}
    marks = ",".join("?" * len(keep)) or "NULL"
    conn.execute(f"DELETE FROM findings WHERE run_id IN (SELECT id FROM runs WHERE year = ? AND council IS ?) "
                 f"AND run_id NOT IN ({marks})", [report.year, report.inputs.get("local_authority"), *sorted(keep)])
