"""Findings of rules that compare with last year show last year's values: note, Errors, chase list."""
import csv

import openpyxl
import pytest

from rulecheck import frame
from xl_validator.cli import main
from xl_validator.report.last_year import last_year_tables
from xl_validator.rules import registry
from xl_validator.sample.workbook import write_return_workbook


def child(c, ethnic, upn):
    return {"CHILD": c, "SEX": "1", "DOB": "01/01/2012", "ETHNIC": ethnic, "UPN": upn}


@pytest.fixture
def returns(tmp_path):
    this = write_return_workbook({"Header": frame("Header", [child("1", "WBRI", "A123456789012"),
                                                             child("2", "WIRI", "A123456789013"),
                                                             child("3", "WBRI", "A123456789014")])},
                                 tmp_path / "903_2023-24.xlsx", "2023/24")
    last = write_return_workbook({"Header": frame("Header", [child("1", "WBRI", "A123456789012"),
                                                             child("2", "ABAN", "A123456789013")])},
                                 tmp_path / "903_2022-23.xlsx", "2022/23")
    return this, last


def test_the_note_the_errors_sheet_and_the_chase_list_show_last_years_value(returns, tmp_path):
    this, last = returns
    out = tmp_path / "checked.xlsx"
    assert main(["validate", str(this), "--year", "2023/24", "--previous", str(last), "--rules", "204",
                 "--out", str(out), "-q", "--no-history"]) == 1
    wb = openpyxl.load_workbook(out)
    head = {c.value: c.column_letter for c in wb["Header"][1]}
    note = wb["Header"][f"{head['ETHNIC']}3"].comment.text
    assert note.startswith("204: ") and note.endswith("[last year: ETHNIC: ABAN]")
    errors = list(wb["Errors"].iter_rows(values_only=True))
    assert errors[0][9] == "Last year" and errors[1][3] == "2" and errors[1][9] == "ETHNIC: ABAN"

    main(["chase", str(this), "--year", "2023/24", "--previous", str(last), "--out", str(tmp_path / "chase")])
    rows = [r for f in (tmp_path / "chase").glob("chase_*.csv")
            for r in csv.DictReader(f.read_text(encoding="utf-8-sig").splitlines())]
    row = next(r for r in rows if r["Code"] == "204")
    assert row["Current values"] == "ETHNIC=WIRI" and row["Last year's values"] == "ETHNIC: ABAN"
    assert {r["Last year's values"] for r in rows if r["Code"] == "103"} <= {""}  # no comparison, nothing shown


def test_every_rule_reading_last_year_is_covered_and_no_other():
    rules = registry("2025/26")
    reading = {c for c, r in rules.items() if last_year_tables(r)}
    assert {"204", "202", "203", "208", "452", "503G"} <= reading
    assert not reading & {"101", "103", "169"}
