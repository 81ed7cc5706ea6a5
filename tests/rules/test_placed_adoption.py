from rulecheck import run


def pa(*rows):
    """PlacedAdoption rows: (CHILD, DATE_PLACED, DATE_PLACED_CEASED[, REASON_PLACED_CEASED])."""
    out = []
    for r in rows:
        child, placed, ceased, *reason = r
        out.append({"CHILD": child, "DATE_PLACED": placed, "DATE_PLACED_CEASED": ceased,
                    "REASON_PLACED_CEASED": reason[0] if reason else ""})
    return out


def test_115_flags_filled_invalid_date_placed():
    rows = pa(("1", "08/13/2022", ""), ("2", "unknown", ""), ("3", "", ""), ("4", "08/03/2022", ""),
              ("5", "8/3/2022", ""))
    assert run("115", PlacedAdoption=rows) == {"PlacedAdoption": [0, 1]}


def test_116_flags_filled_invalid_date_placed_ceased():
    rows = pa(("1", "", "22/06/20"), ("2", "", "30/02/2022"), ("3", "", ""), ("4", "", "22/06/2022"))
    assert run("116", PlacedAdoption=rows) == {"PlacedAdoption": [0, 1]}


def test_116_skipped_without_placed_adoption():
    assert run("116", AD1=[{"CHILD": "1"}], expect="skipped") == {}


def test_119_ceased_date_and_reason_together():
    rows = pa(("1", "", "01/09/2022", ""), ("2", "", "", "RD1"), ("3", "", "", ""), ("4", "", "01/09/2022", "RD3"),
              ("5", "", "rubbish", "XX"))
    assert run("119", PlacedAdoption=rows) == {"PlacedAdoption": [0, 1]}


def test_120_reason_code_lower_case_passes_after_upper_casing():
    rows = pa(("1", "", "", "RD5"), ("2", "", "", "rd1"), ("3", "", "", "RD2"), ("4", "", "", ""), ("5", "", "", "RD1 "))
    assert run("120", PlacedAdoption=rows) == {"PlacedAdoption": [0, 4]}


def test_522_ceased_before_placed():
    rows = pa(("1", "01/02/2003", "26/05/2000"), ("2", "26/05/2000", "26/05/2000"), ("3", "", "26/05/2000"),
              ("4", "01/02/2003", "31/02/2000"), ("5", "01/02/2003", "02/02/2003"))
    assert run("522", PlacedAdoption=rows) == {"PlacedAdoption": [0]}


def test_523_decision_date_differs_from_date_int():
    placed = pa(("A", "22/06/2020", ""), ("B", "08/03/2020", ""), ("C", "", ""), ("D", "32/01/2020", ""),
                ("E", "01/06/2022", ""), ("E", "01/07/2022", ""))
    ad1 = [{"CHILD": "A", "DATE_INT": "22/07/2020"}, {"CHILD": "B", "DATE_INT": "8/3/2020"},
           {"CHILD": "C", "DATE_INT": "01/01/2020"}, {"CHILD": "D", "DATE_INT": "01/01/2020"},
           {"CHILD": "E", "DATE_INT": "01/06/2022"}]
    assert run("523", PlacedAdoption=placed, AD1=ad1) == {"PlacedAdoption": [0, 5], "AD1": [0, 4]}


def test_523_reversed_earlier_decision_is_compared_too():
    placed = pa(("A", "01/01/2021", "01/03/2021", "RD1"), ("A", "01/06/2022", ""))
    ad1 = [{"CHILD": "A", "DATE_INT": "01/06/2022"}]
    assert run("523", PlacedAdoption=placed, AD1=ad1) == {"PlacedAdoption": [0], "AD1": [0]}


def test_523_skipped_without_ad1():
    assert run("523", PlacedAdoption=pa(("A", "01/01/2021", "")), expect="skipped") == {}


def test_525_reversed_decision_with_adoption_details():
    placed = pa(("A", "01/01/2020", "22/06/2020", "RD1"), ("B", "01/01/2021", "24/10/2021", "RD2"),
                ("C", "01/01/2020", "08/03/2020", "RD1"), ("D", "01/01/2020", ""), ("E", "01/01/2020", "x"))
    ad1 = [{"CHILD": "A", "DATE_MATCH": "01/07/2020"}, {"CHILD": "B", "LS_ADOPTR": "L0"},
           {"CHILD": "C"}, {"CHILD": "D", "DATE_INT": "01/01/2020", "DATE_MATCH": "01/02/2020", "FOSTER_CARE": "0",
                            "NB_ADOPTR": "1", "SEX_ADOPTR": "M1", "LS_ADOPTR": "L0"}]
    assert run("525", PlacedAdoption=placed, AD1=ad1) == {"PlacedAdoption": [0, 1], "AD1": [0, 1]}


def test_525_every_reversed_decision_counts():
    # reversed in 2020, then a new decision that led to the adoption: still flagged, as the spec's logic
    placed = pa(("A", "01/01/2020", "01/06/2020", "RD1"), ("A", "01/01/2021", ""),
                ("B", "01/01/2021", ""), ("B", "01/06/2021", "01/09/2021", "RD3"), ("C", "01/01/2021", "", "RD3"))
    ad1 = [{"CHILD": "A", "DATE_INT": "01/01/2021"}, {"CHILD": "B", "DATE_INT": "01/06/2021"},
           {"CHILD": "C", "DATE_INT": "01/06/2021"}]
    assert run("525", PlacedAdoption=placed, AD1=ad1) == {"PlacedAdoption": [0, 3], "AD1": [0, 1]}


def test_559_earlier_decision_missing_from_last_return():
    now = pa(("A", "26/05/2019", ""), ("B", "01/01/2022", ""), ("C", "01/04/2022", ""), ("D", "01/02/2016", ""),
             ("E", "31/03/2022", ""), ("F", "", ""))
    last = pa(("A", "", ""), ("D", "01/02/2016", ""), ("E", "1/1/2022", ""))
    assert run("559", PlacedAdoption=now, last={"PlacedAdoption": last}) == {"PlacedAdoption": [0, 1]}


def test_559_one_undated_last_year_row_flags_even_beside_a_dated_one():
    now = pa(("A", "01/02/2021", ""), ("B", "01/02/2021", ""))
    last = pa(("A", "", "01/03/2020", "RD1"), ("A", "01/02/2021", ""), ("B", "1/2/21", ""), ("B", "01/02/2021", ""))
    assert run("559", PlacedAdoption=now, last={"PlacedAdoption": last}) == {"PlacedAdoption": [0, 1]}


def test_559_child_absent_from_last_years_table_is_flagged_whatever_the_header_says():
    now = pa(("A", "01/02/2021", ""), ("B", "01/02/2021", ""))
    last = {"PlacedAdoption": pa(("Z", "01/02/2021", "")), "Header": [{"CHILD": "B"}]}
    assert run("559", PlacedAdoption=now, last=last) == {"PlacedAdoption": [0, 1]}


def test_559_skipped_without_last_year():
    assert run("559", PlacedAdoption=pa(("A", "01/02/2021", "")), expect="skipped") == {}


def test_560_open_decision_date_changed():
    now = pa(("A", "27/05/2019", ""), ("B", "", ""), ("C", "05/05/2020", ""), ("D", "01/02/2016", ""),
             ("E", "1/2/2016", ""), ("F", "01/02/2016", ""))
    last = pa(("A", "26/05/2019", ""), ("B", "26/05/2000", ""), ("C", "26/05/2000", "01/07/2018", "RD1"),
              ("D", "01/02/2016", ""), ("E", "01/02/2016", ""), ("F", "", ""))
    # E: text comparison, so the same day written without leading zeros differs
    assert run("560", PlacedAdoption=now, last={"PlacedAdoption": last}) == {"PlacedAdoption": [0, 1, 4]}


def test_560_every_pairing_counts():
    now = pa(("A", "01/02/2016", "01/05/2022", "RD1"), ("A", "01/09/2022", ""))
    last = pa(("A", "01/02/2016", ""))
    assert run("560", PlacedAdoption=now, last={"PlacedAdoption": last}) == {"PlacedAdoption": [1]}


def test_560_skipped_without_last_year():
    assert run("560", PlacedAdoption=pa(("A", "01/02/2021", "")), expect="skipped") == {}


def test_561_same_date_as_decision_that_ceased():
    now = pa(("A", "01/02/2016", ""), ("B", "26/05/2019", ""), ("C", "26/05/2019", ""), ("D", "", ""),
             ("E", "1/2/2016", ""))
    last = pa(("A", "01/02/2016", "26/05/2017", "RD1"), ("B", "26/05/2019", "", "RD2"), ("C", "26/05/2019", ""),
              ("D", "", "01/01/2020", "RD1"), ("E", "01/02/2016", "26/05/2017", "RD1"))
    # E: text comparison, so the same day written without leading zeros is not the same date
    assert run("561", PlacedAdoption=now, last={"PlacedAdoption": last}) == {"PlacedAdoption": [0, 1]}


def test_561_skipped_without_last_year():
    assert run("561", PlacedAdoption=pa(("A", "01/02/2021", "")), expect="skipped") == {}


def test_563_ceased_without_decision_date():
    rows = pa(("1", "", "26/05/2001", "RD1"), ("2", "26/05/2000", "26/05/2001", "RD1"), ("3", "", "", ""))
    assert run("563", PlacedAdoption=rows) == {"PlacedAdoption": [0]}


def test_563_one_ceased_item_alone_passes():
    rows = pa(("1", "", "26/05/2001", ""), ("2", "", "", "RD2"), ("3", "", "x", "RD9"))
    assert run("563", PlacedAdoption=rows) == {"PlacedAdoption": [2]}


def test_579_overlapping_and_open_decisions():
    rows = pa(("A", "01/06/2022", "05/06/2022"), ("A", "04/06/2022", "10/06/2022"),
              ("B", "07/06/2022", ""), ("B", "03/06/2022", ""),
              ("C", "02/05/2022", "04/05/2022"), ("C", "04/05/2022", ""),
              ("D", "01/01/2022", ""),
              ("", "01/01/2022", ""), ("", "02/01/2022", ""))
    assert run("579", PlacedAdoption=rows) == {"PlacedAdoption": [1, 2]}


def test_579_only_the_previous_decision_is_compared():
    # the spec's note: C overlaps A but is only compared with B, which ended before it
    rows = pa(("A", "01/01/2022", "31/12/2022"), ("A", "01/02/2022", "01/03/2022"), ("A", "01/06/2022", ""))
    assert run("579", PlacedAdoption=rows) == {"PlacedAdoption": [1]}


def test_579_same_day_decisions_ordered_by_ceased_date_not_file_order():
    for rows in (pa(("A", "01/06/2022", ""), ("A", "01/06/2022", "05/06/2022")),
                 pa(("A", "01/06/2022", "05/06/2022"), ("A", "01/06/2022", ""))):
        # the ceased decision comes first; the open one starts before it ceased
        flagged = [i for i, r in enumerate(rows) if r["DATE_PLACED_CEASED"] == ""]
        assert run("579", PlacedAdoption=rows) == {"PlacedAdoption": flagged}


def test_579_missing_date_placed_sorts_last():
    rows = pa(("A", "", ""), ("A", "01/01/2022", "01/02/2022"), ("B", "", ""), ("B", "01/01/2022", ""))
    assert run("579", PlacedAdoption=rows) == {"PlacedAdoption": [2]}


def test_583_earlier_decision_not_revoked():
    rows = pa(("A", "01/02/2022", ""), ("A", "02/02/2022", ""),
              ("B", "01/02/2022", "02/02/2022"), ("B", "01/01/2022", ""),
              ("C", "01/02/2022", "02/02/2022"), ("C", "03/02/2022", ""),
              ("D", "01/01/2022", ""),
              ("E", "", ""), ("E", "01/01/2022", "01/02/2022"))
    assert run("583", PlacedAdoption=rows) == {"PlacedAdoption": [0, 3, 7]}


def test_583_latest_chosen_by_the_text_of_date_placed():
    """The logic records the latest as the DATE_PLACED text sorting last: '15/06/2022' sorts
    above '01/02/2023', so the open 2023 row is the one flagged (the notes' example)."""
    rows = pa(("A", "01/02/2023", ""), ("A", "15/06/2022", "01/09/2022"), ("B", "01/02/2023", ""),
              ("B", "15/06/2022", ""), ("C", "01/02/2023", ""), ("C", "01/02/2023", "05/05/2023"))
    assert run("583", PlacedAdoption=rows) == {"PlacedAdoption": [0, 2]}


def test_584_new_decision_not_after_ended_one():
    now = pa(("A", "01/02/2021", ""), ("B", "", ""), ("C", "01/02/2021", ""), ("D", "01/01/2019", ""),
             ("E", "15/06/2020", ""), ("F", "bad", ""), ("F", "", ""))
    last = pa(("A", "01/02/2021", "01/02/2021", "RD1"), ("B", "01/01/2020", "01/03/2020", "RD1"),
              ("C", "01/02/2020", "02/02/2020", "RD2"), ("D", "01/02/2020", ""),
              ("E", "01/02/2021", "", "RD4"), ("F", "", "01/01/2021", "RD1"))
    # F: an unparseable date is neither blank nor comparable
    assert run("584", PlacedAdoption=now, last={"PlacedAdoption": last}) == {"PlacedAdoption": [0, 1, 4, 6]}


def test_584_compares_dates_not_text():
    # as text '01/02/2021' <= '15/06/2020'; as dates it is later and passes
    now = pa(("A", "01/02/2021", ""))
    last = pa(("A", "15/06/2020", "01/09/2020", "RD1"))
    assert run("584", PlacedAdoption=now, last={"PlacedAdoption": last}) == {}


def test_584_skipped_without_last_year():
    assert run("584", PlacedAdoption=pa(("A", "01/02/2021", "")), expect="skipped") == {}


def test_525_blank_child_is_not_paired():
    placed = pa(("", "01/01/2020", "22/06/2020", "RD1"))
    assert run("525", PlacedAdoption=placed, AD1=[{"CHILD": "", "DATE_MATCH": "01/07/2020"}]) == {}
