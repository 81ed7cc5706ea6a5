"""The Validate button: the run is added to the history beside the saved workbook, and a
year that does not match the return's dates is pointed out."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from excelsim import Workbook, header_rows, sheet  # noqa: E402

from xl_validator.excel import desktop, write_settings  # noqa: E402
from xl_validator.report import history  # noqa: E402


def press_validate(monkeypatch, wb):
    book = wb.book()
    monkeypatch.setattr(desktop.xw.Book, "caller", staticmethod(lambda: book))
    desktop.validate()
    wb.apply(book.json()["actions"])
    return wb.alerts[-1]


def workbook(name):
    header = [{"CHILD": "1", "SEX": "9", "DOB": "01/01/2012", "ETHNIC": "WBRI", "UPN": "UN1"}]
    episodes = [{"CHILD": "1", "DECOM": "01/05/2022", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U4"}]
    return Workbook([sheet("Header", header_rows(header)), sheet("Episodes", header_rows(episodes, "Episodes"))],
                    name=name)


def test_validate_records_the_run_beside_a_saved_workbook(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "903.xlsx").write_bytes(b"")  # the workbook as saved on disk
    wb = workbook("903.xlsx")
    book = wb.book()
    write_settings(book, year="2022/23")
    wb.apply(book.json()["actions"])
    assert "errors found" in press_validate(monkeypatch, wb)
    runs = history.runs(tmp_path / history.FILE_NAME)
    assert len(runs) == 1 and runs.iloc[0]["year"] == "2022/23" and runs.iloc[0]["findings"] > 0


def test_an_unsaved_workbook_is_validated_without_history_and_a_year_mismatch_is_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    wb = workbook("Book1")
    book = wb.book()
    write_settings(book, year="2025/26")
    wb.apply(book.json()["actions"])
    text = press_validate(monkeypatch, wb)
    assert "Check the year" in text and "2022/23" in text
    assert not (tmp_path / history.FILE_NAME).exists()


def test_the_alert_names_the_inputs_and_what_was_skipped_for_want_of_them(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    wb = workbook("Book1")
    book = wb.book()
    write_settings(book, year="2022/23", local_authority="E09000027")
    wb.apply(book.json()["actions"])
    text = press_validate(monkeypatch, wb)
    assert "Council code: E09000027 (Richmond upon Thames)" in text and "Last year's return: not given" in text
    assert "rules need last year's return: --previous FILE, or Settings > Last year's return" in text


def test_check_this_child_button_shows_the_childs_findings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    wb = workbook("Book1")
    book = wb.book()
    write_settings(book, year="2022/23")
    wb.apply(book.json()["actions"])
    wb.selection = "B2"  # the child's row on the Header sheet
    book = wb.book()
    monkeypatch.setattr(desktop.xw.Book, "caller", staticmethod(lambda: book))
    desktop.check_child()
    wb.apply(book.json()["actions"])
    assert wb.alerts[-1].startswith("Child 1: ") and "101 B2: " in wb.alerts[-1]
    assert ("Header", 2, 2) in wb.fills
