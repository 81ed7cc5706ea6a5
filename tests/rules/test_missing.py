from rulecheck import run


def mis(child="1", missing="M", start="", end="", dob=""):
    return {"CHILD": child, "MISSING": missing, "MIS_START": start, "MIS_END": end, "DOB": dob}


def test_1004_flags_blank_and_invalid_start_dates():
    rows = [mis(start=""), mis(start="10/24/2021"), mis(start="08/03/2020"), mis(start="1/4/2022"),
            mis(start="31/02/2022"), mis(start="01/04/22"), mis(start=" 01/04/2022"), mis(start="2022-04-01")]
    assert run("1004", Missing=rows) == {"Missing": [0, 1, 4, 5, 6, 7]}


def test_1004_skipped_without_missing_table():
    assert run("1004", Header=[{"CHILD": "1"}], expect="skipped") == {}


def test_1005_flags_invalid_end_dates_but_not_blank():
    rows = [mis(end=""), mis(end="13/10/21"), mis(end="31/02/2022"), mis(end="22/06/2020"),
            mis(end="1/6/2020"), mis(end="22/06/2020 00:00")]
    assert run("1005", Missing=rows) == {"Missing": [1, 2, 5]}


def test_1006_flags_codes_other_than_m_and_a():
    rows = [mis(missing="X"), mis(missing="A"), mis(missing="", start="01/05/2022"), mis(missing="m"),
            mis(missing="M "), mis(missing="M")]
    # 'm' is upper-cased on loading and passes; 'M ' keeps its space and fails.
    assert run("1006", Missing=rows) == {"Missing": [0, 4]}


def test_564_flags_m_or_a_without_start():
    rows = [mis(missing="M", start=""), mis(missing="a", start="", end="01/05/2022"),
            mis(missing="A", start="07/02/2020"), mis(missing="", start="", end="01/05/2022"),
            mis(missing="M", start="rubbish"), mis(missing="X", start="")]
    assert run("564", Missing=rows) == {"Missing": [0, 1]}


def test_565_flags_start_without_type():
    rows = [mis(missing="", start="07/02/2020"), mis(missing="A", start="03/02/2020"),
            mis(missing="", start="", end="01/01/2020"), mis(missing="", start="not a date")]
    assert run("565", Missing=rows) == {"Missing": [0, 3]}


def test_566_flags_end_without_type():
    rows = [mis(missing="", end="07/02/2020"), mis(missing="M", end="01/02/2020"),
            mis(missing="", start="01/01/2020", end=""), mis(missing="", end="xx")]
    assert run("566", Missing=rows) == {"Missing": [0, 3]}


def test_567_flags_end_before_start():
    rows = [mis(start="03/06/2020", end="01/06/2020"), mis(start="01/06/2020", end="05/06/2020"),
            mis(start="02/06/2020", end=""), mis(start="02/06/2020", end="02/06/2020"),
            mis(start="31/02/2020", end="01/01/2020")]
    assert run("567", Missing=rows) == {"Missing": [0]}


def test_570_flags_start_after_collection_end():
    rows = [mis(start="01/04/2023"), mis(start="31/03/2023"), mis(start=""), mis(start="32/04/2023")]
    assert run("570", Missing=rows) == {"Missing": [0]}


def test_570_uses_the_collection_year():
    assert run("570", year="2025/26", Missing=[mis(start="01/04/2025"), mis(start="01/04/2026")]) == {"Missing": [1]}


def test_571_flags_end_outside_collection_year():
    rows = [mis(end="31/03/2022"), mis(end="01/04/2023"), mis(end="01/04/2022"), mis(end="31/03/2023"),
            mis(end=""), mis(end="13/10/21")]
    assert run("571", Missing=rows) == {"Missing": [0, 1]}


def test_571_follows_an_overridden_collection_start():
    rows = [mis(end="01/04/2022"), mis(end="01/05/2022")]
    assert run("571", Missing=rows, collection_start="02/04/2022") == {"Missing": [0]}


def test_574_flags_period_after_an_open_one():
    rows = [mis(start="01/06/2022"), mis(start="05/06/2022", end="07/06/2022")]
    # sort dates: 01/06 (open, its start) then 07/06: the second follows an open period
    assert run("574", Missing=rows) == {"Missing": [1]}


def test_574_flags_later_row_of_overlapping_pair():
    rows = [mis(start="03/06/2022", end="09/06/2022"), mis(start="02/06/2022", end="04/06/2022")]
    assert run("574", Missing=rows) == {"Missing": [0]}


def test_574_ordering_by_end_date_can_flag_the_earlier_start():
    rows = [mis(start="01/06/2022", end="05/06/2022"), mis(start="04/06/2022")]
    assert run("574", Missing=rows) == {"Missing": [0]}


def test_574_only_neighbours_are_compared():
    rows = [mis(start="01/06/2022", end="30/06/2022"), mis(start="02/06/2022", end="03/06/2022"),
            mis(start="10/06/2022", end="12/06/2022")]
    assert run("574", Missing=rows) == {"Missing": [0]}


def test_574_passes_back_to_back_periods_single_open_period_and_other_children():
    rows = [mis(start="01/06/2022", end="10/06/2022"), mis(start="10/06/2022", end="12/06/2022"),
            mis(child="2", start="01/06/2022"), mis(child="3", start="05/06/2022", end="08/06/2022")]
    assert run("574", Missing=rows) == {}


def test_576_flags_first_period_not_continuing_last_years_open_one():
    last = [mis(child="1", start="07/02/2022"), mis(child="2", start="07/02/2022"),
            mis(child="3", start="01/02/2022"), mis(child="4", start="07/02/2022", end="07/02/2022"),
            mis(child="5", start="")]
    this = [mis(child="1", start="08/02/2022"),
            mis(child="2", start=""),
            mis(child="3", start="01/03/2022"), mis(child="3", start="1/2/2022", end="01/05/2022"),
            mis(child="4", start="01/05/2022"),
            mis(child="5", start="01/05/2022"),
            mis(child="6", start="01/05/2022")]
    assert run("576", Missing=this, last={"Missing": last}) == {"Missing": [0, 1]}


def test_576_skipped_without_last_year():
    assert run("576", Missing=[mis(start="01/05/2022")], expect="skipped") == {}


def test_586_flags_starts_on_or_before_birth():
    rows = [mis(dob="04/02/2020", start="03/02/2020"), mis(dob="02/02/2020", start="07/02/2020"),
            mis(dob="04/02/2020", start=""), mis(dob="", start="01/01/2019"),
            mis(dob="04/02/2020", start="04/02/2020", end="05/02/2020")]
    assert run("586", Missing=rows) == {"Missing": [0, 4]}


def test_586_end_date_not_checked():
    assert run("586", Missing=[mis(dob="04/02/2020", start="xx", end="01/02/2020")]) == {}


def test_574_rows_equal_on_both_dates_ordered_by_text_not_file_order():
    # two identical-date open periods: the second in text order (MISSING 'M') follows an open one
    rows = [mis(missing="M", start="01/06/2022"), mis(missing="A", start="01/06/2022")]
    assert run("574", Missing=rows) == {"Missing": [0]}
    assert run("574", Missing=rows[::-1]) == {"Missing": [1]}


def test_576_equal_earliest_starts_choose_by_text_not_file_order():
    last = [mis(child="1", start="07/02/2022")]
    this = [mis(child="1", missing="M", start=""), mis(child="1", missing="A", start="")]
    assert run("576", Missing=this, last={"Missing": last}) == {"Missing": [1]}
    assert run("576", Missing=this[::-1], last={"Missing": last}) == {"Missing": [0]}
