"""A checked copy validated again: the earlier run's marks go, the analyst's own stay."""
import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from books import header_return
from xl_validator.cli import main

YELLOW = PatternFill("solid", start_color="FFFFFF00", end_color="FFFFFF00")


@pytest.fixture
def book(tmp_path):
    path = header_return(tmp_path / "903.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Header"]
    ws["D3"].comment = Comment("asked the social worker", "Analyst")  # a flagged cell with the analyst's note
    ws["A2"].fill = YELLOW  # the analyst's own highlight on a clean cell
    wb.save(path)
    return path


def validate(src, out):
    return main(["validate", str(src), "--year", "2022/23", "--rules", "101,103", "--out", str(out), "-q",
                 "--no-history"])


def test_a_corrected_cell_loses_its_mark_and_the_analysts_marks_stay(book, tmp_path):
    first = tmp_path / "903_checked.xlsx"
    assert validate(book, first) == 1
    wb = openpyxl.load_workbook(first)
    assert wb["Header"]["B3"].comment.text.startswith("101: ")
    assert wb["Header"]["D3"].comment.text.startswith("asked the social worker\n---\n103: ")
    wb["Header"]["B3"] = "1"  # the analyst corrects SEX in the checked copy
    wb.save(first)

    second = tmp_path / "903_checked_again.xlsx"
    assert validate(first, second) == 1
    ws = openpyxl.load_workbook(second)["Header"]
    assert ws["B3"].comment is None and ws["B3"].fill.fill_type is None
    assert ws["D3"].comment.text.count("asked the social worker") == 1
    assert ws["D3"].comment.text.count("103: ") == 1
    assert ws["A2"].fill.start_color.rgb == "FFFFFF00"

    ws_all = openpyxl.load_workbook(second)
    ws_all["Header"]["D3"] = "WBRI"
    ws_all.save(second)
    third = tmp_path / "903_clean.xlsx"
    assert validate(second, third) == 0
    wb = openpyxl.load_workbook(third)
    ws = wb["Header"]
    assert ws["D3"].comment.text == "asked the social worker" and ws["D3"].fill.fill_type is None
    assert ws["A2"].fill.start_color.rgb == "FFFFFF00"
    assert wb.sheetnames.count("Errors") == 1 and wb.sheetnames.count("xl_validator") == 1


def test_a_copy_checked_before_marks_were_recorded_is_cleaned_by_its_signed_notes(book, tmp_path):
    first = tmp_path / "old_checked.xlsx"
    validate(book, first)
    wb = openpyxl.load_workbook(first)
    del wb["xl_validator"]  # as written by earlier versions
    wb["Header"]["B3"] = "1"
    wb.save(first)
    second = tmp_path / "again.xlsx"
    validate(first, second)
    ws = openpyxl.load_workbook(second)["Header"]
    assert ws["B3"].comment is None and ws["B3"].fill.fill_type is None
    assert ws["D3"].comment.text.count("asked the social worker") == 1


def test_an_analysts_fill_on_a_flagged_cell_after_the_run_is_kept(book, tmp_path):
    first = tmp_path / "a.xlsx"
    validate(book, first)
    wb = openpyxl.load_workbook(first)
    wb["Header"]["B3"] = "1"
    wb["Header"]["B3"].fill = YELLOW  # marked by the analyst as done
    wb.save(first)
    second = tmp_path / "b.xlsx"
    validate(first, second)
    ws = openpyxl.load_workbook(second)["Header"]
    assert ws["B3"].fill.start_color.rgb == "FFFFFF00" and ws["B3"].comment is None
