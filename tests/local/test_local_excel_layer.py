"""Local rules in the Excel layer, driven through xlwings' remote (Office.js) engine: the open
workbook's own Local rules sheet, rule workbooks named in its settings, and never code named there."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "excel"))
from excelsim import Workbook, header_rows, sheet  # noqa: E402
from localcheck import HEADINGS, rule_row  # noqa: E402

import xl_validator.excel as xe  # noqa: E402
from xl_validator.excel.layer import FILL  # noqa: E402
from xl_validator.sample.local_rules import write_local_rules  # noqa: E402

YEAR = "2025/26"
HEADER = [{"CHILD": "1", "SEX": "M", "DOB": "01/01/2012", "ETHNIC": "WBRI", "UPN": ""},
          {"CHILD": "2", "SEX": "F", "DOB": "01/01/2012", "ETHNIC": "WBRI", "UPN": "A123456789012"},
          {"CHILD": "3", "SEX": "F", "DOB": "01/01/2012", "ETHNIC": "ZZZZ", "UPN": "UN2"}]
RULES = [HEADINGS,
         rule_row("L001", "Header", "UPN", "required", severity="warning", message="UPN missing"),
         rule_row("L002", "Header", "ETHNIC", "one of", "=Codes we use!Ethnic", message="Ethnicity not on our list"),
         rule_row("L003", "Header", "UPN", "pattern", "[A-Z")]


def make(rules=RULES, names=None):
    return Workbook([sheet("Header", header_rows(HEADER)), sheet("Local rules", rules),
                     sheet("Codes we use", [["Ethnic"], ["WBRI"], ["WOTH"]])], names=names)


def run(wb, **kw):
    book = wb.book()
    report = xe.validate_book(book, year=YEAR, **kw)
    wb.apply(book.json()["actions"])
    return report


def settings(wb, **kw):
    book = wb.book()
    xe.write_settings(book, **kw)
    wb.apply(book.json()["actions"])


def test_the_open_workbooks_local_rules_sheet_paints_lists_and_summarises():
    wb = make()
    report = run(wb, rules=["101", "L001", "L002", "L003"])
    # UPN is column E, ETHNIC column D: child 1 in row 2, child 3 in row 4.
    assert {k for k, v in wb.fills.items() if v == FILL and k[0] == "Header"} == {("Header", 2, 5), ("Header", 4, 4)}
    errors = wb.values("Errors")
    assert errors[0][7:9] == ["Source", "Severity"]
    assert sorted((r[0], r[7], r[8]) for r in errors[1:]) == [("L001", "local", "warning"), ("L002", "local", "error")]
    summary = wb.values("Summary")
    assert ["Local", 2, 1.0, 2] in [r[:4] for r in summary]
    skipped = next(r for r in summary if r[0] == "L003")
    assert skipped[1] == "skipped" and "903.xlsx, sheet 'Local rules', row 4: the pattern '[A-Z'" in skipped[2]
    assert not any("Local rules" in str(i) for i in report.issues)  # not read (or reported) as a 903 table
    assert "Local rules" in wb.sheet_names() and "Summary" in wb.sheet_names()


def test_local_rules_can_be_turned_off_and_clear_removes_their_marks():
    wb = make()
    report = run(wb, rules=["101"], local_rules=False)
    assert "L001" not in report.rules and not wb.fills.get(("Header", 2, 5))
    run(wb, rules=["101", "L001"])
    assert wb.fills[("Header", 2, 5)] == FILL
    book = wb.book()
    xe.clear_book(book)
    wb.apply(book.json()["actions"])
    assert ("Header", 2, 5) not in wb.fills and wb.sheet_names() == ["Header", "Local rules", "Codes we use"]


def test_settings_may_name_rule_workbooks_but_never_python(tmp_path):
    ours = write_local_rules(tmp_path / "ours.xlsx", rules=[rule_row("L010", "Header", "UPN", "pattern", "UN\\d")],
                             social_workers=[])
    code = tmp_path / "checks.py"
    code.write_text("raise SystemExit('this must never run')\n")
    wb = make(rules=[HEADINGS])
    settings(wb, local_rules=[str(ours), str(code), str(tmp_path / "gone.xlsx")])
    report = run(wb, rules=["L010"])
    assert report.findings[["code", "row"]].values.tolist() == [["L010", 1]]
    notes = [r[0] for r in wb.values("Summary") if r and isinstance(r[0], str)]
    assert any(n.startswith(f"Local rules '{code}' (from the workbook's settings) were not run") for n in notes)
    assert any("gone.xlsx' (from the settings) was not found on this computer" in n for n in notes)


def test_python_rules_named_by_the_caller_run(tmp_path):
    code = tmp_path / "checks.py"
    code.write_text("import xl_validator as xv\n\n\n@xv.local_rule('L101', message='third child', tables='Header',"
                    " fields='CHILD', severity='info')\ndef third(d):\n    return {'Header': [2]}\n")
    wb = make(rules=[HEADINGS])
    report = run(wb, rules=["L101"], local_rules=[str(code)])
    assert report.findings[["code", "severity"]].values.tolist() == [["L101", "info"]]
    assert wb.fills[("Header", 4, 1)] == FILL


def test_python_rules_from_this_computers_own_setting(tmp_path, monkeypatch):
    code = tmp_path / "checks.py"
    code.write_text("import xl_validator as xv\n\n\n@xv.local_rule('L102', message='first child', tables='Header')\n"
                    "def first(d):\n    return {'Header': [0]}\n")
    monkeypatch.setenv("XL_VALIDATOR_LOCAL_RULES", str(code))
    wb = make(rules=[HEADINGS])
    assert run(wb, rules=["L102"]).findings["code"].tolist() == ["L102"]
    assert "L102" not in run(make(rules=[HEADINGS]), rules=["101"], local_rules=[]).rules
