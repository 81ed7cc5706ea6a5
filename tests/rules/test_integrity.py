import pytest
from rulecheck import run

HEADER = [{"CHILD": c, "DOB": "01/04/2020", "SEX": "1"} for c in ("101", "102", "103", "104")]

NOT_IN_HEADER = [("INT01", "AD1"), ("INT02", "PlacedAdoption"), ("INT03", "Episodes"), ("INT04", "Missing"),
                 ("INT05", "OC2"), ("INT06", "OC3"), ("INT07", "PrevPerm"), ("INT08", "Reviews"),
                 ("INT09", "UASC")]


@pytest.mark.parametrize("code,table", NOT_IN_HEADER)
def test_child_unknown_to_header_is_flagged_on_every_row(code, table):
    rows = [{"CHILD": "101"}, {"CHILD": "105"}, {"CHILD": "105"}, {"CHILD": "104"}, {"CHILD": "101 "}]
    assert run(code, Header=HEADER, **{table: rows}) == {table: [1, 2, 4]}


@pytest.mark.parametrize("code,table", NOT_IN_HEADER)
def test_child_known_to_header_passes(code, table):
    assert run(code, Header=HEADER, **{table: [{"CHILD": "101"}, {"CHILD": "103"}]}) == {}


def test_blank_child_is_flagged_even_when_header_has_a_blank_child():
    # Departure from the reference (blank matched blank): a blank CHILD exists in no Header.
    header = HEADER + [{"CHILD": "", "SEX": "1"}]
    episodes = [{"CHILD": "", "DECOM": "01/05/2022"}, {"CHILD": "102", "DECOM": "01/05/2022"}]
    assert run("INT03", Header=header, Episodes=episodes) == {"Episodes": [0]}


def test_child_in_header_check_is_skipped_without_header():
    assert run("INT01", AD1=[{"CHILD": "101"}], expect="skipped") == {}


def test_child_in_header_check_is_skipped_without_its_table():
    assert run("INT04", Header=HEADER, expect="skipped") == {}


DOB_RULES = [("INT11", "AD1"), ("INT12", "PlacedAdoption"), ("INT13", "Missing"), ("INT14", "OC2"),
             ("INT15", "OC3"), ("INT16", "PrevPerm"), ("INT17", "Reviews"), ("INT18", "UASC")]


@pytest.mark.parametrize("code,table", DOB_RULES)
def test_dob_different_from_header_is_flagged(code, table):
    header = [{"CHILD": "101", "DOB": "01/04/2020"}, {"CHILD": "102", "DOB": "01/04/2020"},
              {"CHILD": "103", "DOB": "31/02/2020"}, {"CHILD": "104", "DOB": "01/04/2020"}]
    rows = [{"CHILD": "101", "DOB": "04/01/2020"},   # differs
            {"CHILD": "101", "DOB": "1/4/2020"},     # same date, other spelling
            {"CHILD": "102", "DOB": ""},             # blank
            {"CHILD": "103", "DOB": "01/04/2020"},   # Header DOB unparseable
            {"CHILD": "104", "DOB": "2020-04-01"},   # own DOB unparseable
            {"CHILD": "999", "DOB": "01/01/2001"}]   # not in Header (INT01-09's concern)
    assert run(code, Header=header, **{table: rows}) == {table: [0]}


def test_dob_differing_from_either_of_two_header_rows_is_flagged():
    header = [{"CHILD": "101", "DOB": "01/04/2020"}, {"CHILD": "101", "DOB": "02/04/2020"},
              {"CHILD": "102", "DOB": "05/05/2015"}]
    rows = [{"CHILD": "101", "DOB": "01/04/2020"}, {"CHILD": "102", "DOB": "05/05/2015"}]
    assert run("INT11", Header=header, AD1=rows) == {"AD1": [0]}


def test_dob_check_ignores_blank_child_on_both_sides():
    header = [{"CHILD": "", "DOB": "01/04/2020"}]  # rows kept: DOB is filled
    assert run("INT13", Header=header, Missing=[{"CHILD": "", "DOB": "02/04/2020"}]) == {}


def test_dob_check_is_skipped_without_header():
    assert run("INT17", Reviews=[{"CHILD": "1", "DOB": "01/04/2020"}], expect="skipped") == {}


def test_int21_flags_sex_differing_from_header_as_exact_text():
    header = [{"CHILD": "1", "SEX": "1"}, {"CHILD": "2", "SEX": "2"}, {"CHILD": "3", "SEX": "1"},
              {"CHILD": "4", "SEX": ""}, {"CHILD": "5", "SEX": "m"}]
    uasc = [{"CHILD": "1", "SEX": "2"}, {"CHILD": "2", "SEX": "2"}, {"CHILD": "3", "SEX": " 1"},
            {"CHILD": "4", "SEX": "1"}, {"CHILD": "5", "SEX": "M"}, {"CHILD": "6", "SEX": "1"},
            {"CHILD": "2", "SEX": ""}]
    assert run("INT21", Header=header, UASC=uasc) == {"UASC": [0, 2]}


def test_int21_skipped_without_uasc():
    assert run("INT21", Header=HEADER, expect="skipped") == {}


@pytest.mark.parametrize("code,table", [("INT31", "AD1"), ("INT32", "Header"), ("INT33", "OC2"),
                                        ("INT34", "OC3"), ("INT36", "UASC")])
def test_child_repeated_in_one_per_child_table_flags_every_copy(code, table):
    rows = [{"CHILD": "101"}, {"CHILD": "102"}, {"CHILD": "101"}, {"CHILD": "", "DOB": "01/01/2010"},
            {"CHILD": "", "DOB": "01/01/2010"}, {"CHILD": "103"}, {"CHILD": "103"}]
    assert run(code, **{table: rows}) == {table: [0, 2, 5, 6]}


@pytest.mark.parametrize("code,table", [("INT31", "AD1"), ("INT32", "Header"), ("INT33", "OC2"),
                                        ("INT34", "OC3"), ("INT36", "UASC")])
def test_one_row_per_child_passes(code, table):
    assert run(code, **{table: [{"CHILD": "101"}, {"CHILD": "102"}, {"CHILD": "1010"}]}) == {}


def test_int_rules_stay_in_force_in_later_years():
    assert run("INT36", year="2026/27", UASC=[{"CHILD": "1"}, {"CHILD": "1"}]) == {"UASC": [0, 1]}
    assert run("INT03", year="2025/26", Header=HEADER, Episodes=[{"CHILD": "9"}]) == {"Episodes": [0]}
