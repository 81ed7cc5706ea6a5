"""Outputs never land on inputs; failed or killed writes leave nothing behind; history only
records runs whose output was written."""
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hostile_checks import YEAR, digests, leftovers, run, sample_tables, write_csvs, write_xlsx

from xl_validator.outputs import remove_stale
from xl_validator.report import history
from xl_validator.sample import sample_providers


@pytest.fixture
def inputs(tmp_path, monkeypatch):
    monkeypatch.delenv(history.ENV, raising=False)
    this, last = sample_tables()
    folder = tmp_path / "in"
    folder.mkdir()
    book = write_xlsx(this, folder / "this.xlsx")
    previous = write_xlsx(last, folder / "last.xlsx")
    providers = folder / "ofsted.xlsx"
    sample_providers().to_excel(providers, index=False)
    csvs = write_csvs(this, tmp_path / "csvdir")
    return {"book": book, "previous": previous, "providers": providers, "csvs": csvs, "folder": folder}


def test_no_writer_writes_over_any_input(inputs, tmp_path, capsys):
    book, previous, providers, csvs = inputs["book"], inputs["previous"], inputs["providers"], inputs["csvs"]
    (book.parent / history.FILE_NAME).touch()  # so history has a file to read
    before = digests(inputs["folder"], csvs)
    common = ["--year", YEAR, "--previous", previous, "--providers", providers]
    cases = [
        ["validate", book, *common, "--out", previous],
        ["validate", book, *common, "--out", providers],
        ["validate", csvs, "--year", YEAR, "--format", "csv", "--out", csvs / "header.csv"],
        ["validate", csvs, "--year", YEAR, "--format", "csv", "--out", csvs / "findings.csv"],
        ["fix", book, *common, "--out", previous],
        ["fix", csvs, "--year", YEAR, "--out", csvs / "fixed.xlsx"],
        ["chase", csvs, "--year", YEAR, "--out", csvs],
        ["chase", csvs, "--year", YEAR, "--out", csvs / "lists"],
        ["history", book, "--chart", book],
    ]
    for args in cases:
        code, _, err = run(capsys, *args)
        assert code == 2, args
        assert str(args[-1]) in err and ("must not be the input file" in err or "inside the input folder" in err), err
    link = tmp_path / "alias.xlsx"
    link.symlink_to(previous)
    code, _, err = run(capsys, "validate", book, *common, "--out", link)
    assert code == 2 and "must not be the input file" in err
    assert digests(inputs["folder"], csvs) == before
    assert not leftovers(inputs["folder"], csvs, tmp_path)


def test_export_replaces_only_what_it_wrote(inputs, tmp_path, capsys):
    out = tmp_path / "submission"
    out.mkdir()
    theirs = out / "header.csv"
    theirs.write_text("someone else's file\n")
    code, _, err = run(capsys, "export", inputs["book"], "--to", out)
    assert code == 2 and "header.csv already exists and was not written by an earlier export" in err
    assert theirs.read_text() == "someone else's file\n"
    assert run(capsys, "export", inputs["book"], "--to", out, "--overwrite")[0] == 0
    written = theirs.read_bytes()
    assert run(capsys, "export", inputs["book"], "--to", out)[0] == 0  # its own files: replaced freely
    assert theirs.read_bytes() == written
    theirs.write_text("edited since\n")
    assert run(capsys, "export", inputs["book"], "--to", out)[0] == 2
    code, _, err = run(capsys, "export", inputs["csvs"], "--to", inputs["csvs"] / "sub")
    assert code == 2 and "inside the folder being exported" in err


def test_output_that_is_a_folder_or_unwritable_is_a_clear_error_in_every_writer(inputs, tmp_path, capsys):
    book = inputs["book"]
    folder = tmp_path / "a_folder.xlsx"
    folder.mkdir()
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    for out in (folder, blocker / "out.xlsx"):
        for args in (["validate", book, "--year", YEAR, "--no-history", "--out", out],
                     ["validate", book, "--year", YEAR, "--no-history", "--format", "csv", "--out", out],
                     ["fix", book, "--year", YEAR, "--out", out],
                     ["history", book, "--chart", out]):
            if args[0] == "history":
                run(capsys, "validate", book, "--year", YEAR, "--out", tmp_path / "ok.xlsx")
            code, _, err = run(capsys, *args)
            assert code == 2, (args, err)
            assert str(out) in err and ("is a folder" in err or "cannot write the output" in err), err
    code, _, err = run(capsys, "chase", book, "--year", YEAR, "--out", blocker)
    assert code == 2 and "must be a folder" in err
    code, _, err = run(capsys, "export", book, "--to", blocker)
    assert code == 2 and "is a file" in err
    assert not leftovers(tmp_path)


def test_history_records_only_runs_whose_output_was_written(inputs, tmp_path, capsys):
    book = inputs["book"]
    db = tmp_path / "runs.sqlite"
    assert run(capsys, "validate", book, "--year", YEAR, "--history", db, "--out", tmp_path / "ok.xlsx")[0] == 1
    bad = tmp_path / "taken"
    bad.mkdir()
    assert run(capsys, "validate", book, "--year", YEAR, "--history", db, "--out", bad)[0] == 2
    assert len(history.runs(db)) == 1


def test_sigterm_while_writing_leaves_no_partial_or_temporary_file(tmp_path):
    """A run stopped by SIGTERM mid-write removes its partial output and openpyxl's sheet files."""
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from openpyxl.worksheet._writer import create_temporary_file
        from xl_validator.outputs import _atomic, stop_on_sigterm
        stop_on_sigterm()
        def slow(tmp):
            Path(tmp).write_bytes(b"partial")
            print(create_temporary_file(), flush=True)  # where openpyxl puts a sheet while saving
            time.sleep(60)
        try:
            _atomic(Path({str(tmp_path / 'out.xlsx')!r}), slow)
        except KeyboardInterrupt:
            sys.exit(130)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    sheet_file = Path(proc.stdout.readline().strip())
    assert sheet_file.parent.parent == tmp_path and sheet_file.exists()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 130
    assert not sheet_file.exists() and not (tmp_path / "out.xlsx").exists()
    assert list(tmp_path.iterdir()) == []


def test_scratch_left_by_a_killed_run_is_removed_by_the_next(inputs, tmp_path, capsys):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".xl_validator-{dead.pid}-abc.tmp"
    stale.mkdir()
    (stale / "partial.xlsx").write_bytes(b"CHILD,DOB")
    old = tmp_path / f".xl_validator-{os.getpid()}-old.tmp"
    old.mkdir()
    os.utime(old, (time.time() - 3 * 86400,) * 2)
    assert run(capsys, "validate", inputs["book"], "--year", YEAR, "--out", tmp_path / "ok.xlsx")[0] == 1
    assert not stale.exists() and not old.exists()
    assert remove_stale(tmp_path) == []
