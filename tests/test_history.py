"""Run history: runs recorded and read back in order, the trend, the sheet and chart, damaged or busy files."""
import argparse
import sqlite3
import threading
import zipfile
from datetime import datetime, timedelta

import numpy as np
import openpyxl
import pandas as pd
import pytest

from xl_validator.read import RawTable
from xl_validator.export.commands import add_commands
from xl_validator.report import COLUMNS, Report, history
from xl_validator.report.history import HistoryError, record, runs, trend_text, write_history_sheet

T0 = datetime(2025, 6, 2, 9, 30)


def report(bad_sex: int, bad_ethnic: int):
    """A report on 6 children: rule 101 flags the first ``bad_sex``, 103 the first ``bad_ethnic``
    (built directly, so these tests do not depend on the rules)."""
    children = [f"{i:03d}" for i in range(6)]
    hits = [("101", c) for c in children[:bad_sex]] + [("103", c) for c in children[:bad_ethnic]]
    findings = pd.DataFrame({"code": [h[0] for h in hits], "message": "", "table": "Header",
                             "row": [children.index(h[1]) for h in hits], "child": [h[1] for h in hits],
                             "fields": [()] * len(hits), "cell": ""}, columns=COLUMNS)
    header = RawTable("Header", pd.DataFrame({"CHILD": children}), "test", np.arange(2, 8))
    return Report(findings=findings, skipped={"392a": "postcodes not supplied"}, failed={}, ran=["101", "103"],
                  year="2025/26", collection_start=pd.Timestamp("2025-04-01"),
                  collection_end=pd.Timestamp("2026-03-31"), rules={}, tables={"Header": header})


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "903_2025-26.xlsx"
    path.write_bytes(b"")  # only its name and folder matter here
    return path


def test_two_runs_recorded_and_read_back_in_order(book, monkeypatch):
    monkeypatch.delenv(history.ENV, raising=False)
    first = record(report(3, 2), book, at=T0)
    second = record(report(1, 0), book, at=T0 + timedelta(hours=2))
    db = book.parent / ".xl_validator_history.sqlite"
    assert db.is_file() and second == first + 1
    got = runs(db)
    assert got["id"].tolist() == [first, second]
    assert got["at"].tolist() == [pd.Timestamp(T0), pd.Timestamp(T0 + timedelta(hours=2))]
    assert got["source"].tolist() == ["903_2025-26.xlsx"] * 2 and got["year"].tolist() == ["2025/26"] * 2
    assert got["findings"].tolist() == [5, 1]
    assert got["children"].tolist() == [6, 6]
    assert got["children_with_errors"].tolist() == [3, 1]
    assert got["errors_per_child"].tolist() == [pytest.approx(1.7), 1.0]
    assert got["by_rule"].tolist() == [{"101": 3, "103": 2}, {"101": 1}]
    assert got["rules_run"].tolist() == [2, 2]
    assert runs(db, limit=1)["id"].tolist() == [second]  # the latest run
    assert runs(db, source="elsewhere/other.xlsx").empty
    with sqlite3.connect(db) as conn:
        per_child = conn.execute("SELECT child, findings FROM child_counts WHERE run_id = ? ORDER BY child",
                                 (first,)).fetchall()
        assert per_child == [("000", 2), ("001", 2), ("002", 1)]
        assert conn.execute("PRAGMA user_version").fetchone()[0] == history.SCHEMA_VERSION


def test_history_file_from_argument_or_environment(book, tmp_path, monkeypatch):
    chosen = tmp_path / "shared" / "runs.sqlite"
    monkeypatch.setenv(history.ENV, str(chosen))
    record(report(1, 1), book)
    assert chosen.is_file() and not (book.parent / history.FILE_NAME).exists()
    other = tmp_path / "mine.sqlite"
    record(report(1, 1), book, db_path=other)
    assert len(runs(other)) == 1 and len(runs(chosen)) == 1
    monkeypatch.delenv(history.ENV)
    with pytest.raises(HistoryError, match="give a history file"):
        history.history_path(None, None)


def test_trend_text_and_history_command_with_chart(book, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(history.ENV, raising=False)
    record(report(4, 4), book, at=T0)
    record(report(2, 1), book, at=T0 + timedelta(days=1))
    text = trend_text(runs(book.parent / history.FILE_NAME))
    lines = text.splitlines()
    assert lines[1].startswith("02/06/2025 09:30  2025/26") and "101 (4), 103 (4)" in lines[1]
    assert "#" * 40 + " 8" in text and "#" * 15 + " 3" in text
    assert "-5 findings, -2 children with errors" in text
    p = argparse.ArgumentParser()
    add_commands(p.add_subparsers())
    chart = tmp_path / "trend.xlsx"
    args = p.parse_args(["history", str(book), "--chart", str(chart)])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "2 runs of 903_2025-26.xlsx" in out and "Findings per run" in out and "Chart written" in out
    with zipfile.ZipFile(chart) as z:
        assert "lineChart>" in z.read("xl/charts/chart1.xml").decode()
    ws = openpyxl.load_workbook(chart)["History"]
    assert [c.value for c in ws["B"]] == ["Findings", 8, 3]


def test_history_sheet_rows_newest_first(book, monkeypatch):
    monkeypatch.delenv(history.ENV, raising=False)
    record(report(2, 0), book, at=T0)
    record(report(0, 1), book, at=T0 + timedelta(minutes=5))
    wb = openpyxl.Workbook()
    wb.active.title = "Summary"
    wb["Summary"]["A1"] = "903 validation summary"
    start = write_history_sheet(wb, runs(book.parent / history.FILE_NAME))
    ws = wb["Summary"]
    assert start == 3 and ws.cell(start, 1).value == "Last runs"
    assert [c.value for c in ws[start + 1]][:5] == ["Run at", "Year", "Source", "Findings", "Children with errors"]
    assert ws.cell(start + 2, 1).value == T0 + timedelta(minutes=5) and ws.cell(start + 2, 4).value == 1
    assert ws.cell(start + 3, 7).value == "101 (2)"


def test_damaged_other_and_newer_files_are_refused_clearly(tmp_path, book):
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(HistoryError, match="damaged.sqlite: the run history file is damaged"):
        record(report(1, 0), book, db_path=damaged)
    with pytest.raises(HistoryError, match="damaged"):
        runs(damaged)
    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("PRAGMA application_id = 42")
    with pytest.raises(HistoryError, match="belongs to another program"):
        record(report(1, 0), book, db_path=foreign)
    newer = tmp_path / "newer.sqlite"
    record(report(1, 0), book, db_path=newer)
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {history.SCHEMA_VERSION + 1}")
    with pytest.raises(HistoryError, match="newer xl_validator"):
        runs(newer)
    (tmp_path / "a_file").write_text("")
    with pytest.raises(HistoryError, match="cannot be written there"):
        record(report(1, 0), book, db_path=tmp_path / "a_file" / "runs.sqlite")
    with pytest.raises(HistoryError, match="no run history yet"):
        runs(tmp_path / "none.sqlite")
    assert not (tmp_path / "none.sqlite").exists()


def test_locked_file_gives_a_clear_message_and_nothing_half_written(tmp_path, book, monkeypatch):
    db = tmp_path / "runs.sqlite"
    record(report(1, 0), book, db_path=db)
    monkeypatch.setattr(history, "TIMEOUT_SECONDS", 0.2)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(HistoryError, match="in use by another run"):
            record(report(1, 0), book, db_path=db)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(runs(db)) == 1


def test_concurrent_runs_all_recorded(tmp_path, book):
    db = tmp_path / "runs.sqlite"
    reports = [report(i % 4, 1) for i in range(4)]
    errors = []

    def work(r):
        try:
            for _ in range(5):
                record(r, book, db_path=db)
        except Exception as e:  # reported below; a thread cannot fail the test itself
            errors.append(e)

    threads = [threading.Thread(target=work, args=(r,)) for r in reports]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    got = runs(db)
    assert len(got) == 20 and got["id"].is_unique
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT COUNT(DISTINCT run_id) FROM rule_counts").fetchone() == (20,)


DEMO = __import__("pathlib").Path(__file__).resolve().parent.parent / "workbook_templates" / "demo"


def test_a_return_saved_under_new_names_keeps_one_trend_that_says_when_inputs_changed(tmp_path, capsys):
    import shutil

    from xl_validator.cli import main

    db = tmp_path / "runs.sqlite"
    october, november = tmp_path / "903_october.xlsx", tmp_path / "903_november.xlsx"
    shutil.copy(DEMO / "903_demo_2025-26.xlsx", october)
    shutil.copy(DEMO / "903_demo_2025-26.xlsx", november)
    common = ["--year", "2025/26", "--la", "E09000027", "--history", str(db), "-q"]
    main(["validate", str(october), "--previous", str(DEMO / "903_demo_2024-25.xlsx"), *common,
          "--out", str(tmp_path / "a.xlsx")])
    main(["validate", str(november), *common, "--out", str(tmp_path / "b.xlsx")])
    got = runs(db, source=november.name)
    assert got["source"].tolist() == ["903_october.xlsx", "903_november.xlsx"]
    assert got["council"].tolist() == ["E09000027"] * 2
    assert got["inputs"].iloc[0]["previous"] and not got["inputs"].iloc[1]["previous"]
    assert len(got["ran"].iloc[0] - got["ran"].iloc[1]) == 34
    text = trend_text(got)
    before, after = got.iloc[0], got.iloc[1]
    both = got["ran"].iloc[1]
    same = sum(n for c, n in after["by_rule"].items() if c in both) - sum(
        n for c, n in before["by_rule"].items() if c in both)
    assert f"{same:+d} findings on the {len(both)} rules run both times" in text
    assert "not like for like: last year's return not given; 34 rules no longer run" in text
    summary = [r for r in openpyxl.load_workbook(tmp_path / "b.xlsx")["Summary"].iter_rows(values_only=True)]
    assert any(r[2] == "903_october.xlsx" for r in summary)  # the run under the earlier name is in the trend


def test_a_version_1_history_is_upgraded_and_still_read(tmp_path, book):
    db = tmp_path / "old.sqlite"
    with sqlite3.connect(db) as conn:
        conn.executescript(history._SCHEMA)
        conn.execute("INSERT INTO runs (at, year, source, source_path, findings, children, children_with_errors,"
                     " rules_run, rules_skipped, rules_failed) VALUES ('2025-06-01T09:00:00', '2025/26',"
                     f" '{book.name}', '', 7, 6, 3, 2, 1, 0)")
        conn.execute(f"PRAGMA application_id = {history.APPLICATION_ID}")
        conn.execute("PRAGMA user_version = 1")
    assert runs(db, source=book.name)["findings"].tolist() == [7]  # read as it is
    record(report(1, 0), book, db_path=db)
    got = runs(db, source=book.name)
    assert got["findings"].tolist() == [7, 1] and got["inputs"].iloc[0] is None
    assert "-6 findings" in trend_text(got)
