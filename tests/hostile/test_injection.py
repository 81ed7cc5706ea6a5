"""Values that would run as formulas, and characters a workbook cannot hold, in every form of
input and through every writer: the outputs hold them as text, and nothing crashes."""
import csv

import openpyxl
import pytest
from hostile_checks import (
    INJECTED,
    LINK,
    YEAR,
    digests,
    formula_cells,
    hostile_tables,
    leftovers,
    run,
    workbook_texts,
    write_csvs,
    write_xlsx,
)

from xl_validator.export import export_return


@pytest.fixture(scope="module")
def tables():
    return hostile_tables()


@pytest.mark.parametrize("form", ["xlsx", "csv", "xml"])
def test_values_that_look_like_formulas_are_written_as_text_everywhere(tables, form, tmp_path, capsys):
    source = tmp_path / "in"
    if form == "xlsx":
        source.mkdir()
        source = write_xlsx(tables, source / "return.xlsx")
    elif form == "csv":
        source = write_csvs(tables, source)
    else:
        source = export_return(tables, source, fmt="xml", year=YEAR)[0]
    before = digests(source)
    out = tmp_path / "out"
    assert run(capsys, "validate", source, "--year", YEAR, "--out", out / "checked.xlsx")[0] == 1
    assert run(capsys, "fix", source, "--year", YEAR, "--out", out / "fixed.xlsx")[0] == 0
    assert run(capsys, "fix", out / "fixed.xlsx", "--undo", "--out", out / "undone.xlsx")[0] == 0
    assert run(capsys, "chase", source, "--year", YEAR, "--out", out / "chase")[0] == 0
    assert run(capsys, "history", source, "--chart", out / "trend.xlsx")[0] == 0
    assert digests(source) == before
    assert formula_cells(out) == []
    checked = workbook_texts(out / "checked.xlsx")
    assert INJECTED in checked  # shown exactly as the return holds it, in data, Errors and Summary
    assert LINK in checked or form == "xml"  # (the XML writer refuses nothing here; PL_POST kept)
    wb = openpyxl.load_workbook(out / "checked.xlsx")
    assert INJECTED in {c.value for c in wb["Errors"]["D"]}
    assert INJECTED in workbook_texts(out / "chase" / "chase_list.xlsx") or not _chased(out / "chase")
    assert not leftovers(tmp_path)


def _chased(folder):
    return any(INJECTED in row for f in folder.glob("*.csv")
               for row in csv.reader(f.read_text(encoding="utf-8-sig").splitlines()))


def test_control_characters_do_not_stop_validate_fix_or_chase(tables, tmp_path, capsys):
    data = {name: frame.copy() for name, frame in tables.items()}
    data["Header"].loc[2, "UPN"] = "A12\x00345"
    data["Episodes"].loc[1, "PL_POST"] = "TW9\x01 1DN"
    csvs = write_csvs(data, tmp_path / "csv")
    # an .xlsx holding Excel's escape for a control character, which readers turn back into it
    escaped = {name: frame.map(lambda v: str(v).replace("\x00", "_x0000_").replace("\x01", "_x0001_"))
               for name, frame in data.items()}
    book = write_xlsx(escaped, tmp_path / "book.xlsx")
    out = tmp_path / "out"
    for source, name in ((csvs, "c"), (book, "b")):
        assert run(capsys, "validate", source, "--year", YEAR, "--out", out / f"{name}_checked.xlsx")[0] == 1
        assert run(capsys, "fix", source, "--year", YEAR, "--out", out / f"{name}_fixed.xlsx")[0] == 0
        assert run(capsys, "chase", source, "--year", YEAR, "--out", out / f"{name}_chase")[0] == 0
    assert "A12_x0000_345" in workbook_texts(out / "c_checked.xlsx")
    assert formula_cells(out) == []
    assert not leftovers(tmp_path)
