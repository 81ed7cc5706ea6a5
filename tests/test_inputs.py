"""Inputs named and checked, the year from the return's dates, the format from --out: through the CLI."""
import shutil
from pathlib import Path

import openpyxl
import pytest

from rulecheck import frame
from xl_validator.cli import main
from xl_validator.sample.workbook import write_return_workbook

DEMO = Path(__file__).resolve().parent.parent / "workbook_templates" / "demo"
THIS, LAST, PROVIDERS = DEMO / "903_demo_2025-26.xlsx", DEMO / "903_demo_2024-25.xlsx", DEMO / "ofsted_providers_demo.xlsx"


def validate(*args, out):
    return main(["validate", *map(str, args), "--out", str(out), "--no-history"])


def test_a_missing_provider_list_is_a_clear_message_and_exit_2(tmp_path, capsys):
    assert validate(THIS, "--providers", tmp_path / "missing.xlsx", "--rules", "1008", out=tmp_path / "o.xlsx") == 2
    err = capsys.readouterr().err
    assert "missing.xlsx: no such file (given as an Ofsted provider list)" in err and "Traceback" not in err


def test_last_years_return_given_as_a_provider_list_is_refused(tmp_path, capsys):
    assert validate(THIS, "--providers", LAST, "--rules", "1008", out=tmp_path / "o.xlsx") == 2
    assert "has a CHILD column: this looks like a 903 return" in capsys.readouterr().err
    assert not (tmp_path / "o.xlsx").exists()


def test_this_years_return_given_as_last_years_is_refused(tmp_path, capsys):
    assert validate(THIS, "--previous", THIS, "--rules", "204", out=tmp_path / "o.xlsx") == 2
    assert "same file as the return being validated" in capsys.readouterr().err
    copy = tmp_path / "copy.xlsx"
    shutil.copy(THIS, copy)
    assert validate(THIS, "--previous", copy, "--rules", "204", out=tmp_path / "o.xlsx") == 2
    err = capsys.readouterr().err
    assert "in 2025/26: is it this year's return? Give the 2024/25 return instead." in err


def test_every_run_names_its_inputs_and_groups_what_was_skipped(tmp_path, capsys):
    out = tmp_path / "checked.xlsx"
    assert validate(THIS, "--la", "E09000027", "--providers", PROVIDERS, out=out) == 1
    printed = capsys.readouterr().out
    assert "Council code:          E09000027 (Richmond upon Thames)" in printed
    assert "Last year's return:    not given" in printed
    assert "ofsted_providers_demo.xlsx" in printed
    assert "skipped: 34 rules need last year's return: --previous FILE, or Settings > Last year's return" in printed
    rows = [r for r in openpyxl.load_workbook(out)["Summary"].iter_rows(values_only=True)]
    pairs = {r[0]: r[1] for r in rows if r[0]}
    assert pairs["Council code"] == "E09000027 (Richmond upon Thames)"
    assert pairs["Last year's return"] == "not given" and pairs["Return"] == str(THIS)
    assert pairs["Skipped"].startswith("34 rules need last year's return")


def test_without_year_the_returns_dates_choose_it_and_a_given_year_keeps_the_note(tmp_path, capsys):
    header = frame("Header", [{"CHILD": "1", "SEX": "1", "DOB": "01/01/2012", "ETHNIC": "WBRI", "UPN": "UN1"}])
    reviews = frame("Reviews", [{"CHILD": "1", "DOB": "01/01/2012", "REVIEW": "01/06/2022", "REVIEW_CODE": "PN1"}])
    book = write_return_workbook({"Header": header, "Reviews": reviews}, tmp_path / "903.xlsx", "2022/23")
    validate(book, "--rules", "101", out=tmp_path / "a.xlsx")
    printed = capsys.readouterr().out
    assert printed.startswith("2022/23:") and "2022/23 (from the return's dates: latest 01/06/2022)" in printed
    main(["validate", str(book), "--year", "2024/25", "--rules", "101", "--out", str(tmp_path / "b.xlsx"),
          "--no-history"])
    printed = capsys.readouterr().out
    assert printed.startswith("2024/25:") and "fall in collection year 2022/23" in printed


def test_the_format_follows_out_and_an_empty_skipped_list_says_so(tmp_path):
    header = frame("Header", [{"CHILD": "1", "SEX": "7", "DOB": "01/01/2012", "ETHNIC": "WBRI", "UPN": "UN1"}])
    book = write_return_workbook({"Header": header}, tmp_path / "903.xlsx", "2022/23")
    validate(book, "--year", "2022/23", "--rules", "101", out=tmp_path / "findings.csv")
    assert (tmp_path / "findings.csv").read_text().startswith("code,message,table,row,child,fields,cell,source,severity\n101,")
    validate(book, "--year", "2022/23", "--rules", "101", out=tmp_path / "findings.json")
    assert (tmp_path / "findings.json").read_text().startswith("{")
    validate(book, "--year", "2022/23", "--rules", "101", out=tmp_path / "checked.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "checked.xlsx")
    rows = [r[0] for r in wb["Summary"].iter_rows(values_only=True)]
    assert rows[rows.index("Rules not run") + 1] == "None: every rule in force ran."
    chart = wb["Summary"]._charts[0].anchor._from
    assert chart.col == 0 and chart.row + 1 < rows.index("Findings by rule")  # above the tables, not beside them
    assert wb["Errors"]["E2"].alignment.horizontal == "center"  # the row number stands apart from the column
