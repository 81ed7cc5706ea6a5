"""Run history: a summary of every validation run in a small SQLite file, so an analyst
sees the return getting better (or worse) from run to run.

The file sits next to the validated workbook (``.xl_validator_history.sqlite``)
unless ``db_path`` or the ``XL_VALIDATOR_HISTORY`` environment variable names
another. It holds counts only: per run, per rule and per child identifier (the
council's own CHILD codes, as in the return beside it), never the return's values.
Each run is written in one transaction (rollback journal, not WAL, because WAL
does not work on network drives), so concurrent runs wait for each other
instead of corrupting the file.
"""
from __future__ import annotations

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
SCHEMA_VERSION = 1
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

RUN_COLUMNS = ["id", "at", "year", "source", "findings", "children", "children_with_errors",
               "errors_per_child", "rules_run", "rules_skipped", "rules_failed", "by_rule"]


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


def record(report, source_path, db_path=None, at: datetime | None = None) -> int:
    """Append a summary of ``report`` (validation of ``source_path``) to the history; returns the run id."""
    path = history_path(source_path, db_path)
    f = report.findings
    header = report.tables.get("Header")
    children = len(header) if header is not None else 0
    by_rule = f.groupby("code").size()
    by_child = f[f["child"] != ""].groupby("child").size()
    name = Path(source_path).name if source_path is not None else "DataFrames"
    row = ((at or datetime.now()).isoformat(timespec="seconds"), report.year, name,
           str(source_path or ""), len(f), children, report.children_with_errors,
           len(report.ran), len(report.skipped), len(report.failed))
    with closing(_connect(path, write=True)) as conn:
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                run_id = conn.execute(
                    "INSERT INTO runs (at, year, source, source_path, findings, children, children_with_errors,"
                    " rules_run, rules_skipped, rules_failed) VALUES (?,?,?,?,?,?,?,?,?,?)", row).lastrowid
                conn.executemany("INSERT INTO rule_counts VALUES (?,?,?)",
                                 [(run_id, str(c), int(n)) for c, n in by_rule.items()])
                conn.executemany("INSERT INTO child_counts VALUES (?,?,?)",
                                 [(run_id, str(c), int(n)) for c, n in by_child.items()])
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as e:
            raise _explain(path, e) from None
    return run_id


def runs(db_path, source: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """Recorded runs, oldest first (the last ``limit`` of them), optionally only those of one
    source file name. ``by_rule`` holds {code: findings}, most frequent first."""
    path = Path(db_path)
    with closing(_connect(path, write=False)) as conn:
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
                return pd.DataFrame(columns=RUN_COLUMNS)
            where, args = ("WHERE source = ?", [Path(source).name]) if source else ("", [])
            if limit:
                args.append(int(limit))
            chosen = f"SELECT id FROM runs {where} ORDER BY at DESC, id DESC{' LIMIT ?' if limit else ''}"
            frame = pd.read_sql_query(
                "SELECT id, at, year, source, findings, children, children_with_errors, rules_run, rules_skipped,"
                f" rules_failed FROM runs WHERE id IN ({chosen}) ORDER BY at, id", conn, params=args)
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
    return frame[RUN_COLUMNS]


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
        first, last = history.iloc[0], history.iloc[-1]
        change = int(last["findings"]) - int(first["findings"])
        lines.append(f"\nSince {first['at']:%d/%m/%Y %H:%M}: {change:+d} findings, "
                     f"{int(last['children_with_errors']) - int(first['children_with_errors']):+d} children with errors.")
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
    heads = ["Run at", "Year", "Source", "Findings", "Children with errors", "Errors per child", "Top rules"]
    for j, h in enumerate(heads, start=1):
        ws.cell(row=start + 1, column=j, value=h).font = Font(bold=True)
    for i, r in enumerate(history.iloc[::-1].itertuples(index=False), start=start + 2):
        values = (r.at.to_pydatetime(), r.year, r.source, int(r.findings), int(r.children_with_errors),
                  float(r.errors_per_child), top_rules(r.by_rule))
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
