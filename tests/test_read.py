"""Readers: every input form, loose names, and the bad inputs analysts really produce."""
from datetime import datetime

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.table import Table as ListObject

import xl_validator as xv
from books import write_book as _book
from xl_validator.read import InputError, read_return

HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_csv_folder_recognised_by_name_and_by_header(tmp_path):
    write(tmp_path / "header.csv", HEADER + "1,1,01/01/2012,WBRI,,,\n")
    write(tmp_path / "export_7.csv", "CHILD,DOB,REVIEW,REVIEW_CODE\n1,01/01/2012,05/05/2022,PN1\n")
    ret = read_return(tmp_path)
    assert set(ret.tables) == {"Header", "Reviews"}
    assert ret.tables["Reviews"].frame.loc[0, "REVIEW_CODE"] == "PN1"
    assert ret.tables["Header"].rows.tolist() == [2]


@pytest.mark.parametrize("encoding,prefix", [("utf-8", b"\xef\xbb\xbf"), ("utf-8", b""), ("cp1252", b""),
                                             ("utf-16", b"")])
def test_csv_encodings(tmp_path, encoding, prefix):
    body = (HEADER + "Zoë1,1,01/01/2012,WBRI,,,\n").encode(encoding)
    (tmp_path / "header.csv").write_bytes(prefix + body)
    ret = read_return(tmp_path)
    assert ret.tables["Header"].frame.loc[0, "CHILD"] == "Zoë1"
    assert list(ret.tables["Header"].frame.columns)[:2] == ["CHILD", "SEX"]


def test_empty_and_unknown_csv_files_are_reported_and_the_rest_read(tmp_path):
    write(tmp_path / "header.csv", HEADER + "1,1,01/01/2012,WBRI,,,\n")
    write(tmp_path / "episodes.csv", "")
    write(tmp_path / "notes.csv", "a,b\n1,2\n")
    ret = read_return(tmp_path)
    assert set(ret.tables) == {"Header"}
    messages = [str(i) for i in ret.issues]
    assert any("episodes.csv" in m and "empty" in m for m in messages)
    assert any("notes.csv" in m and "not recognised" in m for m in messages)


def test_extra_columns_ignored_and_missing_columns_skip_only_the_rules_needing_them(tmp_path):
    write(tmp_path / "header.csv", "CHILD,SEX,DOB,NOTES\n1,3,01/01/2012,hello\n")
    report = xv.validate(tmp_path, year="2022/23", rules=["101", "103"])
    assert report.findings["code"].tolist() == ["101"]
    assert "ETHNIC" in report.skipped["103"]
    messages = " ".join(str(i) for i in report.issues)
    assert "NOTES" in messages and "missing column(s) ETHNIC, UPN, MOTHER, MC_DOB" in messages


def test_empty_folder_and_missing_path_give_clear_errors(tmp_path):
    with pytest.raises(InputError, match="no .csv files"):
        read_return(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        read_return(tmp_path / "nope.xlsx")
    (tmp_path / "data.txt").write_text("x")
    with pytest.raises(InputError, match="expected an .xlsx workbook"):
        read_return(tmp_path / "data.txt")


def test_workbook_loose_sheet_names_title_rows_real_dates_and_numbers(tmp_path):
    path = _book(tmp_path / "903.xlsx", {
        "HEADER": [["Children looked after 2022/23"], [], ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
                   [1001, 1, datetime(2012, 1, 5), "WBRI", None, None, None],
                   [None] * 7,
                   ["1002", "2", "07/03/2013", "wbri", "", "", ""]],
        "episodes.csv": [["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                          "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"]],
        "Notes": [["anything"]],
    })
    ret = read_return(path)
    h = ret.tables["Header"]
    assert h.frame["CHILD"].tolist() == ["1001", "1002"]
    assert h.frame["DOB"].tolist() == ["05/01/2012", "07/03/2013"]
    assert h.rows.tolist() == [4, 6]  # the blank row 5 is dropped but row numbers stay true
    assert h.sheet == "HEADER" and h.cols["ETHNIC"] == 4
    assert len(ret.tables["Episodes"]) == 0
    assert any("'Notes'" in str(i) and "ignored" in str(i) for i in ret.issues)
    report = xv.validate(path, year="2022/23", rules=["101", "102"])
    assert report.findings[["code", "cell"]].values.tolist() == []
    report = xv.validate(path, year="2024/25", rules=["101"])
    assert report.findings["cell"].tolist() == ["HEADER!B4", "HEADER!B6"]


def test_excel_table_on_an_unnamed_sheet_is_found_by_its_header(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append([])
    ws.append([None, "CHILD", "DOB", "REVIEW", "REVIEW_CODE"])
    ws.append([None, "7", "01/01/2015", "01/06/2022", "PN9"])
    ws.add_table(ListObject(displayName="Reviews903", ref="B2:E3"))
    wb.save(tmp_path / "book.xlsx")
    report = xv.validate(tmp_path / "book.xlsx", year="2022/23")
    reviews = report.tables["Reviews"]
    assert reviews.sheet == "Sheet1" and reviews.cols["CHILD"] == 2 and reviews.rows.tolist() == [3]


def test_workbook_with_no_903_sheet_names_what_was_expected(tmp_path):
    path = _book(tmp_path / "book.xlsx", {"Budget": [["Cost", "Month"], [1, 2]]})
    with pytest.raises(InputError, match="no 903 tables found.*Header, Episodes"):
        read_return(path)


def test_corrupt_and_password_protected_workbooks(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(InputError, match="bad.xlsx: not a valid .xlsx"):
        read_return(bad)
    ole = tmp_path / "locked.xlsx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(InputError, match="password-protected"):
        read_return(ole)


def test_oversized_input_is_refused(tmp_path, monkeypatch):
    write(tmp_path / "header.csv", HEADER + "1,1,01/01/2012,WBRI,,,\n")
    monkeypatch.setenv("XL_VALIDATOR_MAX_FILE_MB", "0")
    with pytest.raises(InputError, match="larger than the"):
        read_return(tmp_path)


XML = """<?xml version="1.0" encoding="utf-8"?>
<EXPSSDA903>
 <CHILD>
  <HEADER><CHILDID>A1</CHILDID><UPN /><SEX>1</SEX><DOB>01/01/2012</DOB><ETHNIC>WBRI</ETHNIC><UASC>0</UASC>
   <AREVIEW><REVIEW>01/06/2022</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>
   <AREVIEW><REVIEW>01/12/2022</REVIEW><REVIEW_CODE>PN2</REVIEW_CODE></AREVIEW>
   <MOTHER /><MC_DOB />
   <IN_TOUCH /><DATE_INT />
  </HEADER>
  <EPISODE><DECOM>01/04/2021</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U4</PL><PL_POST>TW9 1DN</PL_POST>
   <HOME_POST>TW9 1DN</HOME_POST><URN>XXXXXXX</URN><PLACE_PROVIDER>PR1</PLACE_PROVIDER><DEC /><REC />
   <REASON_PLACE_CHANGE /></EPISODE>
  <EPISODE><DECOM>01/05/2022</DECOM><RNE>P</RNE></EPISODE>
 </CHILD>
</EXPSSDA903>
"""


def test_xml_submission_rows_take_values_from_their_own_group(tmp_path):
    path = write(tmp_path / "903.xml", XML)
    ret = read_return(path)
    assert ret.file_format == "xml"
    assert ret.tables["Header"].frame.loc[0, "UASC"] == "0"
    assert ret.tables["Reviews"].frame["REVIEW_CODE"].tolist() == ["PN1", "PN2"]
    eps = ret.tables["Episodes"].frame
    assert eps["PLACE"].tolist() == ["U4", ""]
    assert eps["URN"].tolist() == ["XXXXXXX", ""]  # no leak from the child's other episode
    assert "UASC" in ret.tables and len(ret.tables["OC3"]) == 0


def test_xml_with_entities_or_broken_markup_is_refused(tmp_path):
    bomb = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            "<EXPSSDA903><CHILD><HEADER><CHILDID>&b;</CHILDID></HEADER></CHILD></EXPSSDA903>")
    with pytest.raises(InputError, match="DTD or entities"):
        read_return(write(tmp_path / "bomb.xml", bomb))
    external = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                "<EXPSSDA903><CHILD><HEADER><CHILDID>&e;</CHILDID></HEADER></CHILD></EXPSSDA903>")
    with pytest.raises(InputError, match="refused"):
        read_return(write(tmp_path / "ext.xml", external))
    with pytest.raises(InputError, match="not well-formed"):
        read_return(write(tmp_path / "broken.xml", "<EXPSSDA903><CHILD>"))


def test_dataframes_of_any_dtype_become_text():
    header = pd.DataFrame({"CHILD": [1, 2], "SEX": [1.0, None], "DOB": pd.to_datetime(["2012-01-05", None]),
                           "ETHNIC": ["WBRI", "WBRI"], "UPN": ["", ""], "MOTHER": ["", ""], "MC_DOB": ["", ""]})
    ret = read_return({"header": header})
    f = ret.tables["Header"].frame
    assert f["CHILD"].tolist() == ["1", "2"] and f["SEX"].tolist() == ["1", ""]
    assert f["DOB"].tolist() == ["05/01/2012", ""]


def test_header_uasc_is_derived_from_the_uasc_table(tmp_path):
    write(tmp_path / "header.csv", HEADER + "1,1,01/01/2006,WBRI,,,\n2,1,01/01/2006,WBRI,,,\n")
    write(tmp_path / "uasc.csv", "CHILD,SEX,DOB,DUC\n2,1,01/01/2006,01/01/2024\n")
    assert read_return(tmp_path).tables["Header"].frame["UASC"].tolist() == ["0", "1"]


def test_a_csv_line_with_more_values_than_columns_is_reported_and_the_rest_read(tmp_path):
    write(tmp_path / "header.csv", HEADER + "1,1,01/01/2012,WBRI,,,\n")
    write(tmp_path / "reviews.csv", "CHILD,DOB,REVIEW,REVIEW_CODE\n1,01/01/2012,05/05/2022,PN1,oops\n"
                                    "2,01/01/2012,06/05/2022,PN1\n")
    ret = read_return(tmp_path)
    reviews = ret.tables["Reviews"]
    assert reviews.frame["CHILD"].tolist() == ["2"] and reviews.rows.tolist() == [3]
    message = next(str(i) for i in ret.issues if "reviews.csv" in str(i))
    assert "line 2: 5 values where the header row has 4 columns; this line was not read" in message


@pytest.mark.parametrize("values", [
    ["", None, "x"],  # text and blanks only
    [datetime(2025, 4, 1).date(), "", None, "01/04/2025", datetime(2025, 4, 1).date()],  # dates
    [datetime(2025, 4, 1, 13, 5), datetime(2025, 4, 1), "n/a"],
    [1.0, 2.5, 1.0, None, "a", 3.0],  # numbers typed as floats
    [True, False, True, "1"],
    [float("nan"), float("nan"), "x"],
    [datetime(999, 12, 31).date(), datetime(1000, 1, 1).date()],  # a year strftime pads its own way
    [None, None],
])
def test_a_column_holding_one_kind_of_value_converts_as_single_cells_would(values):
    """A column with one kind of value besides text and blanks is converted per distinct value,
    the usual case (a column of dates); each cell still reads as ``cell_text`` of it."""
    from xl_validator.read.table import build_table, cell_text

    rows = [[f"C{i}", v] for i, v in enumerate(values)]
    table, _ = build_table("Header", ["CHILD", "DOB"], rows, "test", first_row=2)
    assert table.frame["DOB"].tolist() == [cell_text(v) for v in values]
    assert table.frame["DOB"].dtype == object


def test_a_column_converts_each_kind_of_value_as_a_single_cell_would():
    """Values converted once per column are kept apart by type: 1, 1.0 and True are equal keys in
    Python, a date and a datetime of the same day are not."""
    from datetime import date

    from xl_validator.read.table import build_table, cell_text

    values = [1, 1.0, True, 0, False, 2.5, date(2025, 4, 1), datetime(2025, 4, 1, 13, 5), pd.Timestamp("2025-04-01"),
              float("nan"), None, "  text ", "", pd.NaT, [1], 1, True, date(2025, 4, 1)]
    rows = [[f"C{i}", v] for i, v in enumerate(values)]
    table, _ = build_table("Header", ["CHILD", "DOB"], rows, "test", first_row=2)
    assert table.frame["DOB"].tolist() == [cell_text(v) for v in values]
    assert table.frame["DOB"].tolist()[:4] == ["1", "1", "1", "0"]
