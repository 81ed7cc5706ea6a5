"""Safe bulk fixes: each transform's edge cases, the cells a fix run changes (and only those),
the findings it clears, the log and undo, CSV input, and the fix command."""
import argparse
import hashlib
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from rulecheck import frame

import xl_validator as xv
from xl_validator.fix import apply_to_workbook, preview, undo
from xl_validator.fix.apply import LOG_HEADER, LOG_SHEET, MARKS_SHEET
from xl_validator.fix.commands import add_commands
from xl_validator.fix.fixes import BY_NAME, Column, columns, resolves
from xl_validator.read import InputError
from xl_validator.sample.workbook import write_return_workbook

DEMO = Path(__file__).resolve().parent.parent / "workbook_templates" / "demo"
THIS, LAST = DEMO / "903_demo_2025-26.xlsx", DEMO / "903_demo_2024-25.xlsx"
PROVIDERS = DEMO / "ofsted_providers_demo.xlsx"
RESULT_SHEETS = {"Summary", "Errors", "Rules", "xl_validator", LOG_SHEET, MARKS_SHEET}


def column(table, name):
    return next(c for c in columns(table) if c.name == name)


def fixed(fix, values, table, name, year="2025/26"):
    """Run one fix on a column of values; the values it returns."""
    col = column(table, name)
    assert BY_NAME[fix].applies(col)
    return BY_NAME[fix].run(pd.Series(values, dtype=object), col, year).tolist()


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def cells(path, skip=RESULT_SHEETS):
    """{(sheet, coordinate): value} of every non-empty cell of the data sheets."""
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets if ws.title not in skip
            for row in ws.iter_rows() for c in row if c.value is not None}


def differing(a, b):
    return {k for k in set(a) | set(b) if (a.get(k), type(a.get(k))) != (b.get(k), type(b.get(k)))}


def preview_cells(changes):
    return {(s, c.rsplit("!", 1)[1]) for s, c in zip(changes["sheet"], changes["cell"])}


# --- the transforms ----------------------------------------------------------------

@pytest.mark.parametrize("typed, expected", [
    ("1/4/25", "01/04/2025"), ("2025-04-01", "01/04/2025"), ("2025-04-01 00:00:00", "01/04/2025"),
    ("2025-04-01T00:00:00", "01/04/2025"), ("1-4-2025", "01/04/2025"), ("1.4.2025", "01/04/2025"),
    ("1/4/2025", "01/04/2025"), ("45748", "01/04/2025"), ("29/2/24", "29/02/2024"), ("1/4/99", "01/04/1999"),
    ("1/4/27", "01/04/2027"),
    # left alone: impossible, US order, a time of day, out of any 903 range, partial, already right
    ("31/02/2025", "31/02/2025"), ("31/2/25", "31/2/25"), ("29/2/25", "29/2/25"), ("04/13/2025", "04/13/2025"),
    ("2025-13-01", "2025-13-01"), ("2025-04-01 13:45:00", "2025-04-01 13:45:00"), ("12345", "12345"),
    ("1/4/60", "1/4/60"), ("ZZ/06/2015", "ZZ/06/2015"), ("01/04/2025", "01/04/2025"), ("", ""), ("soon", "soon"),
    ("1/4/202", "1/4/202"), ("1-4/2025", "1-4/2025"),
])
def test_dates(typed, expected):
    assert fixed("date_format", [typed], "Episodes", "DECOM") == [expected]


def test_dates_in_one_column_each_fixed_as_on_its_own():
    """A column mixing right dates (left unparsed), blanks and every fixable or odd form gives,
    value by value, what each value gives alone."""
    typed = ["01/04/2025", "1/4/25", "", "2025-04-01", "31/02/2025", "45748", "soon", "29/2/24", "01/04/2025"] * 3
    assert fixed("date_format", typed, "Episodes", "DECOM") == [
        fixed("date_format", [t], "Episodes", "DECOM")[0] for t in typed]


@pytest.mark.parametrize("typed, expected", [
    ("tw91dn", "TW9 1DN"), ("tw9  1dn", "TW9 1DN"), ("SW1A1AA", "SW1A 1AA"), ("m11ae", "M1 1AE"),
    ("TW9 1DN", "TW9 1DN"), ("TW9", "TW9"), ("TW9 1CN", "TW9 1CN"), ("ABC 123", "ABC 123"), ("", ""),
])
def test_postcodes(typed, expected):
    assert fixed("postcode_format", [typed], "Episodes", "PL_POST") == [expected]


def test_upper_case_only_when_the_result_is_a_code_or_well_formed():
    assert fixed("upper_case", ["wbri", "xyz", "WBRI"], "Header", "ETHNIC") == ["WBRI", "xyz", "WBRI"]
    assert fixed("upper_case", ["a123456789012", "i123456789012", "un1", "a12345"], "Header", "UPN") == \
        ["A123456789012", "i123456789012", "UN1", "a12345"]
    assert fixed("upper_case", ["sc123456", "xxxxxxx", "sc12"], "Episodes", "URN") == ["SC123456", "XXXXXXX", "sc12"]
    assert fixed("upper_case", ["zz/06/2015"], "PrevPerm", "DATE_PERM") == ["ZZ/06/2015"]
    assert fixed("upper_case", ["pr1", "u6"], "Episodes", "PLACE_PROVIDER") == ["PR1", "u6"]


def test_synonyms_follow_the_years_code_list():
    assert fixed("code_synonym", ["Male", "female", "1", "2", "boy"], "Header", "SEX") == ["M", "F", "M", "F", "boy"]
    assert fixed("code_synonym", ["Male", "F", "m"], "Header", "SEX", year="2023/24") == ["1", "2", "1"]
    assert fixed("code_synonym", ["Yes", "n", "maybe"], "Header", "MOTHER") == ["1", "0", "maybe"]
    assert fixed("code_synonym", ["White  British", "Indian"], "Header", "ETHNIC") == ["WBRI", "AIND"]


def test_trim_and_what_is_never_touched():
    assert fixed("trim_spaces", [" 000001 ", "\u00a0SW123\t"], "Header", "CHILD") == ["000001", "SW123"]
    la_perm = column("PrevPerm", "LA_PERM")
    assert [f.name for f in BY_NAME.values() if f.applies(la_perm)] == ["trim_spaces", "code_synonym", "upper_case"]
    assert not any(f.applies(column("SWEpisodes", "SW_ID")) for f in BY_NAME.values() if f.name != "trim_spaces")


def test_resolves_comes_from_the_rule_catalogue():
    assert resolves(BY_NAME["date_format"], column("Episodes", "DEC"), "2025/26") == ("147",)
    assert resolves(BY_NAME["upper_case"], column("Header", "ETHNIC"), "2025/26") == ("103",)
    assert resolves(BY_NAME["trim_spaces"], column("SWEpisodes", "SW_REASON"), "2025/26") == ("SW13STG1",)
    assert resolves(BY_NAME["postcode_format"], column("Episodes", "PL_POST"), "2025/26") == ()
    assert resolves(BY_NAME["trim_spaces"], Column("Header", "CHILD", "text", None), "2025/26") == ()


# --- a crafted return: mechanical mistakes only --------------------------------------

def crafted(tmp_path, year="2025/26"):
    tables = {
        "Header": frame("Header", [
            {"CHILD": "1", "SEX": "Male", "DOB": "2012-01-05", "ETHNIC": " wbri", "UPN": "a123456789012", "MOTHER": ""},
            {"CHILD": "2", "SEX": "f", "DOB": "05/01/2013", "ETHNIC": "white british", "UPN": "UN1", "MOTHER": "no"},
        ]),
        "Episodes": frame("Episodes", [
            {"CHILD": "1", "DECOM": "1/4/25", "RNE": "s", "LS": "C2 ", "CIN": "n1", "PLACE": "u4",
             "PLACE_PROVIDER": "pr1", "HOME_POST": "tw91dn", "PL_POST": "TW10 6AA", "URN": "XXXXXXX"},
            {"CHILD": "2", "DECOM": "02/04/2025", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U4",
             "PLACE_PROVIDER": "PR1", "HOME_POST": "TW9 1DN", "PL_POST": "TW10 6AA", "URN": "XXXXXXX"},
        ]),
        "Reviews": frame("Reviews", [{"CHILD": "1", "DOB": "05/01/2012", "REVIEW": "2025-05-01", "REVIEW_CODE": "pn1"},
                                     {"CHILD": "2", "DOB": "05/01/2013", "REVIEW": "", "REVIEW_CODE": "PN1"}]),
    }
    path = write_return_workbook(tables, tmp_path / "crafted.xlsx", year, dropdowns=False)
    wb = openpyxl.load_workbook(path)
    wb["Reviews"]["C3"].value = 45778  # 01/05/2025 as an Excel serial number in a General cell
    wb["Reviews"]["C3"].number_format = "General"
    wb.save(path)
    return path


def test_crafted_return_every_claimed_finding_cleared_and_only_previewed_cells_changed(tmp_path):
    path = crafted(tmp_path)
    before_digest = digest(path)
    shown = preview(path, year="2025/26")
    assert dict(zip(shown["cell"], shown["new"])) == {
        "Header!B2": "M", "Header!C2": "05/01/2012", "Header!D2": "WBRI", "Header!E2": "A123456789012",
        "Header!B3": "F", "Header!D3": "WBRI", "Header!F3": "0",
        "Episodes!B2": "01/04/2025", "Episodes!C2": "S", "Episodes!D2": "C2", "Episodes!E2": "N1",
        "Episodes!F2": "U4", "Episodes!G2": "PR1", "Episodes!K2": "TW9 1DN",
        "Reviews!C2": "01/05/2025", "Reviews!C3": "01/05/2025", "Reviews!D2": "PN1",
    }
    assert shown.set_index("cell").loc["Header!D2", "fix"] == "trim_spaces+upper_case"
    out = tmp_path / "fixed.xlsx"
    result = apply_to_workbook(path, out, year="2025/26")
    assert digest(path) == before_digest
    before, after = cells(path), cells(out)
    assert differing(before, after) == preview_cells(shown)
    for ch in shown.itertuples():
        value = after[(ch.sheet, ch.cell.rsplit("!", 1)[1])]
        if ch.cell in ("Header!C2", "Episodes!B2"):  # date columns holding real dates get a real date
            assert value == datetime.strptime(ch.new, "%d/%m/%Y")
            cell = openpyxl.load_workbook(out)[ch.sheet][ch.cell.rsplit("!", 1)[1]]
            assert cell.number_format == "dd/mm/yyyy"
        else:  # Reviews.REVIEW holds a serial number and text, no real date: text as before
            assert value == ch.new and isinstance(value, str)
    claimed = {code for codes in shown["resolves"] for code in codes}
    assert {"101", "102", "103", "141", "144", "166"} <= claimed
    fired = set(result.before.findings["code"])
    assert {"101", "102", "103", "141", "144", "166"} <= fired  # mechanical causes only
    again = xv.validate(out, year="2025/26")
    for ch in shown.itertuples():
        hits = again.findings[(again.findings["table"] == ch.table) & (again.findings["row"] == ch.row)
                              & again.findings["code"].isin(ch.resolves)]
        assert not len(hits[hits["fields"].map(lambda f, c=ch.column: c in f)]), ch
    counts = result.counts.set_index("code")
    assert counts.loc["102", "after"] == 0 and counts.loc["102", "before"] == 1


def test_formatting_kept_log_written_and_undo_restores_exactly(tmp_path):
    path = crafted(tmp_path)
    out, back = tmp_path / "fixed.xlsx", tmp_path / "undone.xlsx"
    result = apply_to_workbook(path, out, year="2025/26")
    src, dst = openpyxl.load_workbook(path), openpyxl.load_workbook(out)
    for ch in result.changes.itertuples():
        a, b = src[ch.sheet][ch.cell.rsplit("!", 1)[1]], dst[ch.sheet][ch.cell.rsplit("!", 1)[1]]
        assert (a.number_format, a.font.b, a.alignment.horizontal) == (b.number_format, b.font.b, b.alignment.horizontal)
    log = list(dst[LOG_SHEET].iter_rows(values_only=True))
    assert list(log[0]) == LOG_HEADER and len(log) == len(result.changes) + 1
    serial = next(r for r in log[1:] if r[1] == "C3" and r[0] == "Reviews")
    assert serial[3] == 45778 and serial[4] == "01/05/2025" and serial[5] == "date_format" and serial[6] == "166"
    summary = [r for r in dst["Summary"].iter_rows(values_only=True)]
    assert any("Before / after fixing" in r for r in summary)
    done = undo(out, back)
    assert done.restored == len(result.changes) and done.edited_since == []
    assert differing(cells(path), cells(back)) == set()
    assert not RESULT_SHEETS & set(openpyxl.load_workbook(back).sheetnames)


def test_only_applies_the_fixes_for_those_rules(tmp_path):
    path = crafted(tmp_path)
    dates = preview(path, year="2025/26", only="102,141")
    assert set(dates["cell"]) == {"Header!C2", "Episodes!B2"} and set(dates["fix"]) == {"date_format"}
    ethnic = preview(path, year="2025/26", only=["103"])
    assert set(ethnic["cell"]) == {"Header!D2", "Header!D3"}
    with pytest.raises(InputError, match="not in force"):
        preview(path, year="2025/26", only="999X")


def test_refuses_to_overwrite_the_input_and_undo_needs_a_log(tmp_path):
    path = crafted(tmp_path)
    with pytest.raises(InputError, match="must not be the input"):
        apply_to_workbook(path, path, year="2025/26")
    with pytest.raises(InputError, match="no 'Fix log' sheet"):
        undo(path, tmp_path / "x.xlsx")


def test_text_with_leading_equals_stays_text_through_fix_and_undo(tmp_path):
    tables = {"Header": frame("Header", [{"CHILD": " =1+1", "SEX": "M", "DOB": "01/01/2012", "ETHNIC": "WBRI"}])}
    path = write_return_workbook(tables, tmp_path / "eq.xlsx", "2025/26", dropdowns=False)
    out, back = tmp_path / "fixed.xlsx", tmp_path / "back.xlsx"
    apply_to_workbook(path, out, year="2025/26")
    cell = openpyxl.load_workbook(out)["Header"]["A2"]
    assert cell.value == "=1+1" and cell.data_type == "s"
    undo(out, back)
    restored = openpyxl.load_workbook(back)["Header"]["A2"]
    assert restored.value == " =1+1" and restored.data_type == "s"


def test_csv_folder_gives_a_fixed_workbook_and_undo(tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "header.csv").write_text("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n007, m ,2012-01-05,wbri,UN1,,\n")
    shown = preview(folder, year="2025/26")
    assert dict(zip(shown["cell"], shown["new"])) == {"Header!B2": "M", "Header!C2": "05/01/2012",
                                                      "Header!D2": "WBRI"}
    out, back = tmp_path / "fixed.xlsx", tmp_path / "back.xlsx"
    apply_to_workbook(folder, out, year="2025/26")
    ws = openpyxl.load_workbook(out)["Header"]
    assert [c.value for c in ws[2]][:4] == ["007", "M", "05/01/2012", "WBRI"]
    undo(out, back)
    ws = openpyxl.load_workbook(back)["Header"]
    assert [c.value for c in ws[2]][:4] == ["007", " m ", "2012-01-05", "wbri"]


# --- the demo return -----------------------------------------------------------------

@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("demo")
    out = tmp / "fixed.xlsx"
    result = apply_to_workbook(THIS, out, year="2025/26", previous=LAST, local_authority="E09000027",
                               provider_info=[PROVIDERS])
    return result, out, tmp


def test_demo_changes_exactly_the_previewed_cells(demo):
    result, out, _ = demo
    shown = preview(THIS, year="2025/26")
    pd.testing.assert_frame_equal(shown, result.changes)
    assert differing(cells(THIS), cells(out)) == preview_cells(shown)
    assert set(shown["fix"]) == {"upper_case", "date_format"}


def test_demo_before_and_after_counts(demo):
    result, out, _ = demo
    counts = result.counts.set_index("code")
    assert (counts.loc["147", "before"], counts.loc["147", "after"]) == (12, 0)
    assert (counts["after"] <= counts["before"]).all()
    assert len(result.after.findings) < len(result.before.findings)
    wb = openpyxl.load_workbook(out)
    assert wb.active.title == "Summary" and {"Errors", "Rules", LOG_SHEET} <= set(wb.sheetnames)
    assert len(list(wb["Errors"].iter_rows())) == len(result.after.findings) + 1


def test_demo_before_and_after_are_what_validate_finds_on_the_input_and_on_the_fixed_copy(demo):
    """The fix run reads each input once and shares it between its two validations: each must
    still find exactly what a plain validate finds, with every input given (providers included)."""
    result, out, _ = demo
    key = ["code", "table", "row", "child"]
    inputs = {"year": "2025/26", "previous": LAST, "local_authority": "E09000027", "provider_info": [PROVIDERS]}
    for report, source in ((result.before, THIS), (result.after, out)):
        plain = xv.validate(source, **inputs)
        pd.testing.assert_frame_equal(report.findings[key].sort_values(key, ignore_index=True),
                                      plain.findings[key].sort_values(key, ignore_index=True))
        assert report.inputs["providers"] == [str(PROVIDERS)] and set(report.ran) == set(plain.ran)
    assert not [why for why in result.before.skipped.values() if "provider" in why]  # the provider rules ran


def test_demo_undo_restores_every_value(demo):
    _, out, tmp = demo
    undo(out, tmp / "undone.xlsx")
    assert differing(cells(THIS), cells(tmp / "undone.xlsx")) == set()


# --- the command ----------------------------------------------------------------------

def parser():
    p = argparse.ArgumentParser(prog="xl-validator")
    add_commands(p.add_subparsers(dest="command", required=True))
    return p


def run(argv):
    args = parser().parse_args(argv)
    return args.func(args)


def test_command_dry_run_fix_and_undo(tmp_path, capsys):
    path = crafted(tmp_path)
    out, back = tmp_path / "fixed.xlsx", tmp_path / "back.xlsx"
    assert run(["fix", str(path), "--year", "2025/26", "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "17 cells would change." in printed and "date_format" in printed and "upper_case" in printed
    lines = [line.split() for line in printed.splitlines()]
    assert any(row[:4] == ["Episodes!B2", "'1/4/25'", "'01/04/2025'", "date_format"] for row in lines)
    assert sum(1 for row in lines if row and "!" in row[0]) == 17  # each change listed
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["crafted.xlsx"]
    assert run(["fix", str(path), "--year", "2025/26", "--only", "102", "--out", str(out)]) == 0
    assert "1 cells changed." in capsys.readouterr().out
    assert run(["fix", str(out), "--undo", "--out", str(back)]) == 0
    assert "Restored 1 cells" in capsys.readouterr().out
    assert differing(cells(path), cells(back)) == set()
    with pytest.raises(InputError, match="needs --out"):
        run(["fix", str(path), "--year", "2025/26"])


XML = """<?xml version="1.0" encoding="utf-8"?>
<EXPSSDA903>
 <CHILD>
  <HEADER><CHILDID>A1</CHILDID><UPN>UN1</UPN><SEX>m</SEX><DOB>2012-01-01</DOB><ETHNIC>WBRI</ETHNIC>
   <AREVIEW><REVIEW>1/6/25</REVIEW><REVIEW_CODE>pn1</REVIEW_CODE></AREVIEW>
  </HEADER>
  <EPISODE><DECOM>01/04/2025</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>u4</PL><PL_POST>tw106aa</PL_POST>
   <HOME_POST>TW9 1DN</HOME_POST><URN>XXXXXXX</URN><PLACE_PROVIDER>PR1</PLACE_PROVIDER></EPISODE>
 </CHILD>
</EXPSSDA903>
"""


def test_xml_return_gives_a_fixed_workbook(tmp_path):
    path = tmp_path / "903.xml"
    path.write_text(XML, encoding="utf-8")
    out = tmp_path / "fixed.xlsx"
    result = apply_to_workbook(path, out, year="2025/26")
    assert dict(zip(result.changes["cell"], result.changes["new"])) == {
        "Header!B2": "M", "Header!C2": "01/01/2012", "Episodes!F2": "U4", "Episodes!L2": "TW10 6AA",
        "Reviews!B2": "01/01/2012", "Reviews!C2": "01/06/2025", "Reviews!D2": "PN1"}  # B2: the DOB repeated
    wb = openpyxl.load_workbook(out)
    assert wb["Episodes"]["F2"].value == "U4" and wb["Reviews"]["C2"].value == "01/06/2025"
    undo(out, tmp_path / "back.xlsx")
    assert openpyxl.load_workbook(tmp_path / "back.xlsx")["Episodes"]["L2"].value == "tw106aa"


def test_header_uasc_is_derived_again_after_trimming_uasc_child_ids(tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "header.csv").write_text("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n007,M,01/01/2010,WBRI,UN1,,\n")
    (folder / "uasc.csv").write_text("CHILD,SEX,DOB,DUC\n007 ,M,01/01/2010,01/01/2028\n")
    result = apply_to_workbook(folder, None, year="2025/26", dry_run=True)
    assert result.before.tables["Header"].frame["UASC"].tolist() == ["0"]
    assert result.after.tables["Header"].frame["UASC"].tolist() == ["1"]
