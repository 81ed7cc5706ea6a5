import pytest
from rulecheck import frame, run

import xl_validator as xv


def uasc(child, duc="", dob="", sex="1"):
    return {"CHILD": child, "SEX": sex, "DOB": dob, "DUC": duc}


def head(child, status=None, dob="01/01/2005", sex="1"):
    row = {"CHILD": child, "SEX": sex, "DOB": dob}
    if status is not None:
        row["UASC"] = status
    return row


def xml_return(path, children):
    """A minimal DfE XML file: children are dicts of HEADER elements (CHILDID, UASC, DUC...)."""
    body = "".join("<CHILD><HEADER>" + "".join(f"<{k}>{v}</{k}>" for k, v in c.items()) + "</HEADER></CHILD>"
                   for c in children)
    path.write_text(f"<?xml version='1.0' encoding='utf-8'?><EXPSSDA903>{body}</EXPSSDA903>")
    return path


def run_xml(tmp_path, code, this, last, expect="ran"):
    previous = xml_return(tmp_path / "last.xml", last) if isinstance(last, list) else last
    report = xv.validate(xml_return(tmp_path / "this.xml", this), year="2022/23", previous=previous, rules=[code])
    state = "skipped" if code in report.skipped else "failed" if code in report.failed else "ran"
    assert state == expect, report.failed.get(code) or report.skipped.get(code)
    return {t: sorted(r.tolist()) for t, r in report.findings.groupby("table")["row"]}


def xchild(child, status, duc="", dob="01/01/2005"):
    return {"CHILDID": child, "SEX": "1", "DOB": dob, "UASC": status, "DUC": duc}


# --- 104 -------------------------------------------------------------------------------

def test_104_flags_invalid_duc():
    rows = [uasc("1", "INVALID/DATE/2077"), uasc("2", ""), uasc("3", "03/04/2022"), uasc("4", "31/02/2023"),
            uasc("5", "1/4/2023"), uasc("6", "01/04/23")]
    assert run("104", UASC=rows) == {"UASC": [0, 3, 5]}


def test_104_skipped_without_uasc_table():
    assert run("104", Header=[head("1")], expect="skipped") == {}


# --- 304 -------------------------------------------------------------------------------

def test_304_flags_duc_after_18th_birthday():
    rows = [uasc("1", "05/06/2022", "01/06/2004"), uasc("2", "02/06/2023", "04/06/2004"),
            uasc("3", "01/06/2022", "01/06/2004"), uasc("4", "05/06/2022", ""),
            uasc("5", "", "01/06/2004"), uasc("6", "29/02/2024", "29/02/2004"),
            uasc("7", "28/02/2022", "29/02/2004"), uasc("8", "01/03/2022", "29/02/2004")]
    assert run("304", UASC=rows) == {"UASC": [0, 1, 5, 7]}


# --- 303 -------------------------------------------------------------------------------

def test_303_flags_duc_when_header_status_is_not_1():
    header = [head("1", "0"), head("2", ""), head("3", "1"), head("4", "0"), head("5", "01"), head("6", "X")]
    rows = [uasc("1", "01/06/2022"), uasc("2", "10/04/2022"), uasc("3", "01/03/2023"), uasc("4", ""),
            uasc("5", "01/03/2023"), uasc("6", "not a date"), uasc("7", "01/03/2023")]
    assert run("303", Header=header, UASC=rows) == {"Header": [0, 1, 5], "UASC": [0, 1, 5]}


def test_303_blank_child_never_pairs_with_a_blank_header_row():
    # Blank identifiers belong to no child: pairing them would also be a cross join of all
    # blank-CHILD rows of both tables.
    header = [head("", "0"), head("1", "1")] * 3
    rows = [uasc("", "01/06/2022"), uasc("1", "01/06/2022")] * 3
    assert run("303", Header=header, UASC=rows) == {}


def test_303_cannot_fire_with_csv_derived_status():
    assert run("303", Header=[head("1")], UASC=[uasc("1", "01/06/2022")]) == {}


def test_303_skipped_without_header():
    assert run("303", UASC=[uasc("1", "01/06/2022")], expect="skipped") == {}


def test_303_flags_xml_return_with_duc_and_status_0(tmp_path):
    this = [xchild("1", "0", "01/06/2022"), xchild("2", "1", "01/06/2022"), xchild("3", "0")]
    assert run_xml(tmp_path, "303", this, [xchild("9", "0")]) == {"Header": [0], "UASC": [0]}


# --- 205A ------------------------------------------------------------------------------

def test_205a_flags_child_no_longer_uasc_without_supporting_duc():
    header = [head("1", "0"), head("2", "0"), head("3", "0"), head("4", "1"), head("5", "0"), head("6", "")]
    this = [uasc("1"), uasc("2", "10/07/2022"), uasc("3"), uasc("4"), uasc("5"), uasc("6")]
    header_last = [head(c, "1") for c in "123456"]
    last = [uasc("1", "14/05/2022"), uasc("2", "20/01/2022"), uasc("3", "20/01/2022"), uasc("4", "14/05/2022"),
            uasc("5", ""), uasc("6", "31/03/2022")]
    found = run("205A", Header=header, UASC=this, last={"Header": header_last, "UASC": last})
    assert found == {"Header": [0, 1, 4], "UASC": [0, 1, 4]}


def test_205a_boundaries_of_previous_collection_year():
    header = [head("1", "0"), head("2", "0"), head("3", "0")]
    this = [uasc("1"), uasc("2"), uasc("3")]
    last = [uasc("1", "01/04/2021"), uasc("2", "31/03/2021"), uasc("3", "01/04/2022")]
    found = run("205A", Header=header, UASC=this,
                last={"Header": [head(c, "1") for c in "123"], "UASC": last})
    assert found == {"Header": [1, 2], "UASC": [1, 2]}


def test_205a_cannot_fire_with_csv_derived_status():
    last = [uasc("1", "14/05/2022")]
    assert run("205A", Header=[head("1")], UASC=[uasc("1")],
               last={"Header": [head("1")], "UASC": last}) == {}


def test_205a_skipped_without_last_years_uasc():
    assert run("205A", Header=[head("1", "0")], UASC=[uasc("1")], expect="skipped") == {}


def test_205a_flags_xml_return(tmp_path):
    this = [xchild("1", "0"), xchild("2", "0"), xchild("3", "1")]
    last = [xchild("1", "1", "14/05/2022"), xchild("2", "1", "20/01/2022"), xchild("3", "1", "14/05/2022")]
    assert run_xml(tmp_path, "205A", this, last) == {"Header": [0], "UASC": [0]}


def test_205a_xml_return_needs_last_years_header(tmp_path):
    previous = {"UASC": frame("UASC", [uasc("1", "14/05/2022")])}
    assert run_xml(tmp_path, "205A", [xchild("1", "0")], previous, expect="skipped") == {}


# --- 205B ------------------------------------------------------------------------------

def test_205b_flags_duc_not_supporting_continued_uasc():
    this = [uasc("1", "04/11/2023", "04/11/2004"),   # last DUC not the 18th birthday
            uasc("2", "", "01/01/2005"),             # last DUC right, this year's blank
            uasc("3", "23/07/2022", "23/07/2004"),   # same DUC both years, in this year
            uasc("4", "16/04/2021", "16/04/2003"),   # same DUC as last year, before this year
            uasc("5", "01/01/2023", "01/01/2005"),   # this year's DUC in year, differs from last
            uasc("6", "", "")]                       # no dates at all
    last = [uasc("1", "04/11/2023", "04/11/2004"), uasc("2", "01/01/2023", "01/01/2005"),
            uasc("3", "23/07/2022", "23/07/2004"), uasc("4", "16/04/2021", "16/04/2003"),
            uasc("5", "01/01/2023", "01/01/2005"), uasc("6", "", "")]
    header = [head(c) for c in "123456"]
    found = run("205B", Header=header, UASC=this, last={"Header": [head(c) for c in "123456"], "UASC": last})
    assert found == {"Header": [0, 1, 5], "UASC": [0, 1, 5]}


def test_205b_ignores_children_not_uasc_in_both_years():
    this = [uasc("1", "04/11/2023", "04/11/2004"), uasc("2", "04/11/2023", "04/11/2004")]
    last = [uasc("1", "04/11/2023", "04/11/2004")]
    header = [head("1", "0"), head("2", "1")]
    found = run("205B", Header=header, UASC=this, last={"Header": [head("1", "1"), head("2", "1")], "UASC": last})
    assert found == {}


def test_205b_without_headers_derives_status_from_uasc_rows():
    this = [uasc("1", "04/11/2023", "04/11/2004"), uasc("2", "23/07/2022", "23/07/2004")]
    last = [uasc("1", "04/11/2023", "04/11/2004"), uasc("2", "23/07/2022", "23/07/2004")]
    assert run("205B", UASC=this, last={"UASC": last}) == {"UASC": [0]}


def test_205b_uses_29_february_rule_for_18th_birthday():
    this = [uasc("1", "28/02/2022", "29/02/2004")]
    last = [uasc("1", "28/02/2022", "29/02/2004")]
    assert run("205B", UASC=this, last={"UASC": last}) == {}


# --- 205C ------------------------------------------------------------------------------

def test_205c_flags_duc_for_child_never_uasc_xml(tmp_path):
    this = [xchild("1", "0"), xchild("2", "0", "01/01/2023"), xchild("3", "0"), xchild("4", "0", "xx"),
            xchild("5", "0")]
    last = [xchild("1", "0", "19/02/2022"), xchild("3", "0"), xchild("4", "0"), xchild("5", "1", "19/02/2022")]
    assert run_xml(tmp_path, "205C", this, last) == {"Header": [0, 1], "UASC": [0, 1]}


def test_205c_with_supplied_status_columns():
    header = [head("1", "0"), head("2", ""), head("3", "1")]
    this = [uasc("1"), uasc("2", "01/01/2023"), uasc("3", "01/01/2023")]
    last = [uasc("1", "19/02/2022")]
    found = run("205C", Header=header, UASC=this, last={"Header": [head("1", "0")], "UASC": last})
    assert found == {"Header": [0, 1], "UASC": [0, 1]}


def test_205c_cannot_fire_with_csv_derived_status():
    assert run("205C", Header=[head("1")], UASC=[uasc("1", "01/01/2023")],
               last={"Header": [head("1")], "UASC": [uasc("1", "01/01/2022")]}) == {}


# --- 205D ------------------------------------------------------------------------------

def test_205d_flags_uasc_this_year_but_not_last_year():
    header = [head("1", "1"), head("2", "1"), head("3", "1"), head("4", "0"), head("5", "1")]
    header_last = [head("1", "0"), head("2", ""), head("3", "1"), head("4", "1")]
    assert run("205D", Header=header, last={"Header": header_last}) == {"Header": [0, 1]}


def test_205d_with_csv_derived_status():
    header = [head("1"), head("2"), head("3")]
    this = [uasc("1"), uasc("2")]
    header_last = [head("1"), head("2"), head("3")]
    last = [uasc("2")]
    assert run("205D", Header=header, UASC=this, last={"Header": header_last, "UASC": last}) == {"Header": [0]}


def test_205d_without_headers_flags_uasc_rows():
    this = [uasc("1", sex=""), uasc("2"), uasc("3")]
    last = [uasc("1"), uasc("2", sex=""), uasc("9")]
    # child 1: '0' this year; child 2: '1' this year, '0' last year; child 3 absent last year
    assert run("205D", UASC=this, last={"UASC": last}) == {"UASC": [1]}


def test_205d_skipped_without_last_year():
    assert run("205D", Header=[head("1", "1")], expect="skipped") == {}


def test_uasc_rules_in_force_in_later_years():
    assert run("304", year="2026/27", UASC=[uasc("1", "05/06/2022", "01/06/2004")]) == {"UASC": [0]}
    assert run("205D", year="2025/26", Header=[head("1", "1")], last={"Header": [head("1", "0")]}) == {"Header": [0]}


def test_104_valid_duc_before_collection_start_is_flagged():
    rows = [uasc("1", "01/03/2022"), uasc("2", "31/03/2022"), uasc("3", "01/04/2022"), uasc("4", "03/04/2022")]
    assert run("104", UASC=rows) == {"UASC": [0, 1]}


def test_205c_child_missing_from_supplied_header_has_blank_status():
    found = run("205C", Header=[head("2", "0")], UASC=[uasc("1", "01/01/2023")],
                last={"Header": [head("1", "0")], "UASC": [uasc("1")]})
    assert found == {"UASC": [0]}


def test_205a_child_missing_from_supplied_header_has_blank_status():
    found = run("205A", Header=[head("2", "0")], UASC=[uasc("1")],
                last={"Header": [head("1", "1")], "UASC": [uasc("1", "14/05/2022")]})
    assert found == {"UASC": [0]}


def test_205b_blank_child_rows_of_the_two_years_are_not_paired():
    # The same rows with a real CHILD are flagged (last DUC not the 18th birthday).
    this, last = [uasc("1", "04/11/2023", "04/11/2004")], [uasc("1", "04/11/2023", "04/11/2004")]
    assert run("205B", UASC=this, last={"UASC": last}) == {"UASC": [0]}
    this, last = [uasc("", "04/11/2023", "04/11/2004")], [uasc("", "04/11/2023", "04/11/2004")]
    assert run("205B", UASC=this, last={"UASC": last}) == {}


# --- a child repeated in Header, Header_last or UASC_last: the logic's join ------------

@pytest.mark.parametrize("flip", [False, True])
def test_205a_joins_every_header_row_of_a_repeated_child(flip):
    """Child 1 has statuses '1' and '0' this year, child 2 '0' and '1' last year: each
    pairing is checked, so both are flagged (with the Header row of the failing pair) in
    either row order; child 3, not UASC last year, is not."""
    header = [head("1", "1"), head("1", "0"), head("2", "0"), head("3", "0")]
    header_last = [head("1", "1"), head("2", "0"), head("2", "1"), head("3", "0")]
    if flip:
        header, header_last = header[1::-1] + header[2:], header_last[::-1]
    found = run("205A", Header=header, UASC=[uasc("1"), uasc("2"), uasc("3")],
                last={"Header": header_last, "UASC": [uasc("1"), uasc("2"), uasc("3")]})
    assert found == {"Header": [0 if flip else 1, 2], "UASC": [0, 1]}


@pytest.mark.parametrize("flip", [False, True])
def test_205b_joins_every_uasc_last_row_of_a_repeated_child(flip):
    """Last year's DUC must be the 18th birthday from last year's DOB: one of the child's two
    UASC_last rows gives another birthday, so the row is flagged in either order."""
    last = [uasc("1", "01/01/2022", "01/01/2004"), uasc("1", "01/01/2022", "01/06/2004")]
    found = run("205B", Header=[head("1", "1")], UASC=[uasc("1", "01/06/2022")],
                last={"Header": [head("1", "1")], "UASC": last[::-1] if flip else last})
    assert found == {"Header": [0], "UASC": [0]}


@pytest.mark.parametrize("flip", [False, True])
def test_205d_joins_every_last_year_row_of_a_repeated_child(flip):
    last = [head("1", "1"), head("1", "0"), head("2", "1"), head("2", "1")]
    found = run("205D", Header=[head("1", "1"), head("2", "1")], last={"Header": last[::-1] if flip else last})
    assert found == {"Header": [0]}
