"""fix and undo on workbooks an analyst has shaped: merged cells, own fills and notes, an
edited Fix log. Undo gives back the workbook as it was; damage is a clear error."""
import openpyxl
import pytest
from hostile_checks import YEAR, digests, formula_cells, leftovers, run, sample_tables, write_xlsx
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

import xl_validator.api
from xl_validator.fix.apply import LOG_SHEET, apply_to_workbook

OWN_FILL = PatternFill("solid", start_color="FFFF00", end_color="FFFF00")


@pytest.fixture(scope="module")
def shaped(tmp_path_factory):
    """A return with lower-case codes to fix, the analyst's own fill and note on a flagged cell,
    and a merged range over a flagged cell."""
    this, _ = sample_tables(error_rate=0)
    this["Header"].loc[0, "ETHNIC"] = this["Header"]["ETHNIC"].iat[0].lower()  # fixable (upper case)
    this["Header"].loc[1, "SEX"] = "9"  # flagged, not fixable
    this["Header"].loc[2, "SEX"] = "9"
    book = write_xlsx(this, tmp_path_factory.mktemp("shaped") / "return.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb["Header"]
    ws["B3"].fill = OWN_FILL
    ws["B3"].comment = Comment("checked with the social worker", "analyst")
    ws.merge_cells("A4:B4")  # CHILD merged over SEX, so SEX is blank and flagged inside the merge
    wb.save(book)
    return book


def styles(path):
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): (c.value, c.fill.fgColor.rgb if c.fill.fill_type else None,
                                       c.comment.text if c.comment else None)
            for ws in wb.worksheets for row in ws.iter_rows() for c in row}


def test_undo_gives_back_values_fills_and_notes(shaped, tmp_path, capsys):
    before = digests(shaped)
    fixed, undone = tmp_path / "fixed.xlsx", tmp_path / "undone.xlsx"
    assert run(capsys, "validate", shaped, "--year", YEAR, "--no-history", "--out", tmp_path / "checked.xlsx")[0] == 1
    assert run(capsys, "fix", shaped, "--year", YEAR, "--out", fixed)[0] == 0
    marked = styles(fixed)
    assert marked[("Header", "B3")][1] != "00FFFF00" and "analyst" not in str(marked[("Header", "B3")][2])
    assert run(capsys, "fix", fixed, "--undo", "--out", undone)[0] == 0
    original, back = styles(shaped), styles(undone)
    assert {k: v for k, v in back.items() if k[0] == "Header"} == {k: v for k, v in original.items()
                                                                   if k[0] == "Header"}
    assert back[("Header", "B3")] == ("9", "00FFFF00", "checked with the social worker")
    assert digests(shaped) == before
    assert formula_cells(tmp_path) == [] and not leftovers(tmp_path)


@pytest.fixture(scope="module")
def fixed_once(shaped):
    with pytest.MonkeyPatch.context() as m:  # as the autouse fixture does for each test
        m.setattr(xl_validator.api, "load_postcodes", lambda: None)
        return apply_to_workbook(shaped, shaped.with_name("fixed.xlsx"), year=YEAR).out


@pytest.mark.parametrize("damage, words", [
    (lambda log: setattr(log["A2"], "value", "No such sheet"), "'No such sheet' is not a worksheet"),
    (lambda log: setattr(log["B2"], "value", "not a cell"), "'not a cell' is not a cell address"),
    (lambda log: setattr(log["B2"], "value", "A1:B9"), "'A1:B9' is not a cell address"),
    (lambda log: setattr(log["B2"], "value", 17), "17 is not a cell address"),
    (lambda log: setattr(log["A2"], "value", None), "None is not a worksheet"),
])
def test_an_edited_fix_log_is_a_clear_error(fixed_once, tmp_path, capsys, damage, words):
    fixed = tmp_path / "fixed.xlsx"
    wb = openpyxl.load_workbook(fixed_once)
    damage(wb[LOG_SHEET])
    wb.save(fixed)
    code, _, err = run(capsys, "fix", fixed, "--undo", "--out", tmp_path / "undone.xlsx")
    assert code == 2 and f"sheet '{LOG_SHEET}' row 2" in err and words in err, err
    assert not (tmp_path / "undone.xlsx").exists() and not leftovers(tmp_path)
