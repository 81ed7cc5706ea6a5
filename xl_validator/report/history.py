"""Run history: a summary of every validation run in a small SQLite file, so an analyst
sees the return getting better (or worse) from run to run.

The file sits next to the validated workbook (``.xl_validator_history.sqlite``)
unless ``db_path`` or the ``XL_VALIDATOR_HISTORY`` environment variable names
another. It holds counts per run, per rule and per child identifier (the council's own CHILD
codes, as in the return beside it) and, for the latest runs, each finding's identity (a hash,
see ``identity``), rule, child, table, columns, the date it was first seen and the social
worker a chase run listed it for; never the return's values.
Runs belong to a return by its identity, the council code and collection year, so
saving the return under a new name each month keeps one trend; each run also keeps
the rules run and skipped and the inputs given, so a trend compares like with like.
Each run is written in one transaction (rollback journal, not WAL, because WAL
does not work on network drives), so concurrent runs wait for each other
instead of corrupting the file.
"""
from __future__ import annotations

import json
import os
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Font

from ..read import InputError
from ..sheet_text import append, put_at

FILE_NAME = ".xl_validator_history.sqlite"
ENV = "XL_VALIDATOR_HISTORY"
SCHEMA_VERSION = 3
APPLICATION_ID = 0x58563033  # 'XV03': marks the file as ours
TIMEOUT_SECONDS = 120.0  # how long a run waits for others holding the file (each holds it for milliseconds)
TOP_RULES = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,                 -- local date-time, ISO 8601
    year TEXT NOT NULL,
    source TEXT NOT NULL,             -- file or folder name validated
    source_path TEXT NOT NULL,
    findings INTEGER NOT NULL,
    children INTEGER NOT NULL,        -- rows of Header
    children_with_errors INTEGER NOT NULL,
    rules_run INTEGER NOT NULL,
    rules_skipped INTEGER NOT NULL,
    rules_failed INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS rule_counts (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    code TEXT NOT NULL,
    findings INTEGER NOT NULL,
    PRIMARY KEY (run_id, code)
);
CREATE TABLE IF NOT EXISTS child_counts (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    child TEXT NOT NULL,
    findings INTEGER NOT NULL,
    PRIMARY KEY (run_id, child)
);
CREATE INDEX IF NOT EXISTS runs_by_source ON runs (source, at);
"""
# Version 2: the return's identity and what each run had to work with.
_V2 = ("council TEXT", "inputs TEXT", "ran_codes TEXT", "skipped_codes TEXT")
# Version 3: every finding of a run by its identity, and which command made the run.
_V3 = """
ALTER TABLE runs ADD COLUMN command TEXT;     -- 'validate' or 'chase', NULL before version 3
CREATE TABLE IF NOT EXISTS findings (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    key INTEGER NOT NULL,             -- identity.finding_keys
    code TEXT NOT NULL,
    child TEXT NOT NULL,
    tbl TEXT NOT NULL,
    fields TEXT NOT NULL,
    since TEXT NOT NULL,              -- when first seen (in an unbroken series of runs)
    worker TEXT                       -- chase runs: the SW_ID it was listed for ('' none), else NULL
);
CREATE INDEX IF NOT EXISTS findings_by_run ON findings (run_id, code);
"""
KEEP_FINDINGS_OF = 5  # latest runs of a return whose findings are kept (and its latest chase run)
INPUT_NAMES = {"previous": "last year's return", "providers": "the Ofsted lists", "local_authority": "the council code",
               "postcodes": "the postcode data"}

RUN_COLUMNS = ["id", "at", "year", "council", "source", "findings", "children", "children_with_errors",
               "errors_per_child", "rules_run", "rules_skipped", "rules_failed", "by_rule", "inputs", "ran"]


class HistoryError(InputError):
    """The history file cannot be used (damaged, not ours, newer, or held by another run)."""


def history_path(source_path=None, db_path=None) -> Path:
    """``db_path``, else $XL_VALIDATOR_HISTORY, else the file beside the validated workbook or folder."""
    if db_path:
        return Path(db_path)
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    if source_path is None:
        raise HistoryError(f"no place for the run history: give a history file or set {ENV}")
    return Path(source_path).resolve().parent / FILE_NAME


def _connect(path: Path, write: bool) -> sqlite3.Connection:
    if not write and not path.is_file():
        raise HistoryError(f"{path}: no run history yet (it is written when a return is validated)")
    try:
        if write:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=TIMEOUT_SECONDS, isolation_level=None)
        else:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=TIMEOUT_SECONDS,
                                   isolation_level=None)
        _check(conn, path)
    except sqlite3.Error as e:
        raise _explain(path, e) from None
    except OSError as e:
        raise HistoryError(f"{path}: the run history cannot be written there ({e.strerror or e}); "
                           f"give another history file or set {ENV}") from None
    return conn


def _check(conn: sqlite3.Connection, path: Path) -> None:
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app not in (0, APPLICATION_ID):
        raise HistoryError(f"{path}: this SQLite file belongs to another program; choose another history file")
    if version > SCHEMA_VERSION:
        raise HistoryError(f"{path}: written by a newer xl_validator (history format {version}, this one "
                           f"reads up to {SCHEMA_VERSION}); update xl_validator or use another history file")


def _explain(path: Path, e: sqlite3.Error) -> HistoryError:
    text = str(e)
    if "locked" in text or "busy" in text:
        return HistoryError(f"{path}: the run history is in use by another run (waited {TIMEOUT_SECONDS:.0f} s); "
                            "try again in a moment")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return HistoryError(f"{path}: the run history file is damaged ({text}); rename or delete it and "
                            "a new one will be started")
    return HistoryError(f"{path}: the run history cannot be used ({type(e).__name__}: {text})")


def record(report, source_path, db_path=None, at: datetime | None = None, *, command: str = "validate",
           listed_for: pd.Series | None = None, keys: pd.Series | None = None) -> int:
    """Append a summary of ``report`` (validation of ``source_path``) and its findings' identities
    to the history; returns the run id. ``command``: 'chase' for a chase run (its counts assume the
    safe fixes made, so the trend leaves it out); ``listed_for``: per finding on its chase list, the
    social worker's SW_ID ('' for none); ``keys``: the findings' identities when the caller has
    them already (``identity.finding_keys``)."""
    from .followup import store_findings

    path = history_path(source_path, db_path)
    at = at or datetime.now()
    f = report.findings
    header = report.tables.get("Header")
    children = len(header) if header is not None else 0
    by_rule = f.groupby("code").size()
    by_child = f[f["child"] != ""].groupby("child").size()
    name = Path(source_path).name if source_path is not None else "DataFrames"
    given = {k: bool(report.inputs.get(k)) for k in INPUT_NAMES}
    row = (at.isoformat(timespec="seconds"), report.year, name,
           str(source_path or ""), len(f), children, report.children_with_errors,
           len(report.ran), len(report.skipped), len(report.failed), report.inputs.get("local_authority"),
           json.dumps(given), json.dumps(sorted(report.ran)), json.dumps(sorted(report.skipped)), command)
    with closing(_connect(path, write=True)) as conn:
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                _create_or_upgrade(conn)
                run_id = conn.execute(
                    "INSERT INTO runs (at, year, source, source_path, findings, children, children_with_errors,"
                    " rules_run, rules_skipped, rules_failed, council, inputs, ran_codes, skipped_codes, command)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", row).lastrowid
                conn.executemany("INSERT INTO rule_counts VALUES (?,?,?)",
                                 [(run_id, str(c), int(n)) for c, n in by_rule.items()])
                conn.executemany("INSERT INTO child_counts VALUES (?,?,?)",
                                 [(run_id, str(c), int(n)) for c, n in by_child.items()])
                store_findings(conn, run_id, report, at, listed_for, keys)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as e:
            raise _explain(path, e) from None
    return run_id


def _create_or_upgrade(conn: sqlite3.Connection) -> None:
    """Inside the writing transaction: a new file gets the schema, an older file what it lacks."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == 0:
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    if version < 2:
        for column in _V2:
            conn.execute(f"ALTER TABLE runs ADD COLUMN {column}")
        conn.execute("CREATE INDEX IF NOT EXISTS runs_by_return ON runs (year, council, at)")
    if version < 3:
        for statement in _V3.split(";"):
            if statement.strip():
                conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _same_return(conn: sqlite3.Connection, source: str, version: int) -> tuple[str, list]:
    """The runs of the return whose latest run was of file ``source``: same collection year and
    council (a run without a council code matches any), whatever the file was called."""
    council = ", council" if version >= 2 else ", NULL"
    latest = conn.execute(f"SELECT year{council} FROM runs WHERE source = ? ORDER BY at DESC, id DESC LIMIT 1",
                          (Path(source).name,)).fetchone()
    if latest is None:
        return "WHERE 0", []
    return _identity(*latest, version)


def _identity(year: str, council: str | None, version: int) -> tuple[str, list]:
    if version < 2 or council is None:
        return "WHERE year = ?", [year]
    return "WHERE year = ? AND (council = ? OR council IS NULL)", [year, council]


def runs(db_path, source: str | None = None, limit: int | None = None, *, year: str | None = None,
         council: str | None = None) -> pd.DataFrame:
    """Recorded runs, oldest first (the last ``limit`` of them), optionally only those of one return:
    the one last validated as file ``source`` (its runs under other names included), or the one
    of ``year`` and ``council``. ``by_rule`` holds {code: findings}, most frequent first; ``inputs``
    which inputs were given; ``ran`` the codes run."""
    path = Path(db_path)
    with closing(_connect(path, write=False)) as conn:
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                return pd.DataFrame(columns=RUN_COLUMNS)
            if year:
                where, args = _identity(year, council, version)
            else:
                where, args = _same_return(conn, source, version) if source else ("", [])
            if version >= 3:  # chase runs count the return with the safe fixes made: not like for like
                where = f"{where or 'WHERE 1'} AND (command IS NULL OR command != 'chase')"
            if limit:
                args.append(int(limit))
            chosen = f"SELECT id FROM runs {where} ORDER BY at DESC, id DESC{' LIMIT ?' if limit else ''}"
            extra = "council, inputs, ran_codes" if version >= 2 else "NULL AS council, NULL AS inputs, NULL AS ran_codes"
            frame = pd.read_sql_query(
                "SELECT id, at, year, source, findings, children, children_with_errors, rules_run, rules_skipped,"
                f" rules_failed, {extra} FROM runs WHERE id IN ({chosen}) ORDER BY at, id", conn, params=args)
            counts = pd.read_sql_query(
                f"SELECT run_id, code, findings FROM rule_counts WHERE run_id IN ({chosen})"
                " ORDER BY run_id, findings DESC, code", conn, params=args)
        except sqlite3.Error as e:
            raise _explain(path, e) from None
        except pd.errors.DatabaseError as e:  # pandas wraps the sqlite3 error
            raise _explain(path, sqlite3.DatabaseError(str(e))) from None
    frame["at"] = pd.to_datetime(frame["at"])
    in_child = frame["children_with_errors"].where(frame["children_with_errors"] > 0)
    frame["errors_per_child"] = (frame["findings"] / in_child).round(1).fillna(0.0)
    by_rule = {run: dict(zip(g["code"], map(int, g["findings"]))) for run, g in counts.groupby("run_id", sort=False)}
    frame["by_rule"] = [by_rule.get(i, {}) for i in frame["id"]]
    frame["inputs"] = [json.loads(v) if isinstance(v, str) else None for v in frame["inputs"]]  # NULL: version 1
    frame["ran"] = [frozenset(json.loads(v)) if isinstance(v, str) else None for v in frame["ran_codes"]]
    frame["council"] = [v if isinstance(v, str) else None for v in frame["council"]]
    return frame[RUN_COLUMNS]


def what_changed(before, after) -> list[str]:
    """Why two runs' counts are not like for like: a year, inputs or rules that differ."""
    out = []
    if before.year != after.year:
        out.append(f"collection year {before.year} -> {after.year}")
    if before.inputs is not None and after.inputs is not None:
        for key, name in INPUT_NAMES.items():
            if before.inputs.get(key) and not after.inputs.get(key):
                out.append(f"{name} not given")
            elif after.inputs.get(key) and not before.inputs.get(key):
                out.append(f"{name} given")
    if before.ran is not None and after.ran is not None and before.ran != after.ran:
        fewer, more = len(before.ran - after.ran), len(after.ran - before.ran)
        out.append(", ".join(p for p in (f"{fewer} rules no longer run" if fewer else "",
                                         f"{more} more rules run" if more else "") if p))
    return out


def _like_for_like(before, after) -> str:
    """The change in findings between two runs, over the rules both ran when they differ."""
    change = int(after.findings) - int(before.findings)
    changed = what_changed(before, after)
    if not changed:
        return f"{change:+d} findings"
    if before.ran is not None and after.ran is not None:
        both = before.ran & after.ran
        same = sum(n for c, n in after.by_rule.items() if c in both) - sum(
            n for c, n in before.by_rule.items() if c in both)
        return (f"{same:+d} findings on the {len(both)} rules run both times ({change:+d} in all, "
                f"not like for like: {'; '.join(changed)})")
    return f"{change:+d} findings (not like for like: {'; '.join(changed)})"


def top_rules(by_rule: dict, n: int = TOP_RULES) -> str:
    return ", ".join(f"{code} ({count})" for code, count in list(by_rule.items())[:n])


def trend_text(history: pd.DataFrame, width: int = 40) -> str:
    """Per run: total findings, children with errors, top rules; then a bar per run (ASCII, any console)."""
    if history.empty:
        return "No runs recorded."
    lines = [f"{'run at':<16}  {'year':<7}  {'findings':>8}  {'children w/ errors':>18}  {'per child':>9}  top rules"]
    for r in history.itertuples(index=False):
        lines.append(f"{r.at:%d/%m/%Y %H:%M}  {r.year:<7}  {r.findings:>8}  {r.children_with_errors:>18}  "
                     f"{r.errors_per_child:>9.1f}  {top_rules(r.by_rule)}")
    most = max(int(history["findings"].max()), 1)
    lines += ["", "Findings per run"]
    for r in history.itertuples(index=False):
        bar = "#" * round(width * r.findings / most) or ("." if r.findings == 0 else "#")
        lines.append(f"{r.at:%d/%m/%Y %H:%M}  {bar} {r.findings}")
    if len(history) > 1:
        rows = list(history.itertuples(index=False))
        first, last = rows[0], rows[-1]
        lines.append(f"\nSince {first.at:%d/%m/%Y %H:%M}: {_like_for_like(first, last)}, "
                     f"{int(last.children_with_errors) - int(first.children_with_errors):+d} children with errors.")
        for before, after in zip(rows, rows[1:]):
            changed = what_changed(before, after)
            if changed:
                lines.append(f"  {after.at:%d/%m/%Y %H:%M} ({after.source}): {'; '.join(changed)}, "
                             f"so its count is not like for like with the run before.")
    return "\n".join(lines)


def write_history_sheet(ws_or_wb, history: pd.DataFrame, title: str = "Last runs") -> int:
    """Append a "Last runs" block (newest first) below what the sheet holds; a workbook's
    Summary sheet is used (made if missing). Returns the first row written."""
    ws = ws_or_wb
    if isinstance(ws_or_wb, Workbook):
        ws = ws_or_wb["Summary"] if "Summary" in ws_or_wb.sheetnames else ws_or_wb.create_sheet("Summary")
    empty = ws.max_row == 1 and ws.max_column == 1 and ws.cell(1, 1).value is None
    start = 1 if empty else ws.max_row + 2
    ws.cell(row=start, column=1, value=title).font = Font(bold=True, size=12)
    heads = ["Run at", "Year", "Source", "Findings", "Children with errors", "Errors per child", "Top rules",
             "Not like for like with the run before"]
    for j, h in enumerate(heads, start=1):
        ws.cell(row=start + 1, column=j, value=h).font = Font(bold=True)
    rows = list(history.itertuples(index=False))
    changed = ["; ".join(what_changed(b, a)) for b, a in zip(rows, rows[1:])]
    changed = [""] + changed
    for i, (r, note) in enumerate(zip(rows[::-1], changed[::-1]), start=start + 2):
        values = (r.at.to_pydatetime(), r.year, r.source, int(r.findings), int(r.children_with_errors),
                  float(r.errors_per_child), top_rules(r.by_rule), note or None)
        for j, v in enumerate(values, start=1):
            put_at(ws, i, j, v)
        ws.cell(row=i, column=1).number_format = "dd/mm/yyyy hh:mm"
    if history.empty:
        ws.cell(row=start + 2, column=1, value="No earlier runs recorded.")
    return start


def trend_workbook(history: pd.DataFrame) -> Workbook:
    """A workbook with the runs and a line chart of findings and children with errors per run."""
    wb = Workbook()
    ws = wb.active
    ws.title = "History"
    ws.append(["Run at", "Findings", "Children with errors", "Top rules"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in history.itertuples(index=False):
        append(ws, [r.at.to_pydatetime(), int(r.findings), int(r.children_with_errors), top_rules(r.by_rule)])
        ws.cell(row=ws.max_row, column=1).number_format = "dd/mm/yyyy hh:mm"
    for col, width in zip("ABCD", (18, 10, 20, 50)):
        ws.column_dimensions[col].width = width
    if len(history):
        chart = LineChart()
        chart.title, chart.y_axis.title, chart.x_axis.title = "903 validation runs", "count", "run"
        chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=1, max_row=len(history) + 1),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(history) + 1))
        chart.x_axis.number_format = "dd/mm hh:mm"
        chart.height, chart.width = 9, 18
        ws.add_chart(chart, "F2")
    return wb
