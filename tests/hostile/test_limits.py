"""Inputs built to exhaust memory or time are refused early, cheaply and by name: small
versions of the real bombs, against lowered limits where the real one is large."""
import os
import time
import zipfile

import pytest
from hostile_checks import YEAR, digests, run, sample_tables, write_csvs, write_xlsx

import xl_validator.api
from xl_validator.read import limits

SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
              'spreadsheetml/2006/main"><sheetData>')


def zip_bomb(path, rows: int, row_xml) -> None:
    """A valid workbook whose one sheet is ``rows`` rows of ``row_xml(r)``: tiny zipped, huge unzipped."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
                   'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/'
                   'xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '</Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
                   'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships"><sheets><sheet name="Episodes" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(SHEET_HEAD.encode())
            for r in range(1, rows + 1):
                f.write(row_xml(r).encode())
            f.write(b"</sheetData></worksheet>")


def refused(capsys, path, *words, args=()):
    """Run validate; it must exit 2 quickly, naming the file and the problem, input untouched."""
    before = digests(path)
    started = time.monotonic()
    code, _, err = run(capsys, "validate", path, "--year", YEAR, "--no-history", *args)
    assert code == 2, err
    assert time.monotonic() - started < 20
    assert str(path) in err and all(w in err for w in words), err
    assert digests(path) == before
    return err


def test_ratio_bomb_is_refused_before_unpacking(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(limits, "ZIP_RATIO_FLOOR", 2**20)  # a few-MB bomb stands for the 3 GB one
    bomb = tmp_path / "bomb.xlsx"
    zip_bomb(bomb, 4_000, lambda r: f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{"0" * 2000}</t></is></c></row>')
    assert bomb.stat().st_size < 100_000
    refused(capsys, bomb, "times its size (the limit is 100 times", "zip bomb", "XL_VALIDATOR_MAX_ZIP_RATIO")


def test_absolute_unpacked_limit_says_how_to_raise_it(tmp_path, capsys, monkeypatch):
    this, _ = sample_tables()
    book = write_xlsx(this, tmp_path / "return.xlsx")
    monkeypatch.setenv("XL_VALIDATOR_MAX_UNZIPPED_MB", "0")
    refused(capsys, book, "over the 0 MB limit", "XL_VALIDATOR_MAX_UNZIPPED_MB")


def test_cell_bomb_is_refused_by_the_cell_limit(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XL_VALIDATOR_MAX_CELLS", "20000")
    bomb = tmp_path / "cells.xlsx"
    zip_bomb(bomb, 2_000, lambda r: f'<row r="{r}">' + "".join(
        f'<c r="{c}{r}"><v>1</v></c>' for c in "ABCDEFGHIJKLMNOPQRST") + "</row>")
    refused(capsys, bomb, "sheet 'Episodes'", "more than the 20,000 cells", "XL_VALIDATOR_MAX_CELLS")


@pytest.mark.parametrize("form", ["xlsx", "csv", "xml"])
def test_a_table_over_the_row_limit_is_refused_with_the_limit_and_how_to_raise_it(form, tmp_path, capsys,
                                                                                   monkeypatch):
    from xl_validator.export import export_return

    this, _ = sample_tables(children=30, error_rate=0)
    monkeypatch.setenv("XL_VALIDATOR_MAX_ROWS", "20")
    if form == "xlsx":
        path = write_xlsx(this, tmp_path / "return.xlsx")
    elif form == "csv":
        path = write_csvs(this, tmp_path / "csv")
    else:
        path = export_return(this, tmp_path / "xml", fmt="xml", year=YEAR)[0]
    refused(capsys, path, "more than 20 rows in one table", "XL_VALIDATOR_MAX_ROWS")


def test_devices_and_pipes_are_refused_without_reading(tmp_path, capsys):
    pipe = tmp_path / "return.xlsx"
    os.mkfifo(pipe)
    code, _, err = run(capsys, "validate", pipe, "--year", YEAR, "--no-history")
    assert code == 2 and "not an ordinary file" in err and str(pipe) in err
    device = tmp_path / "random.csv"
    device.symlink_to("/dev/urandom")
    code, _, err = run(capsys, "validate", device, "--year", YEAR, "--no-history")
    assert code == 2 and "not an ordinary file" in err
    folder = tmp_path / "csv"
    folder.mkdir()
    os.mkfifo(folder / "header.csv")
    code, _, err = run(capsys, "validate", folder, "--year", YEAR, "--no-history")
    assert code == 2 and "holds no .csv files" in err


@pytest.mark.parametrize("where", ["attribute", "text", "comment"])
def test_xml_with_a_huge_token_is_refused_while_streaming(where, tmp_path, capsys):
    big = "A" * 200_000
    token = {"attribute": f'<HEADER x="{big}"/>', "text": f"<HEADER><CHILDID>{big}</CHILDID></HEADER>",
             "comment": f"<!-- {big} -->"}[where]
    path = tmp_path / "return.xml"
    path.write_text(f'<?xml version="1.0"?>\n<EXPSSDA903>\n<CHILD>\n{token}\n</CHILD>\n</EXPSSDA903>\n')
    refused(capsys, path, "line 4", "longer than 10,000 characters")


def test_dtd_and_entities_still_refused(tmp_path, capsys):
    path = tmp_path / "return.xml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><EXPSSDA903>&a;</EXPSSDA903>')
    refused(capsys, path, "DTD or entities")


def test_out_of_memory_is_a_clear_message(tmp_path, capsys, monkeypatch):
    this, _ = sample_tables()
    book = write_xlsx(this, tmp_path / "return.xlsx")

    def exhausted(*a, **k):
        raise MemoryError

    monkeypatch.setattr(xl_validator.api, "read_return", exhausted)
    code, _, err = run(capsys, "validate", book, "--year", YEAR, "--no-history")
    assert code == 2 and "ran out of memory" in err


def test_an_unexpected_failure_is_not_exit_1(tmp_path, capsys, monkeypatch):
    this, _ = sample_tables()
    book = write_xlsx(this, tmp_path / "return.xlsx")

    def broken(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(xl_validator.api, "read_return", broken)
    code, _, err = run(capsys, "validate", book, "--year", YEAR, "--no-history")
    assert code == 3 and "unexpected failure (RuntimeError: boom)" in err


def test_out_of_memory_in_excel_is_a_plain_alert():
    from types import SimpleNamespace

    from xl_validator.excel.messages import run_with_alerts

    shown = []
    book = SimpleNamespace(app=SimpleNamespace(alert=lambda text, title, mode: shown.append((text, mode))))

    def exhausted(book):
        raise MemoryError

    run_with_alerts(book, exhausted)
    assert shown == [(shown[0][0], "critical")] and shown[0][0].startswith("The run ran out of memory")
