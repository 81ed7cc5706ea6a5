"""Every kind of check a Local rules sheet can use flags the rows that break it and passes the rest."""
import pytest
from localcheck import flagged, rule_row

H = [{"CHILD": "1", "UPN": "A123456789012", "DOB": "01/01/2012", "ETHNIC": "WBRI"},
     {"CHILD": "2", "UPN": "", "DOB": "15/06/2010", "ETHNIC": "wbri"},
     {"CHILD": "3", "UPN": "UN3", "DOB": "2010-06-15", "ETHNIC": "XXXX"},
     {"CHILD": "4", "UPN": "I123456789012", "DOB": "29/02/2008", "ETHNIC": ""}]


def test_required_flags_blank_cells_in_any_named_column():
    assert flagged(rule_row(column="UPN"), Header=H) == [1]
    assert flagged(rule_row(column="UPN, ETHNIC"), Header=H) == [1, 3]
    assert flagged(rule_row(column="CHILD"), Header=H) == []


def test_one_of_and_not_one_of_compare_upper_cased_codes_and_pass_blanks():
    assert flagged(rule_row(column="ETHNIC", check="one of", value="wbri, WOTH"), Header=H) == [2]
    assert flagged(rule_row(column="ETHNIC", check="not one of", value="XXXX"), Header=H) == [2]
    assert flagged(rule_row(column="ETHNIC", check="One  Of", value="WBRI,XXXX"), Header=H) == []


def test_one_of_a_list_kept_on_another_sheet():
    lists = {"Social workers": [["Team list"], ["SW_ID", "Team"], ["sw1", "North"], ["SW2", "South"], [None, "x"]]}
    sw = [{"CHILD": "1", "SW_ID": "SW1"}, {"CHILD": "2", "SW_ID": "SW9"}, {"CHILD": "3", "SW_ID": ""}]
    row = rule_row(table="SWEpisodes", column="SW_ID", check="one of", value="=Social workers!SW_ID")
    assert flagged(row, lists=lists, SWEpisodes=sw) == [1]
    row[6] = "'Social workers'!sw_id"  # quoted, without the '=', heading in any case
    assert flagged(row, lists=lists, SWEpisodes=sw) == [1]


def test_pattern_must_match_the_whole_value():
    upn = "[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]|UN[1-7]"
    assert flagged(rule_row(column="UPN", check="pattern", value=upn), Header=H) == [3]
    assert flagged(rule_row(column="UPN", check="pattern", value="A123"), Header=H) == [0, 2, 3]
    assert flagged(rule_row(column="UPN", check="pattern", value="[a-z]\\d{12}|un\\d"), Header=H) == []


def test_date_flags_filled_values_that_are_not_dd_mm_yyyy():
    assert flagged(rule_row(column="DOB", check="date"), Header=H) == [2]
    assert flagged(rule_row(column="UPN", check="date"), Header=H) == [0, 2, 3]


@pytest.mark.parametrize("check, value, rows", [
    ("on or before", "DECOM", [2]),
    ("before", "DECOM", [1, 2]),
    ("on or after", "DECOM", [0]),
    ("after", "DECOM", [0, 1]),
    ("on or before", "01/05/2025", [1, 2]),
    ("before", "collection_start", [0, 1, 2]),
    ("on or before", "collection_end", []),
    ("before", "DECOM + 1 days", [2]),
    ("on or after", "DECOM + 1 days", [0, 1]),
    ("on or after", "DECOM - 1 months", []),
    ("before", "DECOM - 1 months", [0, 1, 2]),
])
def test_date_comparisons_with_a_column_a_date_the_collection_period_or_an_offset(check, value, rows):
    eps = [{"CHILD": "1", "DECOM": "10/05/2025", "DEC": "01/05/2025"},
           {"CHILD": "2", "DECOM": "10/05/2025", "DEC": "10/05/2025"},
           {"CHILD": "3", "DECOM": "10/05/2025", "DEC": "11/05/2025"},
           {"CHILD": "4", "DECOM": "10/05/2025", "DEC": ""},
           {"CHILD": "5", "DECOM": "", "DEC": "bad"}]
    assert flagged(rule_row(table="Episodes", column="DEC", check=check, value=value), Episodes=eps) == rows


def test_dob_plus_years_handles_a_leap_day_birthday():
    missing = [{"CHILD": "4", "DOB": "29/02/2008", "MIS_START": "27/02/2026"},
               {"CHILD": "4", "DOB": "29/02/2008", "MIS_START": "28/02/2026"},
               {"CHILD": "4", "DOB": "29/02/2008", "MIS_START": "01/03/2026"}]
    row = rule_row(table="Missing", column="MIS_START", check="before", value="DOB + 18 years")
    assert flagged(row, Missing=missing) == [1, 2]


def test_between_flags_numbers_outside_the_range_and_text():
    ad1 = [{"CHILD": "1", "NB_ADOPTR": "1"}, {"CHILD": "2", "NB_ADOPTR": "2"}, {"CHILD": "3", "NB_ADOPTR": "3"},
           {"CHILD": "4", "NB_ADOPTR": "two"}, {"CHILD": "5", "NB_ADOPTR": ""}]
    assert flagged(rule_row(table="AD1", column="NB_ADOPTR", check="between", value="1 and 2"), AD1=ad1) == [2, 3]
    assert flagged(rule_row(table="AD1", column="NB_ADOPTR", check="between", value="0, 3"), AD1=ad1) == [3]


def test_unique_and_unique_per_child():
    reviews = [{"CHILD": "1", "REVIEW": "01/06/2025"}, {"CHILD": "1", "REVIEW": "01/06/2025"},
               {"CHILD": "2", "REVIEW": "01/06/2025"}, {"CHILD": "2", "REVIEW": "02/06/2025"},
               {"CHILD": "3", "REVIEW": ""}, {"CHILD": "3", "REVIEW": ""}]
    row = rule_row(table="Reviews", column="REVIEW", check="unique per child")
    assert flagged(row, Reviews=reviews) == [0, 1]
    row[5] = "unique"
    assert flagged(row, Reviews=reviews) == [0, 1, 2]
    row[4] = "CHILD, REVIEW_CODE"
    assert flagged(row, Reviews=reviews) == [0, 1, 2, 3, 4, 5]
    assert flagged(rule_row(table="Reviews", column="REVIEW", check="unique per child"),
                   Reviews=[r for r in reviews if r["REVIEW"] != "01/06/2025" or r["CHILD"] != "1"]) == []


def test_has_row_in_another_table_by_child():
    reviews = [{"CHILD": "1", "REVIEW": "01/06/2025"}, {"CHILD": "2", "REVIEW": "01/06/2025"},
               {"CHILD": "3", "REVIEW": "01/06/2025"}]
    eps = [{"CHILD": "1", "DECOM": "01/04/2024", "RNE": "S"}, {"CHILD": "3", "DECOM": "01/04/2024", "RNE": "P"}]
    row = rule_row(table="Reviews", column="CHILD", check="has row in", value="Episodes")
    assert flagged(row, Reviews=reviews, Episodes=eps) == [1]
    row[6] = "Episodes where RNE = S"
    assert flagged(row, Reviews=reviews, Episodes=eps) == [1, 2]


def test_within_days_of_a_column_is_either_side():
    missing = [{"CHILD": "1", "MIS_START": "01/06/2025", "MIS_END": "29/06/2025"},
               {"CHILD": "2", "MIS_START": "01/06/2025", "MIS_END": "30/06/2025"},
               {"CHILD": "3", "MIS_START": "01/06/2025", "MIS_END": "03/05/2025"},
               {"CHILD": "4", "MIS_START": "01/06/2025", "MIS_END": ""}]
    row = rule_row(table="Missing", column="MIS_END", check="within 28 days of", value="MIS_START")
    assert flagged(row, Missing=missing) == [1, 2]


def test_within_working_days_counts_monday_to_friday():
    # DECOM Friday 06/06/2025 (or Saturday 07/06): the 20th working day after it is Friday 04/07/2025.
    eps = [{"CHILD": c, "DECOM": "06/06/2025", "RNE": "S"} for c in "123"] + [
        {"CHILD": "4", "DECOM": "07/06/2025", "RNE": "S"}, {"CHILD": "4", "DECOM": "20/06/2025", "RNE": "P"}]
    reviews = [{"CHILD": "1", "REVIEW": "04/07/2025"}, {"CHILD": "2", "REVIEW": "07/07/2025"},
               {"CHILD": "3", "REVIEW": "05/07/2025"}, {"CHILD": "1", "REVIEW": "31/12/2025"},
               {"CHILD": "4", "REVIEW": "04/07/2025"}, {"CHILD": "5", "REVIEW": "04/07/2025"}]
    row = rule_row(table="Reviews", column="REVIEW", check="within 20 working days of",
                   value="Episodes.DECOM where RNE = S")
    # Only the first review since care started is measured from it (child 1's second is not);
    # a placement change (RNE P) does not restart the clock; child 5 has no start in the return.
    assert flagged(row, Reviews=reviews, Episodes=eps) == [1, 2]


def test_within_months_of_the_childs_previous_row():
    reviews = [{"CHILD": "1", "REVIEW": "01/05/2025"}, {"CHILD": "1", "REVIEW": "01/11/2025"},
               {"CHILD": "1", "REVIEW": "02/05/2026"},
               {"CHILD": "2", "REVIEW": "02/11/2025"}, {"CHILD": "2", "REVIEW": "01/05/2025"}]
    row = rule_row(table="Reviews", column="REVIEW", check="within 6 months of", value="previous")
    assert flagged(row, Reviews=reviews) == [2, 3]


def test_review_timescales_with_row_n_since_care_started():
    """First within 20 working days, second within 3 months of it, later ones within 6 months;
    rows since a start before the year count as later ones (earlier reviews are in last year's return)."""
    eps = [{"CHILD": "1", "DECOM": "02/06/2025", "RNE": "S"}, {"CHILD": "2", "DECOM": "01/01/2024", "RNE": "S"}]
    reviews = [{"CHILD": "1", "REVIEW": "20/06/2025"}, {"CHILD": "1", "REVIEW": "25/09/2025"},
               {"CHILD": "1", "REVIEW": "20/03/2026"},
               {"CHILD": "2", "REVIEW": "01/05/2025"}, {"CHILD": "2", "REVIEW": "20/08/2025"}]
    second = rule_row(table="Reviews", column="REVIEW", check="within 3 months of", value="previous",
                      only_when="row 2 since Episodes.DECOM where RNE = S")
    assert flagged(second, Reviews=reviews, Episodes=eps) == [1]
    later = rule_row(table="Reviews", column="REVIEW", check="within 6 months of", value="previous",
                     only_when="row 3 or later since Episodes.DECOM where RNE = S")
    assert flagged(later, Reviews=reviews, Episodes=eps) == []
    later[6] = "previous"
    later[5] = "within 3 months of"
    assert flagged(later, Reviews=reviews, Episodes=eps) == [2, 4]


@pytest.mark.parametrize("only_when, rows", [("SW_DEC is blank", [1]), ("SW_DEC is not blank", [0]),
                                             ("SW_REASON = managE, LEFTRL", [0])])
def test_only_when_limits_the_rows_checked(only_when, rows):
    sw = [{"CHILD": "1", "SW_ID": "", "SW_DEC": "01/06/2025", "SW_REASON": "MANAGE"},
          {"CHILD": "2", "SW_ID": "", "SW_DEC": "", "SW_REASON": ""}]
    row = rule_row(table="SWEpisodes", column="SW_ID", only_when=only_when)
    assert flagged(row, SWEpisodes=sw) == rows
