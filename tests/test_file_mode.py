"""File mode: the annotated copy, the findings files, exit codes; the input is never changed."""
import hashlib
import json

import openpyxl
import pytest

from rulecheck import frame
from xl_validator.cli import main
from xl_validator.sample.workbook import write_return_workbook


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def book(tmp_path):
    header = frame("Header", [
        {"CHILD": "1", "SEX": "1", "DOB": "01/01/2012", "ETHNIC": "WBRI", "UPN": "UN1"},
        {"CHILD": "2", "SEX": "7", "DOB": "2012-01-01", "ETHNIC": "XXXX", "UPN": "UN1"},
    ])
    return write_return_workbook({"Header": header}, tmp_path / "903.xlsx", "2022/23")


def test_annotated_copy_marks_cells_and_lists_findings(book, tmp_path):
    before = digest(book)
    out = tmp_path / "checked.xlsx"
    assert main(["validate", str(book), "--year", "2022/23", "--rules", "101,102,103", "--out", str(out), "-q"]) == 1
    assert digest(book) == before
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:2] == ["Summary", "Errors"] and wb["Rules"].sheet_state == "hidden"
    header = wb["Header"]
    for addr, code in (("B3", "101"), ("C3", "102"), ("D3", "103")):
        assert header[addr].fill.start_color.rgb.endswith("FFC7CE")
        assert header[addr].comment.text.startswith(code + ": ")
    assert header["B2"].comment is None and header["B2"].fill.fill_type is None
    errors = list(wb["Errors"].iter_rows(values_only=True))
    assert errors[0] == ("Code", "Message", "Table", "Child", "Row", "Column", "Go to cell", "Source", "Severity", "Last year")
    assert sorted(r[0] for r in errors[1:]) == ["101", "102", "103"]
    links = {c.value: c.hyperlink.location or c.hyperlink.target for c in wb["Errors"]["G"][1:]}
    assert "Header!B3" in links
    assert wb["Errors"].freeze_panes == "A2" and wb["Errors"].auto_filter.ref == "A1:J4"
    summary = [r for r in wb["Summary"].iter_rows(values_only=True)]
    assert ("Findings", 3) in [r[:2] for r in summary]


def test_rerun_on_an_annotated_copy_replaces_the_old_results(book, tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    main(["validate", str(book), "--year", "2022/23", "--rules", "101", "--out", str(first), "-q"])
    main(["validate", str(first), "--year", "2022/23", "--rules", "101", "--out", str(second), "-q"])
    wb = openpyxl.load_workbook(second)
    assert wb.sheetnames.count("Errors") == 1 and wb["Errors"].max_row == 2


def test_csv_folder_becomes_a_workbook_with_a_sheet_per_table(tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "header.csv").write_text("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n007,9,01/01/2012,WBRI,UN1,,\n")
    out = tmp_path / "out.xlsx"
    assert main(["validate", str(folder), "--year", "2022/23", "--rules", "101", "--out", str(out), "-q"]) == 1
    ws = openpyxl.load_workbook(out)["Header"]
    assert ws["A2"].value == "007" and ws["B2"].comment.text.startswith("101")


def test_findings_as_csv_and_json(book, tmp_path):
    assert main(["validate", str(book), "--year", "2022/23", "--rules", "101", "--format", "csv",
                 "--out", str(tmp_path / "f.csv"), "-q"]) == 1
    lines = (tmp_path / "f.csv").read_text().splitlines()
    assert lines[0] == "code,message,table,row,child,fields,cell,source,severity" and lines[1].startswith("101,")
    main(["validate", str(book), "--year", "2022/23", "--rules", "101", "--format", "json",
          "--out", str(tmp_path / "f.json"), "-q"])
    data = json.loads((tmp_path / "f.json").read_text())
    assert data["findings"][0]["cell"] == "Header!B3"


def test_exit_codes_and_refusals(book, tmp_path, capsys):
    assert main(["validate", str(book), "--year", "2022/23", "--rules", "168", "--out",
                 str(tmp_path / "ok.xlsx"), "-q"]) == 0
    assert main(["validate", str(book), "--year", "2022/23", "--out", str(book), "-q"]) == 2
    assert "must not be the input" in capsys.readouterr().err
    assert main(["validate", str(tmp_path / "missing.xlsx"), "-q"]) == 2
    assert main(["validate", str(book), "--year", "1999/00", "-q"]) == 2
    assert "not supported" in capsys.readouterr().err


def test_rules_catalogue_and_diff(capsys):
    assert main(["rules", "--year", "2022/23"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].startswith("1000\t")
    assert main(["rules", "--diff", "2024/25", "2025/26"]) == 0
    diff = capsys.readouterr().out
    assert "+ 233" in diff and "- SW01aSTG1" in diff and "~ 146" in diff


def test_addin_build_is_a_cli_command(tmp_path):
    out = tmp_path / "xl_validator.xlam"
    assert main(["addin", "build", str(out)]) == 0
    assert out.stat().st_size > 10_000


def test_demo_works_outside_a_source_checkout(tmp_path, monkeypatch):
    import xl_validator.cli as cli

    monkeypatch.setattr(cli, "DEMO_DIR", tmp_path / "not-here")
    out = tmp_path / "out" / "demo_checked.xlsx"
    assert main(["demo", "--out", str(out), "-q"]) == 0
    assert (tmp_path / "out" / "demo_input" / "903_demo_2025-26.xlsx").exists()
    assert "Errors" in openpyxl.load_workbook(out, read_only=True).sheetnames


def test_an_analysts_own_comment_is_kept_beside_the_findings(book, tmp_path):
    from openpyxl.comments import Comment

    wb = openpyxl.load_workbook(book)
    wb["Header"]["B3"].comment = Comment("asked SW on Monday", "Sam")
    noted = tmp_path / "noted.xlsx"
    wb.save(noted)
    out = tmp_path / "out.xlsx"
    main(["validate", str(noted), "--year", "2022/23", "--rules", "101", "--out", str(out), "-q"])
    text = openpyxl.load_workbook(out)["Header"]["B3"].comment.text
    assert text.startswith("asked SW on Monday") and "101: " in text
