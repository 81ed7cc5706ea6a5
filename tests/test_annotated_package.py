"""The annotated copy is written part by part: what it must change, it changes as before; what it
need not change (macros, formulas, names, validation, other notes) is the input's own bytes."""
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table

import xl_validator as xv
from books import VBA, header_return, package_parts, with_macros
from xl_validator.annotate import write_annotated
from xl_validator.annotate.locate import flagged_cells, note_lines
from xl_validator.annotate.marks import AUTHOR, fill_text

DEMO = Path(__file__).parents[1] / "workbook_templates" / "demo"


def test_the_demo_copy_marks_exactly_the_flagged_cells(tmp_path):
    source = DEMO / "903_demo_2025-26.xlsx"
    report = xv.validate(source, year="2025/26", previous=DEMO / "903_demo_2024-25.xlsx",
                         provider_info=[DEMO / "ofsted_providers_demo.xlsx"], local_authority="E09000027")
    out = write_annotated(report, source, tmp_path / "checked.xlsx")
    lines = note_lines(flagged_cells(report.findings, report.tables), report.last_year())
    assert len(lines) > 300
    before, after = openpyxl.load_workbook(source), openpyxl.load_workbook(out)
    assert after.sheetnames == ["Summary", "Errors", *before.sheetnames, "xl_validator", "Rules"]
    assert after.active.title == "Summary"
    for ws in before.worksheets:
        copy = after[ws.title]
        assert copy.sheet_state == ws.sheet_state and copy.max_row == ws.max_row
        for row in ws.iter_rows():
            for cell in row:
                marked = copy.cell(row=cell.row, column=cell.column)
                assert (marked.value, marked.number_format) == (cell.value, cell.number_format)
                note = lines.get((ws.title, cell.row, cell.column))
                if note is None:
                    assert fill_text(marked.fill) == fill_text(cell.fill) and marked.comment is None
                else:
                    assert fill_text(marked.fill) == "#FFC7CE"
                    assert (marked.comment.text, marked.comment.author) == (note, AUTHOR)
    errors = list(after["Errors"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[3]) for r in errors] == list(zip(report.findings["code"], report.findings["table"],
                                                            report.findings["child"]))
    record = {(r[1], r[2], r[3]) for r in after["xl_validator"].iter_rows(min_row=2, values_only=True) if r[0] == "fill"}
    assert record == set(lines.index)


@pytest.fixture
def rich_book(tmp_path):
    """A return with what an analyst's workbook holds besides data: formulas, names, validation,
    conditional formats, a table, notes, a merged cell, and a macro project."""
    path = header_return(tmp_path / "903.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Header"]
    ws["A2"].comment = Comment("checked with the SW", "Analyst")  # not flagged: kept as it is
    ws["D3"].comment = Comment("asked the social worker", "Analyst")  # flagged: theirs, then ours
    ws["A2"].fill = PatternFill("solid", start_color="FFFFFF00", end_color="FFFFFF00")
    ws.conditional_formatting.add("C2:C10", CellIsRule(operator="equal", formula=['"x"'], fill=PatternFill(bgColor="FF0000")))
    calc = wb.create_sheet("Calc")
    calc["A1"], calc["B1"], calc["A2"], calc["B2"] = "children", "=COUNTA(Header!A:A)-1", "x", 1
    calc["A4"], calc["B4"], calc["A5"], calc["B5"] = "name", "n", "x", 2
    calc.merge_cells("C1:D2")
    calc.add_table(Table(displayName="Counts", ref="A4:B5"))
    wb.defined_names["children"] = DefinedName("children", attr_text="Calc!$B$1")
    calc.defined_names["local_total"] = DefinedName("local_total", attr_text="Calc!$B$2")
    wb.save(path)
    return with_macros(path, tmp_path / "903.xlsm")


def test_parts_the_run_does_not_change_are_the_inputs_own_bytes(rich_book, tmp_path):
    report = xv.validate(rich_book, year="2022/23", rules=["101", "103"])
    out = write_annotated(report, rich_book, tmp_path / "checked.xlsm")
    before, after = package_parts(rich_book), package_parts(out)
    header = "xl/worksheets/sheet1.xml"  # the only flagged sheet
    meant = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", header,
             "xl/worksheets/_rels/sheet1.xml.rels", "xl/comments/comment1.xml", "xl/drawings/commentsDrawing1.vml"}
    assert "xl/vbaProject.bin" in before and before.keys() <= after.keys()
    assert {name for name in before if before[name] != after[name]} <= meant
    assert after["xl/vbaProject.bin"] == VBA

    wb = openpyxl.load_workbook(out)
    ws = wb["Header"]
    assert (ws["A2"].comment.text, ws["A2"].comment.author) == ("checked with the SW", "Analyst")
    assert ws["A2"].fill.start_color.rgb == "FFFFFF00"
    assert ws["D3"].comment.text.startswith("asked the social worker\n---\n103: ")
    assert ws["B3"].comment.text.startswith("101: ") and ws["B3"].fill.start_color.rgb.endswith("FFC7CE")
    assert len(ws.conditional_formatting) == 1 and ws.data_validations.dataValidation
    calc = wb["Calc"]
    assert calc["B1"].value == "=COUNTA(Header!A:A)-1" and "Counts" in calc.tables
    assert wb.defined_names["children"].attr_text == "Calc!$B$1"
    assert calc.defined_names["local_total"].attr_text == "Calc!$B$2"  # still local to Calc, now further right
    assert [r[0] for r in wb["xl_validator"].iter_rows(min_row=2, values_only=True)].count("note replaced") == 1


def dashboard(wb):
    """An extra sheet as a caller might add one: values, a chart, print settings."""
    ws = wb.create_sheet("Dashboard", 0)
    for row in (("Rule", "Findings"), ("101", 3), ("103", 1)):
        ws.append(row)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=3), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=3))
    ws.add_chart(chart, "D2")
    ws.page_setup.orientation = "landscape"


@pytest.mark.parametrize("kind", ["workbook", "csv"])
def test_extra_sheets_with_charts_are_carried_into_the_copy(rich_book, tmp_path, kind):
    source = rich_book
    if kind == "csv":
        source = tmp_path / "csv"
        source.mkdir()
        (source / "header.csv").write_text("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,7,01/01/2012,WBRI,UN1,,\n")
    report = xv.validate(source, year="2022/23", rules=["101", "103"])
    out = write_annotated(report, source if kind == "workbook" else None, tmp_path / "checked.xlsx", extra=[dashboard])
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:3] == ["Dashboard", "Summary", "Errors"] and wb.active.title == "Summary"
    ws = wb["Dashboard"]
    assert [r for r in ws.iter_rows(values_only=True)] == [("Rule", "Findings"), ("101", 3), ("103", 1)]
    assert len(ws._charts) == 1 and ws.page_setup.orientation == "landscape"
    assert len(wb["Summary"]._charts) == 1
    assert wb["Header"]["B2" if kind == "csv" else "B3"].comment.text.startswith("101: ")


def test_a_package_the_part_writer_does_not_handle_is_written_through_openpyxl(rich_book, tmp_path, monkeypatch):
    from xl_validator.annotate import marked_copy
    from xl_validator.annotate.package import Unsupported

    original, calls = marked_copy.mark_cells, []

    def refuse_the_first(*args):
        calls.append(args)
        if len(calls) == 1:
            raise Unsupported("a sheet shape this writer does not know")
        return original(*args)

    monkeypatch.setattr(marked_copy, "mark_cells", refuse_the_first)
    report = xv.validate(rich_book, year="2022/23", rules=["101", "103"])
    out = write_annotated(report, rich_book, tmp_path / "checked.xlsm")
    assert len(calls) == 2  # the input as it is, then as openpyxl saved it
    wb = openpyxl.load_workbook(out)
    ws = wb["Header"]
    assert ws["B3"].comment.text.startswith("101: ") and ws["D3"].comment.text.startswith("asked the social worker")
    assert ws["A2"].comment.text == "checked with the SW" and wb.sheetnames[:2] == ["Summary", "Errors"]
    assert package_parts(out)["xl/vbaProject.bin"] == VBA


def test_marking_finds_the_same_cells_whatever_order_a_sheet_writes_attributes_in():
    """Rows and cells that start with their reference are found directly; a sheet written another
    way is walked cell by cell. Both mark the same cells, add the same missing cell and row."""
    import re

    from xl_validator.annotate.sheet_part import mark_cells

    def sheet(reference_first: bool) -> bytes:
        rows = []
        for r in range(1, 8):
            cells = "".join(f'<c r="{c}{r}" s="1"><v>{r}</v></c>' if reference_first else
                            f'<c s="1" r="{c}{r}"><v>{r}</v></c>' for c in "ABD")
            rows.append(f'<row r="{r}" spans="1:4">{cells}</row>' if reference_first else
                        f'<row spans="1:4" r="{r}">{cells}</row>')
        return f'<worksheet><sheetData>{"".join(rows)}</sheetData></worksheet>'.encode()

    def styles(xml: bytes) -> dict[bytes, bytes]:
        cells = re.findall(rb"<c\b([^>]*)", xml)
        return {re.search(rb'\br="(\w+)"', a).group(1): re.search(rb'\bs="(\d+)"', a).group(1) for a in cells}

    wanted = {2: [1, 4], 3: [3], 5: [2], 9: [1]}  # cells there, a cell to add (C3), a row to add (9)
    marked = [styles(mark_cells(sheet(first), wanted, lambda row, col, style: style + 10)) for first in (True, False)]
    assert marked[0] == marked[1]
    assert {ref for ref, s in marked[0].items() if s != b"1"} == {b"A2", b"D2", b"C3", b"B5", b"A9"}
    assert marked[0][b"C3"] == b"10" and marked[0][b"A2"] == b"11"


def test_the_summary_lists_each_child_as_openpyxl_would_have_written_it(tmp_path):
    """The errors-per-child rows are written into the saved Summary directly: odd CHILD values
    (spaces, markup, quotes, a tab) read back as openpyxl writes them."""
    from rulecheck import frame
    from xl_validator.sample.workbook import write_return_workbook
    from xl_validator.sheet_text import put_at

    children = [" lead", "a&b<c>", "x\ty", "tail ", "\"q\"", "plain"]
    header = frame("Header", [{"CHILD": c, "SEX": "7", "DOB": "01/01/2012", "ETHNIC": "WBRI", "UPN": "UN1"}
                              for c in children])
    source = write_return_workbook({"Header": header}, tmp_path / "903.xlsx", "2022/23")
    report = xv.validate(source, year="2022/23")
    by_child = report.by_child()
    assert set(by_child["child"]) == set(children)
    summary = openpyxl.load_workbook(write_annotated(report, source, tmp_path / "checked.xlsx"))["Summary"]
    title = next(c.row for c in summary["A"] if c.value == "Errors per child (most first)")
    got = [tuple(c.value for c in row) for row in summary.iter_rows(min_row=title + 2, max_row=title + 1 + len(by_child),
                                                                      max_col=3)]
    expected = openpyxl.Workbook()
    for i, r in enumerate(by_child.itertuples(index=False), start=1):
        for j, v in enumerate((r.child, r.findings, r.rules), start=1):
            put_at(expected.active, i, j, v)
    expected.save(tmp_path / "expected.xlsx")
    assert got == [tuple(r) for r in openpyxl.load_workbook(tmp_path / "expected.xlsx").active.iter_rows(values_only=True)]
