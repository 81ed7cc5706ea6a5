"""fix writes the fixed copy part by part (the return's package copied, only the changed sheets'
rows rewritten): the same cells, log, marks, fills and notes as the openpyxl route, on workbooks
shaped as analysts and Excel leave them (shared strings, formulas, merged cells, own fills and
notes, real and text dates, macros)."""
import re
from datetime import datetime
from xml.etree import ElementTree

import openpyxl
import pandas as pd
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.xml.functions import tostring
from books import VBA, package_parts, with_macros, write_package
from rulecheck import frame

from xl_validator.annotate.sheet_part import cells_at, rewrite_cells
from xl_validator.fix import apply as apply_module
from xl_validator.fix import apply_to_workbook, undo
from xl_validator.fix.fixed_copy import FixedCopy
from xl_validator.fix.log import LOG_SHEET, MARKS_SHEET
from xl_validator.prepare.postcodes import load_postcodes
from xl_validator.sample.workbook import write_return_workbook

YEAR = "2025/26"
OWN_FILL = PatternFill("solid", start_color="FFFFFF00", end_color="FFFFFF00")
SHARED_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def shaped_return(path):
    """Mechanical mistakes of every kind the fixes mend, in a workbook an analyst has worked on:
    their fill and note on a cell to fix and on a flagged one, a merged range over a flagged
    cell, bold text, a text date column and one of real dates, a value that starts with '='
    once trimmed, and (added to the XML below) a formula whose value a fix would change."""
    tables = {
        "Header": frame("Header", [
            {"CHILD": "1", "SEX": "Male", "DOB": "2012-01-05", "ETHNIC": " wbri", "UPN": "a123456789012"},
            {"CHILD": " =1+1", "SEX": "f", "DOB": "05/01/2013", "ETHNIC": "white british", "UPN": "UN1"},
            {"CHILD": "3", "SEX": "9", "DOB": "05/01/2013", "ETHNIC": "WBRI", "UPN": "UN1"},
        ]),
        "Episodes": frame("Episodes", [
            {"CHILD": "1", "DECOM": "1/4/25", "RNE": "s", "LS": "C2 ", "CIN": "n1", "PLACE": "u4",
             "PLACE_PROVIDER": "pr1", "HOME_POST": "tw91dn", "PL_POST": "TW10 6AA", "URN": "XXXXXXX"},
            {"CHILD": " =1+1", "DECOM": "02/04/2025", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U4",
             "PLACE_PROVIDER": "PR1", "HOME_POST": "TW9 1DN", "PL_POST": "TW10 6AA", "URN": "XXXXXXX"},
        ]),
        "Reviews": frame("Reviews", [{"CHILD": "1", "DOB": "05/01/2012", "REVIEW": "2025-05-01", "REVIEW_CODE": "pn1"},
                                     {"CHILD": " =1+1", "DOB": "05/01/2013", "REVIEW": "", "REVIEW_CODE": "PN1"}]),
    }
    write_return_workbook(tables, path, YEAR, dropdowns=False)
    wb = openpyxl.load_workbook(path)
    header, episodes = wb["Header"], wb["Episodes"]
    header["D2"].fill = OWN_FILL  # to be fixed (' wbri')
    header["D2"].comment = Comment("asked the social worker", "Analyst")
    header["B4"].fill = OWN_FILL  # flagged (SEX 9), not fixable
    header["B4"].comment = Comment("checked", "Analyst")
    header["B3"].font = Font(bold=True)  # to be fixed ('f'): keeps its bold
    header.merge_cells("A5:B5")
    header["A5"], header["C5"], header["D5"] = "4", "05/01/2013", "WBRI"  # SEX blank inside the merge: flagged
    wb["Reviews"]["C3"].value = 45778  # an Excel serial number in a General cell: REVIEW holds no real date
    wb["Reviews"]["C3"].number_format = "General"
    episodes["E3"] = "n1"  # becomes a formula below; its value would be fixed
    wb.save(path)
    parts = package_parts(path)
    sheet = _sheet_part(parts, "Episodes")
    parts[sheet] = re.sub(rb'<c r="E3"([^>]*?) t="inlineStr"><is><t>n1</t></is></c>',
                          rb'<c r="E3"\1 t="str"><f>LOWER("N1")</f><v>n1</v></c>', parts[sheet])
    assert b"<f>LOWER" in parts[sheet]
    write_package(path, _shared_strings(parts))
    return path


def _sheet_part(parts, name):
    book = parts["xl/workbook.xml"].decode()
    rid = re.search(rf'<sheet [^>]*name="{name}"[^>]*?r:id="(\w+)"', book).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="/?(?:xl/)?([^"]+)"|Target="/?(?:xl/)?([^"]+)"[^>]*Id="{rid}"',
                       parts["xl/_rels/workbook.xml.rels"].decode())
    return "xl/" + (target.group(1) or target.group(2))


def _shared_strings(parts):
    """The package with every inline string turned into a shared one, as Excel saves text."""
    table: dict[bytes, int] = {}

    def shared(m):
        index = table.setdefault(m.group(2), len(table))
        return b'<c%s t="s"><v>%d</v></c>' % (m.group(1), index)

    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        parts[name] = re.sub(rb'<c([^>]*?) t="inlineStr"><is>(.*?)</is></c>', shared, parts[name])
    parts["xl/sharedStrings.xml"] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://'
                                     b'schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
                                     % (len(table), len(table)) + b"".join(b"<si>%s</si>" % s for s in table)
                                     + b"</sst>")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_CT}"/></Types>'.encode())
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/'
                             b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    return parts


def every_cell(path):
    """{(sheet, cell): (value, type, number format, fill, note)} of every cell with a value, fill
    or note; the sheets in order with their states. Times of day (the log's, the Summary's) masked."""
    wb = openpyxl.load_workbook(path)
    out = {"sheets": [(ws.title, ws.sheet_state) for ws in wb.worksheets]}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                value = c.value
                if isinstance(value, str) and re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d(:\d\d)?", value):
                    value = "time"
                fill = tostring(c.fill.to_tree()).decode() if c.has_style and c.fill != PatternFill() else ""
                note = (c.comment.text, c.comment.author) if c.comment else None
                if value is not None or fill or note:
                    out[(ws.title, c.coordinate)] = (value, c.data_type if value is not None else None,
                                                     c.number_format if value is not None else None, fill, note)
    return out


def through_openpyxl(monkeypatch):
    """Make fix take the openpyxl route (as it does for a shape the part-by-part writer refuses)."""
    from xl_validator.annotate.package import Unsupported

    def refuse(source):
        raise Unsupported("the openpyxl route, for comparison")
    monkeypatch.setattr(FixedCopy, "read", refuse)


@pytest.fixture
def shaped(tmp_path):
    return shaped_return(tmp_path / "shaped.xlsx")


def test_both_routes_write_the_same_copy_and_undo_gives_back_the_same_workbook(shaped, tmp_path, monkeypatch):
    load_postcodes().lookup(pd.Series(["TW91AA"]))  # the index built before either run: neither notes it
    direct, direct_back = tmp_path / "direct.xlsx", tmp_path / "direct_back.xlsx"
    result = apply_to_workbook(shaped, direct, year=YEAR)
    undo(direct, direct_back)
    with monkeypatch.context() as m:
        through_openpyxl(m)
        slow, slow_back = tmp_path / "slow.xlsx", tmp_path / "slow_back.xlsx"
        again = apply_to_workbook(shaped, slow, year=YEAR)
        undo(slow, slow_back)
    assert result.not_applied == again.not_applied and len(result.changes) == len(again.changes) > 10
    assert set(result.changes["fix"].str.split("+").explode()) == {
        "trim_spaces", "code_synonym", "upper_case", "date_format", "postcode_format"}
    assert every_cell(direct) == every_cell(slow)
    assert every_cell(direct_back) == every_cell(slow_back)
    marks = list(openpyxl.load_workbook(direct)[MARKS_SHEET].iter_rows(values_only=True))
    assert ("Header", "B4", tostring(OWN_FILL.to_tree()).decode(), "checked", "Analyst") in marks


def test_the_return_is_neither_loaded_nor_saved_by_openpyxl(shaped, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl loaded the return")
    monkeypatch.setattr(apply_module.openpyxl, "load_workbook", refuse)
    apply_to_workbook(shaped, tmp_path / "fixed.xlsx", year=YEAR)


def test_values_written_in_place(shaped, tmp_path):
    out = tmp_path / "fixed.xlsx"
    result = apply_to_workbook(shaped, out, year=YEAR)
    wb = openpyxl.load_workbook(out)
    header, episodes, reviews = wb["Header"], wb["Episodes"], wb["Reviews"]
    assert header["A3"].value == "=1+1" and header["A3"].data_type == "s"  # text, though it starts with '='
    assert (header["B2"].value, header["B3"].value, header["D2"].value) == ("M", "F", "WBRI")  # shared strings read
    assert header["B3"].font.b and header["D2"].fill.fgColor.rgb == "FFFFFF00"  # the cell's own format kept
    assert header["D2"].comment.text.startswith("asked the social worker")
    # DOB holds real dates: the fixed one is a real date too; REVIEW holds none: text
    assert header["C2"].value == datetime(2012, 1, 5) and header["C2"].number_format == "dd/mm/yyyy"
    assert (reviews["C2"].value, reviews["C3"].value) == ("01/05/2025", "01/05/2025")
    assert episodes["E3"].value == '=LOWER("N1")'  # a formula is never overwritten
    assert result.not_applied == ['Episodes!E3: holds a formula (=LOWER("N1")); not changed']
    log = list(wb[LOG_SHEET].iter_rows(values_only=True))
    assert ("Reviews", "C3", "REVIEW", 45778, "01/05/2025") in [r[:5] for r in log]
    assert wb[MARKS_SHEET].sheet_state == "hidden"
    for name, data in package_parts(out).items():  # the notes' drawings are XML (theirs by openpyxl, ns0:..., ours v:...)
        if name.endswith(".vml"):
            ElementTree.fromstring(data)
    assert wb.sheetnames[:3] == ["Summary", "Errors", "Header"]  # the return's sheets, then the log and marks
    assert wb.sheetnames[-4:] == [LOG_SHEET, MARKS_SHEET, "xl_validator", "Rules"]


def test_merged_cell_marked_on_its_first_cell_and_restored(shaped, tmp_path):
    out, back = tmp_path / "fixed.xlsx", tmp_path / "back.xlsx"
    apply_to_workbook(shaped, out, year=YEAR)
    marks = {r[:2]: r[2:] for r in openpyxl.load_workbook(out)[MARKS_SHEET].iter_rows(min_row=2, values_only=True)}
    assert ("Header", "A5") in marks and ("Header", "B5") not in marks
    undo(out, back)
    ws = openpyxl.load_workbook(back)["Header"]
    assert ws["A5"].comment is None and ws["A5"].fill.fill_type is None and "A5:B5" in ws.merged_cells
    assert ws["B4"].comment.text == "checked" and ws["B4"].fill.fgColor.rgb == "FFFFFF00"


def test_xlsm_keeps_its_macros_and_untouched_parts_byte_for_byte(shaped, tmp_path):
    xlsm = with_macros(shaped, tmp_path / "shaped.xlsm")
    out = tmp_path / "fixed.xlsm"
    apply_to_workbook(xlsm, out, year=YEAR)
    before, after = package_parts(xlsm), package_parts(out)
    assert after["xl/vbaProject.bin"] == VBA
    assert after["xl/sharedStrings.xml"] == before["xl/sharedStrings.xml"]
    untouched = _sheet_part(before, "Reviews")  # its REVIEW values change; Header and Episodes too
    assert untouched in before and after[untouched] != before[untouched]
    changed = {n for n in before if before[n] != after[n]}
    assert changed <= {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                       *(n for n in before if n.startswith("xl/worksheets/") or "comment" in n or "Drawing" in n)}
    assert "xl/theme/theme1.xml" not in changed and "docProps/core.xml" not in changed
    undo(out, tmp_path / "back.xlsm")
    assert package_parts(tmp_path / "back.xlsm")["xl/vbaProject.bin"] == VBA
    with pytest.raises(Exception, match="ending in .xlsx"):
        apply_to_workbook(shaped, tmp_path / "fixed2.xlsm", year=YEAR)  # .xlsx return: an .xlsx copy


def test_cells_found_by_address_even_when_a_value_reads_like_one():
    row = (b'<row r="2"><c r="A2" t="inlineStr"><is><t> r="C2" is not a cell</t></is></c>'
           b'<c r="B2" s="1"/><c r="C2" t="s"><v>4</v></c></row>')
    xml = b'<worksheet xmlns="main"><sheetData>%s</sheetData></worksheet>' % row
    assert cells_at(xml, {2: {2, 3, 4}}) == {(2, 2): b'<c r="B2" s="1"/>', (2, 3): b'<c r="C2" t="s"><v>4</v></c>'}


def test_a_second_fix_run_appends_to_the_log(shaped, tmp_path):
    once, twice = tmp_path / "once.xlsx", tmp_path / "twice.xlsx"
    first = apply_to_workbook(shaped, once, year=YEAR, only="103")
    second = apply_to_workbook(once, twice, year=YEAR)
    log = list(openpyxl.load_workbook(twice)[LOG_SHEET].iter_rows(min_row=2, values_only=True))
    assert len(log) == len(first.changes) + len(second.changes) and len(second.changes) > 0


def test_cells_rewritten_in_place_or_added_in_column_order():
    row = (b'<row r="2" spans="1:3"><c r="A2" t="inlineStr"><is><t> r="C2" is not a cell</t></is></c>'
           b'<c r="C2" s="1"><v>4</v></c></row>')
    xml = b'<worksheet xmlns="main"><sheetData>%s</sheetData></worksheet>' % row

    def mark(r, c, cell):
        return b'<c r="%s%d" s="9"/>' % (b"ABCD"[c - 1:c], r)
    assert rewrite_cells(xml, {2: [3]}, mark) == xml.replace(b'<c r="C2" s="1"><v>4</v></c>', b'<c r="C2" s="9"/>')
    both = rewrite_cells(xml, {2: [2, 3]}, mark)  # B2 is new: it goes before C2, and the spans go
    assert b'<row r="2"><c r="A2"' in both and both.endswith(b'<c r="B2" s="9"/><c r="C2" s="9"/></row></sheetData></worksheet>')


def test_a_shape_refused_while_writing_is_written_through_openpyxl(shaped, tmp_path, monkeypatch):
    from xl_validator.annotate.package import Unsupported
    from xl_validator.fix import fixed_copy

    def refuse(*args):
        raise Unsupported("a sheet shape this writer does not know")
    monkeypatch.setattr(fixed_copy, "rewrite_cells", refuse)
    out = tmp_path / "fixed.xlsx"
    result = apply_to_workbook(shaped, out, year=YEAR)
    wb = openpyxl.load_workbook(out)
    assert wb["Header"]["D2"].value == "WBRI" and len(list(wb[LOG_SHEET].iter_rows())) == len(result.changes) + 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fixed.xlsx", "shaped.xlsx"]  # nothing partial left


def test_cells_read_as_openpyxl_reads_them(shaped, tmp_path):
    """Every cell of every sheet, with a few strings XML escapes added: what the fixed copy's
    reader gives (plain text read directly) is what openpyxl's load gives."""
    parts = package_parts(shaped)
    parts["xl/sharedStrings.xml"] = parts["xl/sharedStrings.xml"].replace(
        b"</sst>", b"<si><t>a &amp; b</t></si><si><t>x005F_x000D_ &lt;tag&gt;</t></si>"
                   b"<si><r><t>rich</t></r><r><rPr><b/></rPr><t> text</t></r></si></sst>")
    count = parts["xl/sharedStrings.xml"].count(b"<si>")
    header = _sheet_part(parts, "Header")
    parts[header] = parts[header].replace(b"</row></sheetData>", b'<c r="H5" t="s"><v>%d</v></c><c r="I5" t="s"><v>%d'
                                          b'</v></c><c r="J5" t="s"><v>%d</v></c></row></sheetData>'
                                          % (count - 3, count - 2, count - 1), 1)
    book_path = write_package(tmp_path / "escaped.xlsx", parts)
    book, wb = FixedCopy.read(book_path), openpyxl.load_workbook(book_path)
    seen = 0
    for ws in wb.worksheets:
        xml = book.sheet_xml(ws.title)
        for element in re.findall(rb"<c\b[^>]*?(?:/>|>.*?</c>)", xml, re.S):
            coordinate = re.search(rb'\sr="([A-Z]+\d+)"', element).group(1).decode()
            if coordinate in ws.merged_cells:
                continue
            book.parser.shared_formulae = {}
            assert book._cell(element, xml) == (ws[coordinate].value, ws[coordinate].data_type), coordinate
            seen += 1
    assert seen > 100 and wb["Header"]["J5"].value == "rich text" and wb["Header"]["I5"].value == "x000D_ <tag>"
