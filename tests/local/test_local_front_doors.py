"""Local findings in every front door, marked as local with their severity, and never in what
``export`` writes: the annotated copy, CSV/JSON, chase lists, history, the rules listing."""
import json

import openpyxl
import pytest
from localcheck import HEADINGS, frame, rule_row

import xl_validator as xv
from xl_validator.cli import main
from xl_validator.export import export_return
from xl_validator.report import history
from xl_validator.report.chase import chase_list
from xl_validator.sample.local_rules import write_local_rules
from xl_validator.sample.workbook import write_return_workbook

YEAR = "2025/26"
RULES = [rule_row("L001", "Header", "UPN", "required", severity="warning", message="UPN missing: we need one"),
         rule_row("L002", "SWEpisodes", "SW_ID", "one of", "=Social workers!SW_ID", "SW_DEC is blank",
                  message="Social worker not on our list"),
         rule_row("L003", "Header", "NOPE", "required")]


def add_sheets(path, sheets):
    wb = openpyxl.load_workbook(path)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    wb.save(path)
    return path


@pytest.fixture
def tables():
    return {"Header": frame("Header", [{"CHILD": "1", "SEX": "M", "DOB": "01/01/2012", "ETHNIC": "WBRI", "UPN": ""},
                                       {"CHILD": "2", "SEX": "F", "DOB": "01/01/2012", "ETHNIC": "WBRI",
                                        "UPN": "A123456789012"}]),
            "SWEpisodes": frame("SWEpisodes", [{"CHILD": "1", "SW_ID": "SW1", "SW_DECOM": "01/04/2025"},
                                               {"CHILD": "2", "SW_ID": "SW7", "SW_DECOM": "01/04/2025"}])}


@pytest.fixture
def book(tmp_path, tables):
    path = write_return_workbook(tables, tmp_path / "903.xlsx", YEAR)
    return add_sheets(path, {"Local rules": [HEADINGS, *RULES], "Social workers": [["SW_ID"], ["SW1"], ["SW2"]]})


def test_the_returns_own_local_rules_sheet_runs_and_marks_cells(book, tmp_path):
    out = tmp_path / "checked.xlsx"
    assert main(["validate", str(book), "--year", YEAR, "--rules", "L001,L002,L003", "--out", str(out), "-q",
                 "--no-history"]) == 1  # L002 is an error
    wb = openpyxl.load_workbook(out)
    upn = wb["Header"]["E2"]
    assert upn.value in (None, "") and upn.comment.text == "L001 (local, warning): UPN missing: we need one"
    assert wb["SWEpisodes"]["C3"].comment.text == "L002 (local, error): Social worker not on our list"
    errors = list(wb["Errors"].iter_rows(values_only=True))
    assert {(r[0], r[7], r[8]) for r in errors[1:]} == {("L001", "local", "warning"), ("L002", "local", "error")}
    assert wb["Errors"].auto_filter.ref == "A1:J3"
    summary = [r for r in wb["Summary"].iter_rows(values_only=True)]
    assert ("Local", 2, 1.0, 2) in [tuple(r[:4]) for r in summary]
    skipped = [r for r in summary if r[0] == "L003"]
    assert skipped and skipped[0][1] == "skipped" and "row 4: Header has no column 'NOPE'" in skipped[0][2]
    assert "Local rules" in wb.sheetnames  # the copy keeps the council's sheet


def test_warnings_alone_exit_0_and_no_local_leaves_them_out(book, tmp_path):
    out = tmp_path / "f.json"
    assert main(["validate", str(book), "--year", YEAR, "--rules", "L001", "--format", "json", "--out", str(out),
                 "-q", "--no-history"]) == 0
    found = json.loads(out.read_text())["findings"]
    assert [(f["code"], f["source"], f["severity"], f["row"]) for f in found] == [("L001", "local", "warning", 0)]
    assert main(["validate", str(book), "--year", YEAR, "--rules", "L001", "--no-local", "-q", "--no-history",
                 "--out", str(out)]) == 2  # no local rules: L001 is unknown
    assert main(["validate", str(book), "--year", YEAR, "--no-local", "--format", "csv", "--out",
                 str(tmp_path / "f.csv"), "-q", "--no-history"]) in (0, 1)
    assert ",local," not in (tmp_path / "f.csv").read_text()


def test_python_report_can_leave_local_findings_out(book):
    report = xv.validate(book, year=YEAR, postcodes=None)
    assert {"L001", "L002"} <= set(report.findings["code"]) and "L003" in report.skipped
    dfe = report.without_local()
    assert set(dfe.findings["source"]) == {"DfE"} and not any(c.startswith("L") for c in dfe.skipped)
    assert len(dfe.findings) == (report.findings["source"] == "DfE").sum()
    assert not any(c.startswith("L") for c in dfe.ran) and "L001" not in dfe.rules


def test_a_separate_rules_workbook_and_a_python_file_together(tmp_path, tables):
    plain = write_return_workbook(tables, tmp_path / "plain.xlsx", YEAR)
    rules = write_local_rules(tmp_path / "ours.xlsx", rules=RULES[:2], social_workers=["SW1", "SW7"])
    checks = tmp_path / "checks.py"
    checks.write_text("import xl_validator as xv\n\n\n@xv.local_rule('L050', message='child 2', tables='Header')\n"
                      "def two(d):\n    return {'Header': d['Header']['CHILD'] == '2'}\n")
    report = xv.validate(plain, year=YEAR, local_rules=[rules, str(checks)], rules=["L001", "L002", "L050"],
                         postcodes=None)
    assert sorted(zip(report.findings["code"], report.findings["row"])) == [("L001", 0), ("L050", 1)]
    none = xv.validate(plain, year=YEAR, rules=["101"], postcodes=None)
    assert set(none.rules) == {"101"}


def test_rules_command_lists_local_rules_and_their_problems(book, capsys):
    assert main(["rules", "--year", YEAR, "--local", str(book)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].split("\t")[:5] == ["L001", "UPN missing: we need one", "Header", "Header: UPN", "warning"]
    assert out[2].startswith("problem: L003: 903.xlsx, sheet 'Local rules', row 4: Header has no column 'NOPE'")


def test_chase_lists_and_history_carry_local_findings(book, tmp_path):
    report = xv.validate(book, year=YEAR, rules=["L001", "L002"], postcodes=None)
    items = chase_list(report)
    assert sorted(items["code"]) == ["L001 (local, warning)", "L002 (local, error)"]
    assert items.set_index("child").loc["2", "worker"] == "SW7"
    assert "council's own checks" in items["what_to_check"].iloc[0]
    db = tmp_path / "h.sqlite"
    history.record(report, book, db)
    assert history.runs(db).iloc[0]["by_rule"] == {"L001": 1, "L002": 1}
    assert main(["chase", str(book), "--year", YEAR, "--out", str(tmp_path / "chase")]) == 0
    text = (tmp_path / "chase" / "chase_SW7.csv").read_text(encoding="utf-8-sig")
    assert "L002 (local, error)" in text


def test_export_is_the_same_with_or_without_local_rules(book, tmp_path, tables):
    plain = write_return_workbook(tables, tmp_path / "plain" / "903.xlsx", YEAR)
    export_return(book, tmp_path / "a", "csv", year=YEAR)
    export_return(plain, tmp_path / "b", "csv", year=YEAR)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_an_error_profile_leaves_local_rules_out(book):
    from xl_validator.report.profile import error_profile

    report = xv.validate(book, year=YEAR, rules=["101", "L001", "L002", "L003"], postcodes=None)
    profile = error_profile(report, "E09000027")
    assert profile["rules_run"] == ["101"] and profile["rules_skipped"] == []
    assert not any(code.startswith("L") for code in profile["by_rule"]) and "Local" not in profile["by_group"]
