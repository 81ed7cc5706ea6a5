"""Export to the DfE's CSV files and XML file: round trips, text kept as typed, refusals."""
import argparse
import re
from pathlib import Path

import pandas as pd
import pytest

from xl_validator import catalogue
from xl_validator.export import ExportRefused, export_return
from xl_validator.export.commands import add_commands
from xl_validator.read import InputError, read_return

DEMO = Path(__file__).resolve().parent.parent / "workbook_templates" / "demo" / "903_demo_2025-26.xlsx"


def frames(tables):
    return {n: t.frame.astype(object) for n, t in tables.items()}


def small(**changes):
    """A tiny return as DataFrames; ``changes`` replaces whole tables."""
    base = {
        "Header": pd.DataFrame({"CHILD": ["007", "0420"], "SEX": ["m", "F"], "DOB": ["01/02/2012", "03/04/2015"],
                                "ETHNIC": ["wbri", "WBRI"], "UPN": ["UN1", "A123456789012"], "MOTHER": ["", ""],
                                "MC_DOB": ["", ""]}),
        "Episodes": pd.DataFrame({"CHILD": ["007", "007", "0420"], "DECOM": ["01/05/2025", "01/07/2025", "02/06/2025"],
                                  "RNE": ["S", "P", "S"], "LS": ["C2", "C2", "V2"], "CIN": ["N1", "N1", "N2"],
                                  "PLACE": ["U1", "U3", "U1"], "PLACE_PROVIDER": ["PR1"] * 3,
                                  "DEC": ["01/07/2025", "", ""], "REC": ["X1", "", ""],
                                  "REASON_PLACE_CHANGE": ["", "", ""], "HOME_POST": ["tw9 1dn", "TW9 1DN", "SW1A 1AA"],
                                  "PL_POST": ["TW10 6AA", "TW10 6AB", ""], "URN": ["0012345", "SC400034", "XXXXXXX"]}),
        "UASC": pd.DataFrame({"CHILD": ["0420"], "SEX": ["F"], "DOB": ["03/04/2015"], "DUC": ["03/04/2033"]}),
        "OC3": pd.DataFrame({"CHILD": ["007"], "DOB": ["01/02/2012"], "IN_TOUCH": ["yes"], "ACTIV": ["F2"],
                             "ACCOM": ["B1"]}),
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def refusal(source, tmp_path, fmt="csv"):
    out = tmp_path / "out"
    with pytest.raises(ExportRefused) as e:
        export_return(source, out, fmt=fmt)
    assert not out.exists() or not any(out.iterdir()), "a refused export must write nothing"
    return str(e.value)


def test_csv_round_trip_on_the_demo_return(tmp_path):
    src = read_return(DEMO)
    written = export_return(DEMO, tmp_path / "csv")
    names = [p.name for p in written]
    assert names == [catalogue.all_tables()[t]["csv_files"][0] for t in src.tables]
    assert "header.csv" in names and "placed_for_adoption.csv" in names and "sw_episodes.csv" in names
    header = (tmp_path / "csv" / "header.csv").read_bytes()
    assert not header.startswith(b"\xef\xbb\xbf")
    assert header.split(b"\r\n")[0] == b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"  # no derived UASC
    assert re.match(rb"0\d+,[^,]+,\d{2}/\d{2}/\d{4},", header.split(b"\r\n")[1])  # leading zeros, Excel date as text
    back = read_return(tmp_path / "csv")
    assert back.issues == []
    assert set(back.tables) == set(src.tables)
    a, b = frames(src.tables), frames(back.tables)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)
    assert written.neutralised == []


def test_xml_round_trip_on_the_demo_return(tmp_path):
    src = read_return(DEMO)
    written = export_return(DEMO, tmp_path, fmt="xml")
    assert [p.name for p in written] == ["903_demo_2025-26.xml"]
    assert any("SWEpisodes" in n and "not in the XML" in n for n in written.notes)
    text = written[0].read_text(encoding="utf-8")
    assert "<EXPSSDA903>" in text and "<CHILDID>" in text and "<PL>" in text and "<SW_ID>" not in text
    back = read_return(written[0])
    a, b = frames(src.tables), frames(back.tables)
    assert set(a) - set(b) == {"SWEpisodes"}  # the XML has no known layout for it
    order = {child: i for i, child in enumerate(a["Header"]["CHILD"])}
    compared = 0
    for name, frame in a.items():
        if name == "SWEpisodes":
            continue
        # XML groups rows under their child, in Header's order
        expected = frame.iloc[frame["CHILD"].map(order).argsort(kind="stable")].reset_index(drop=True)
        got = b[name]
        if name == "UASC":
            # the XML carries UASC=0/1 for every child; a reader makes a UASC row for any value
            assert len(got) == len(a["Header"])
            assert set(got.loc[got["DUC"] != "", "CHILD"]) <= set(frame["CHILD"])
            got = got[got["CHILD"].isin(set(frame["CHILD"]))].reset_index(drop=True)
        pd.testing.assert_frame_equal(expected, got, obj=name)
        compared += 1
    assert compared == len(a) - 1
    assert a["Header"]["UASC"].isin(["0", "1"]).all()


def test_leading_zeros_lower_case_and_text_kept_in_both_formats(tmp_path):
    data = small()
    csv_out = export_return(data, tmp_path / "csv")
    body = (tmp_path / "csv" / "header.csv").read_text(encoding="utf-8")
    assert "007,m,01/02/2012,wbri,UN1,," in body and "0420,F" in body
    assert "0012345" in (tmp_path / "csv" / "episodes.csv").read_text(encoding="utf-8")
    assert "007,01/02/2012,yes,F2,B1" in (tmp_path / "csv" / "oc3.csv").read_text(encoding="utf-8")
    back = read_return(tmp_path / "csv")
    for name, frame in frames(read_return(data).tables).items():
        pd.testing.assert_frame_equal(frame, frames(back.tables)[name], obj=name)
    xml_out = export_return(data, tmp_path / "xml", fmt="xml")
    text = xml_out[0].read_text(encoding="utf-8")
    assert "<CHILDID>007</CHILDID>" in text and "<HOME_POST>tw9 1dn</HOME_POST>" in text
    assert "<IN_TOUCH>yes</IN_TOUCH>" in text and "<URN>0012345</URN>" in text
    assert text.count("<UASC>1</UASC>") == 1 and text.count("<UASC>0</UASC>") == 1
    assert len(csv_out) == 4 and csv_out.notes == []


def test_values_that_look_like_formulas_are_neutralised_in_csv_and_reported(tmp_path):
    formula = '=HYPERLINK("http://example.com","click")'
    data = small()
    data["Episodes"].loc[1, "HOME_POST"] = formula
    data["Episodes"].loc[2, "PL_POST"] = "@SUM(A1)"
    for table in ("Header", "Episodes", "UASC"):
        data[table]["CHILD"] = data[table]["CHILD"].replace("0420", "+447700900123")
    out = export_return(data, tmp_path)
    got = {(n.table, n.column, n.value) for n in out.neutralised}
    assert ("Episodes", "HOME_POST", formula) in got
    assert ("Episodes", "PL_POST", "@SUM(A1)") in got
    assert ("Header", "CHILD", "+447700900123") in got and ("UASC", "CHILD", "+447700900123") in got
    assert "DataFrame 'Episodes', row 1" in str(next(n for n in out.neutralised if n.column == "HOME_POST"))
    episodes = (tmp_path / "episodes.csv").read_text(encoding="utf-8")
    assert '"\'=HYPERLINK(""http://example.com"",""click"")"' in episodes
    assert "'@SUM(A1)" in episodes and "'+447700900123" in episodes
    assert all(not line.startswith(("=", "+", "-", "@")) for f in out for line in
               f.read_text(encoding="utf-8").replace(",", "\n").splitlines())
    # opting out writes the values exactly; XML is not opened as a spreadsheet and is never changed
    exact = export_return(data, tmp_path / "exact", neutralise=False)
    assert exact.neutralised == [] and "+447700900123" in (tmp_path / "exact" / "header.csv").read_text()
    assert "\n+447700900123," in (tmp_path / "exact" / "header.csv").read_text()
    xml = export_return(data, tmp_path / "xml", fmt="xml")
    assert xml.neutralised == [] and "<CHILDID>+447700900123</CHILDID>" in xml[0].read_text(encoding="utf-8")


def test_cli_prints_neutralised_cells(tmp_path, capsys):
    data = small()
    data["Episodes"].loc[0, "HOME_POST"] = "-1"
    folder = tmp_path / "csv_in"
    export_return(data, folder, neutralise=False)
    p = argparse.ArgumentParser()
    add_commands(p.add_subparsers())
    args = p.parse_args(["export", str(folder), "--to", str(tmp_path / "out"), "--format", "csv"])
    assert args.func(args) == 0
    printed = capsys.readouterr().out
    assert "Written:" in printed and "episodes.csv" in printed
    assert "1 value(s) start like a formula" in printed and "Episodes.HOME_POST '-1'" in printed
    args = p.parse_args(["export", str(folder), "--to", str(tmp_path / "xml"), "--format", "xml"])
    assert args.func(args) == 0
    assert (tmp_path / "xml" / "csv_in.xml").is_file()


@pytest.mark.parametrize("fmt", ["csv", "xml"])
def test_refuses_missing_and_unknown_columns(tmp_path, fmt):
    header = small()["Header"].drop(columns=["ETHNIC"]).assign(NOTES="x")
    message = refusal(small(Header=header), tmp_path, fmt)
    assert "table Header lacks column(s) ETHNIC" in message
    assert "ignored column(s) not in Header: NOTES; the DfE would reject or misread table Header" in message
    no_child = small()
    no_child["OC3"] = no_child["OC3"].drop(columns=["CHILD", "IN_TOUCH"])
    no_child["Header"] = no_child["Header"].drop(columns=["CHILD"])
    message = refusal(no_child, tmp_path, fmt)
    assert "table OC3 lacks column(s) CHILD, IN_TOUCH" in message and "table Header lacks column(s) CHILD" in message


@pytest.mark.parametrize("fmt", ["csv", "xml"])
def test_refuses_blank_child_and_child_repeated_in_header(tmp_path, fmt):
    data = small()
    data["Header"] = pd.concat([data["Header"], data["Header"].iloc[[0]]], ignore_index=True)
    data["Episodes"].loc[2, "CHILD"] = " "
    message = refusal(data, tmp_path, fmt)
    assert "DataFrame 'Episodes', row 2: table Episodes, column CHILD is blank" in message
    assert "DataFrame 'Header', row 2: table Header, CHILD '007' repeats row 0" in message
    assert "INT32" in message


def test_xml_refusals_say_which_table_row_and_column(tmp_path):
    data = small()
    data["Episodes"].loc[2, "CHILD"] = "999"
    data["Reviews"] = pd.DataFrame({"CHILD": ["007"], "DOB": ["02/02/2012"], "REVIEW": ["01/06/2025"],
                                    "REVIEW_CODE": ["PN1"]})
    data["OC3"] = pd.DataFrame({"CHILD": ["007", "007"], "DOB": ["01/02/2012"] * 2, "IN_TOUCH": ["", "YES"],
                                "ACTIV": ["F2", "F2"], "ACCOM": ["B1", "B1"]})
    data["Header"].loc[1, "UPN"] = "A12\x0b"
    message = refusal(data, tmp_path, "xml")
    assert "DataFrame 'Episodes', row 2: table Episodes, CHILD '999' is not in Header" in message
    assert "table Reviews, DOB '02/02/2012' differs from Header's '01/02/2012'" in message
    assert "table OC3, CHILD '007' repeats row 0; the XML has room for one OC3 record per child" in message
    assert "row 0: table OC3, column IN_TOUCH is blank" in message
    assert "table Header, column UPN holds a control character" in message
    # the same data is a valid CSV upload: those are validation errors the DfE reports, not format errors
    data["Header"].loc[1, "UPN"] = "A12"
    assert len(export_return(data, tmp_path / "csv")) == 5


def test_xml_needs_header_and_long_refusals_are_cut(tmp_path):
    message = refusal({"Episodes": small()["Episodes"]}, tmp_path, "xml")
    assert "no Header table" in message
    header = pd.DataFrame({c: [""] * 50 for c in catalogue.columns("Header")}).assign(SEX="M")
    message = refusal({"Header": header}, tmp_path, "csv")
    assert message.startswith("Nothing exported: 50 problem(s)") and "... and 20 more" in message


def test_never_overwrites_the_input(tmp_path):
    folder = tmp_path / "return"
    export_return(small(), folder)
    before = (folder / "header.csv").read_bytes()
    assert "is the folder being exported" in refusal_in_place(folder)
    assert (folder / "header.csv").read_bytes() == before
    xml = export_return(folder, tmp_path / "x", fmt="xml")[0]
    with pytest.raises(ExportRefused, match="is the input file"):
        export_return(xml, xml.parent, fmt="xml")


def refusal_in_place(folder):
    with pytest.raises(ExportRefused) as e:
        export_return(folder, folder)
    return str(e.value)


def test_notes_for_what_is_written_as_typed(tmp_path):
    data = small(UASC=None)
    data["Header"]["UASC"] = ["1", ""]
    data["Episodes"].loc[0, "DEC"] = "2025-07-01"
    data["Episodes"].loc[2, "PL_POST"] = "TW10 6AA "
    out = export_return(data, tmp_path / "xml", fmt="xml", year="2025/26")
    text = out[0].read_text(encoding="utf-8")
    assert "<UASC>1</UASC>" in text and "<UASC />" in text
    notes = "\n".join(out.notes)
    assert "no UASC table was supplied" in notes
    assert "1 Episodes.DEC value(s) are not dd/mm/yyyy (first: DataFrame 'Episodes', row 0, '2025-07-01')" in notes
    assert "1 Episodes.PL_POST value(s) start or end with spaces" in notes
    out = export_return(data, tmp_path / "csv")
    notes = "\n".join(out.notes)
    assert "1 child(ren) have UASC 1 in Header but no UASC row (first: CHILD '007')" in notes
    assert "spaces" not in notes and "2025-07-01" in (tmp_path / "csv" / "episodes.csv").read_text()
    (tmp_path / "csv" / "old_export.csv").write_text("x\n")
    again = export_return(data, tmp_path / "csv")
    assert any("also holds old_export.csv" in n for n in again.notes)


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(InputError, match="export format 'json': choose 'csv' or 'xml'"):
        export_return(small(), tmp_path, fmt="json")


def test_workbook_refusal_points_at_the_sheet_row(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Header"
    ws.append(["Our 903 header, checked by J."])  # a title row above the header is fine
    ws.append(catalogue.columns("Header"))
    ws.append(["001", "M", "01/02/2012", "WBRI", "UN1", None, None])
    ws.append(["001", "F", "01/02/2013", "WBRI", "UN1", None, None])
    book = tmp_path / "903.xlsx"
    wb.save(book)
    message = refusal(book, tmp_path)
    assert f"{book}, sheet 'Header', row 4: table Header, CHILD '001' repeats row 3" in message
