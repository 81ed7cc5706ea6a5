from rulecheck import run


def ep(child="1", decom="", dec="", place="", rne="", rec="", ls="", **kw):
    return {"CHILD": child, "DECOM": decom, "DEC": dec, "PLACE": place, "RNE": rne, "REC": rec, "LS": ls, **kw}


# --- 334 -------------------------------------------------------------------------------

def test_334_flags_decision_before_latest_start_of_care():
    eps = [ep("1", "01/01/2020", rne="S"), ep("1", "01/01/2022", rne="S"), ep("1", "01/02/2022", rne="P"),
           ep("2", "01/01/2022", rne="S"), ep("3", "01/01/2022", rne="P")]
    ad1 = [{"CHILD": "1", "DATE_INT": "26/05/2021"}, {"CHILD": "2", "DATE_INT": "26/05/2022"},
           {"CHILD": "3", "DATE_INT": "26/05/2021"}]
    assert run("334", Episodes=eps, AD1=ad1) == {"Episodes": [1], "AD1": [0]}


def test_334_equal_dates_blank_date_int_and_unusable_decom_pass():
    eps = [ep("1", "01/01/2022", rne="S"), ep("2", "01/01/2022", rne="S"), ep("3", "xx", rne="S")]
    ad1 = [{"CHILD": "1", "DATE_INT": "01/01/2022"}, {"CHILD": "2", "DATE_INT": ""},
           {"CHILD": "3", "DATE_INT": "01/01/2000"}]
    assert run("334", Episodes=eps, AD1=ad1) == {}


def test_334_skipped_without_ad1():
    run("334", Episodes=[ep("1", "01/01/2022", rne="S")], expect="skipped")


# --- 335 -------------------------------------------------------------------------------

def test_335_foster_carer_flag_against_adoption_placement():
    eps = [ep("1", place="A3", rec="E12"), ep("2", place="A4", rec="E11"), ep("3", place="A5", rec="E11"),
           ep("4", place="A3", rec="E13"), ep("5", place="A6", rec="E11")]
    ad1 = [{"CHILD": c, "FOSTER_CARE": f} for c, f in (("1", "0"), ("2", "1"), ("3", "1"), ("4", "0"), ("5", ""))]
    assert run("335", Episodes=eps, AD1=ad1) == {"Episodes": [0, 1], "AD1": [0, 1]}


# --- 336 -------------------------------------------------------------------------------

def test_336_a3_or_a4_needs_a_foster_or_adoption_placement_before():
    """The spec's examples: T1 then A3 and R1 then A4 flag; U1 then A3, and A3 first, pass.
    A5 is not checked (the logic tests A3 and A4)."""
    eps = [ep("1", "01/04/2022", place="T1"), ep("1", "01/05/2022", place="A3"),
           ep("2", "01/04/2022", place="U1"), ep("2", "01/05/2022", place="A3"),
           ep("3", "01/05/2022", place="A3"),
           ep("4", "01/04/2022", place=""), ep("4", "01/05/2022", place="A5"),
           ep("5", "01/04/2022", place="R1"), ep("5", "01/05/2022", place="A4"),
           ep("6", "01/04/2022", place=""), ep("6", "01/05/2022", place="A3")]
    assert run("336", Episodes=eps) == {"Episodes": [1, 8, 10]}


def test_336_child_with_no_dated_episode_is_skipped_and_blank_decoms_sort_last():
    """The notes: the known implementation fails when all of a child's DECOMs are blank or
    unparseable; that child is skipped (a departure), the others still checked. A child with
    one dated episode keeps the logic: its undated A3 sorts last, after the dated T1."""
    eps = [ep("1", "", place="T1"), ep("1", "xx/04/2022", place="A3"),
           ep("2", "01/04/2022", place="T1"), ep("2", "", place="A3"),
           ep("3", "01/04/2022", place="T1"), ep("3", "01/05/2022", place="A4")]
    assert run("336", Episodes=eps) == {"Episodes": [3, 5]}


# --- 390 -------------------------------------------------------------------------------

def test_390_adoption_needs_adoption_placement():
    eps = [ep("1", "01/04/2022", place="P1", rec="E11"), ep("2", "01/04/2022", place="", rec="E12"),
           ep("3", "01/04/2022", place="A4", rec="E12"), ep("4", "01/04/2022", place="U1", rec="X1")]
    assert run("390", Episodes=eps) == {"Episodes": [0, 1]}


def test_390_earlier_adoption_placement_does_not_count():
    """DfE coding: only the ceasing episode's own PLACE counts."""
    eps = [ep("1", "01/05/2022", place="U1", rec="E11"), ep("1", "01/04/2022", place="A5", rec="X1"),
           ep("2", "01/04/2022", place="A5", rec="E11")]
    assert run("390", Episodes=eps) == {"Episodes": [0]}


# --- episode dates ---------------------------------------------------------------------

def test_353_episodes_before_14_october_1991():
    eps = [ep(decom="02/06/1980"), ep(decom="13/10/1991"), ep(decom="14/10/1991"), ep(decom=""), ep(decom="1991-01-01")]
    assert run("353", Episodes=eps) == {"Episodes": [0, 1]}


def test_354_episode_after_collection_end():
    eps = [ep(decom="01/04/2023"), ep(decom="01/01/2024"), ep(decom="31/03/2023"),
           ep(decom="01/01/2023", dec="31/03/2023"), ep(decom="bad")]
    assert run("354", Episodes=eps) == {"Episodes": [0, 1]}


def test_354_late_dec_is_left_to_385():
    eps = [ep(decom="01/01/2023", dec="01/05/2023")]
    assert run("354", Episodes=eps) == {}
    assert run("385", Episodes=eps) == {"Episodes": [0]}


def test_355_same_day_episode():
    eps = [ep(decom="01/06/2022", dec="01/06/2022"), ep(decom="01/06/2022", dec="02/06/2022"),
           ep(decom="01/06/2022", dec="")]
    assert run("355", Episodes=eps) == {"Episodes": [0]}


def test_355_compares_text_so_two_blanks_flag_and_differently_written_dates_pass():
    eps = [ep(decom="", dec=""), ep(decom="1/6/2022", dec="01/06/2022"), ep(decom="bad", dec="bad")]
    assert run("355", Episodes=eps) == {"Episodes": [0, 2]}


def test_356_dec_before_decom():
    eps = [ep(decom="14/03/2023", dec="08/12/2022"), ep(decom="07/09/2022", dec="07/09/2022"),
           ep(decom="07/09/2022", dec=""), ep(decom="07/09/2022", dec="32/01/2022")]
    assert run("356", Episodes=eps) == {"Episodes": [0]}


def test_385_dec_after_collection_end():
    eps = [ep(dec="04/04/2023"), ep(dec="31/03/2023"), ep(dec=""), ep(dec="2024")]
    assert run("385", Episodes=eps) == {"Episodes": [0]}


def test_385_respects_given_collection_end():
    assert run("385", Episodes=[ep(dec="04/04/2022"), ep(dec="31/03/2022")], collection_start="01/04/2021",
               collection_end="31/03/2022") == {"Episodes": [0]}


# --- 357 -------------------------------------------------------------------------------

def test_357_first_episode_must_start_care():
    eps = [ep("1", "10/05/2022", rne="P"), ep("1", "10/06/2022", rne="P"),
           ep("2", "01/04/2022", rne=""),
           ep("3", "10/05/2022", rne="S"), ep("3", "11/05/2022", rne="P"),
           ep("4", "15/02/2022", rne="P"), ep("4", "15/05/2022", rne="P")]
    assert run("357", Episodes=eps) == {"Episodes": [0, 2]}


def test_357_unparseable_decom_is_ignored():
    eps = [ep("2", "bad", rne="S"), ep("2", "10/05/2022", rne="L")]
    assert run("357", Episodes=eps) == {"Episodes": [1]}


def test_357_ties_do_not_depend_on_row_order():
    """Same start day: the episode that ended first is the first; equal on both dates, an
    'S' episode is taken if there is one. Either row order gives the same result."""
    ended_first = [ep("1", "10/05/2022", "10/05/2022", rne="P", rec="X1"), ep("1", "10/05/2022", rne="S")]
    both_open = [ep("2", "10/05/2022", rne="P"), ep("2", "10/05/2022", rne="S")]
    neither = [ep("3", "10/05/2022", rne="P", place="U1"), ep("3", "10/05/2022", rne="L", place="U2")]
    for rows, flagged_rne in ((ended_first, {"P"}), (both_open, set()), (neither, {"L"})):
        for eps in (rows, rows[::-1]):
            found = run("357", Episodes=eps).get("Episodes", [])
            assert {eps[i]["RNE"] for i in found} == flagged_rne, eps


# --- 388 -------------------------------------------------------------------------------

def test_388_x1_needs_a_continuation_on_the_same_day():
    eps = [ep("1", "01/05/2022", "04/06/2022", rec="X1"), ep("1", "05/06/2022"),
           ep("2", "01/05/2022", "06/06/2022", rec="X1"), ep("2", "06/06/2022", rec="E4A", dec="10/06/2022"),
           ep("3", "01/05/2022", "16/06/2022", rec="X1"),
           ep("4", "01/05/2022", "", rec="X1"), ep("", "01/05/2022", "16/06/2022", rec="X1")]
    assert run("388", Episodes=eps) == {"Episodes": [0, 4]}


def test_388_flags_another_rec_followed_by_a_same_day_episode():
    """DfE long description, case 2: care continued, so REC should be X1."""
    eps = [ep("1", "01/05/2022", "06/06/2022", rec="E11"), ep("1", "06/06/2022"),
           ep("2", "01/05/2022", "06/06/2022", rec="E11"), ep("2", "07/06/2022"),
           ep("3", "01/05/2022", "06/06/2022", rec=""), ep("3", "06/06/2022"),
           ep("4", "01/05/2022", "", rec="E4A")]
    assert run("388", Episodes=eps) == {"Episodes": [0]}


def test_388_spec_examples():
    eps = [ep("1", "01/05/2022", "04/06/2022", rec="X1"), ep("1", "05/06/2022"),
           ep("2", "01/05/2022", "06/06/2022", rec="E11"), ep("2", "06/06/2022"),
           ep("3", "01/05/2022", "16/06/2022", rec="X1"),
           ep("4", "01/05/2022", "06/06/2022", rec="X1"), ep("4", "06/06/2022"),
           ep("5", "01/05/2022", "10/06/2022", rec="E4A")]
    assert run("388", Episodes=eps) == {"Episodes": [0, 2, 4]}


def test_388_same_day_episodes_ordered_by_dec_not_by_row_order():
    rows = [ep("1", "01/05/2022", "01/05/2022", rec="X1"), ep("1", "01/05/2022", "03/05/2022", rec="X1"),
            ep("1", "03/05/2022", "", rec="")]
    assert run("388", Episodes=rows) == {}
    assert run("388", Episodes=rows[::-1]) == {}


def test_388_blank_decom_sorts_first():
    eps = [ep("1", "01/05/2022", "06/06/2022", rec="X1"), ep("1", "", "01/05/2022", rec="X1")]
    assert run("388", Episodes=eps) == {"Episodes": [0]}


# --- ages --------------------------------------------------------------------------------

def test_370_to_374_flag_the_day_before_the_birthday():
    for code, place, dob in (("370", "P2", "15/03/2008"), ("371", "H5", "15/03/2009"),
                             ("372", "R5", "15/03/2013"), ("373", "S1", "15/03/2019"), ("374", "P3", "15/03/2009")):
        eps = [ep("1", "14/03/2023", "25/03/2023", place=place), ep("1", "15/03/2023", "25/03/2023", place=place),
               ep("1", "14/03/2023", "25/03/2023", place="U1"), ep("2", "14/03/2023", "25/03/2023", place=place)]
        hdr = [{"CHILD": "1", "DOB": dob}]
        assert run(code, Episodes=eps, Header=hdr) == {"Episodes": [0]}, code


def test_370_open_episode_bad_dates_and_missing_header_are_not_checked():
    eps = [ep("1", "01/01/2023", "", place="P2"), ep("2", "01/01/2023", "01/02/2023", place="P2"),
           ep("1", "bad", "01/02/2023", place="P2"), ep("3", "01/01/2023", "01/02/2023", place="P2"),
           ep("1", "01/01/2023", "01/02/2023", place="P2")]
    hdr = [{"CHILD": "1", "DOB": "15/03/2010"}, {"CHILD": "2", "DOB": ""}]
    assert run("370", Episodes=eps, Header=hdr) == {"Episodes": [4]}


def test_370_any_header_row_of_a_repeated_child_can_flag():
    eps = [ep("1", "01/01/2023", "01/02/2023", place="P2")]
    hdr = [{"CHILD": "1", "DOB": "15/03/2000"}, {"CHILD": "1", "DOB": "15/03/2010"}]
    assert run("370", Episodes=eps, Header=hdr) == {"Episodes": [0]}
    assert run("370", Episodes=eps, Header=hdr[::-1]) == {"Episodes": [0]}


def test_370_needs_header():
    run("370", Episodes=[ep(place="P2")], expect="skipped")


def test_370_and_371_from_2023_need_16():
    hdr = [{"CHILD": "1", "DOB": "15/03/2008"}]
    for code, place in (("370", "P2"), ("371", "H5")):
        eps = [ep("1", "14/03/2024", "25/04/2024", place=place), ep("1", "15/03/2024", "25/04/2024", place=place)]
        assert run(code, year="2023/24", Episodes=eps, Header=hdr) == {"Episodes": [0]}


def test_370_is_gone_in_2024():
    import pytest
    from xl_validator.api import InputError
    with pytest.raises(InputError):
        run("370", year="2024/25", Episodes=[ep()], Header=[{"CHILD": "1"}])


def test_371_from_2024_checks_k3():
    hdr = [{"CHILD": "1", "DOB": "15/03/2009"}]
    eps = [ep("1", "14/03/2025", "25/04/2025", place="K3"), ep("1", "15/03/2025", "25/04/2025", place="K3"),
           ep("1", "14/03/2025", "25/04/2025", place="H5"), ep("1", "01/01/2025", "", place="K3")]
    assert run("371", year="2024/25", Episodes=eps, Header=hdr) == {"Episodes": [0]}


# --- temporary placements ----------------------------------------------------------------

def test_375_376_379_length_limits():
    hdr = [{"CHILD": "1", "DOB": "01/01/2010"}]
    for code, place, bad, good in (("375", "T1", ("01/01/2023", "13/02/2023"), ("01/02/2023", "15/03/2023")),
                                   ("376", "T3", ("01/02/2023", "23/02/2023"), ("01/01/2023", "22/01/2023")),
                                   ("379", "T4", ("01/02/2023", "09/02/2023"), ("02/03/2023", "09/03/2023"))):
        eps = [ep("1", *bad, place=place), ep("1", *good, place=place), ep("1", *bad, place="U1"),
               ep("1", bad[0], "bad", place=place)]
        assert run(code, Episodes=eps, Header=hdr) == {"Episodes": [0]}, code


def test_375_open_episode_and_child_without_valid_dob_are_not_measured():
    eps = [ep("1", "01/02/2022", "", place="T1"), ep("2", "01/01/2023", "13/02/2023", place="T1"),
           ep("3", "01/01/2023", "13/02/2023", place="T1"), ep("4", "01/01/2023", "13/02/2023", place="T1")]
    hdr = [{"CHILD": "1", "DOB": "01/01/2010"}, {"CHILD": "2", "DOB": ""}, {"CHILD": "4", "DOB": "01/01/2010"}]
    assert run("375", Episodes=eps, Header=hdr) == {"Episodes": [3]}


def test_377_three_holiday_placements_within_twelve_months():
    eps = [ep("1", "01/06/2022", place="T3", rne="P"), ep("1", "06/06/2022", place="T3", rne="P"),
           ep("1", "08/06/2022", place="T3", rne="P"), ep("1", "10/06/2022", place="T1", rne="P"),
           ep("2", "01/06/2022", place="T3", rne="P"), ep("2", "01/07/2022", place="T3", rne="P"),
           ep("3", "01/06/2022", place="T3", rne="P")] + [ep("3", "0%d/07/2022" % i, place="T1") for i in (1, 2, 3)]
    assert run("377", Episodes=eps) == {"Episodes": [0, 1, 2]}


def test_377_counts_t3_episodes_in_the_file_whatever_their_dates():
    eps = [ep("1", "20/03/2022", place="T3", rne="P"), ep("1", "01/06/2022", place="T3", rne="P"),
           ep("1", "25/03/2023", place="T3", rne="L"), ep("1", "", place="U1"),
           ep("2", "01/06/2022", place="T3", rne="P"), ep("2", "05/06/2022", place="T3", rne="L")]
    assert run("377", Episodes=eps) == {"Episodes": [0, 1, 2]}


def test_380_temporary_placement_entered_other_than_by_p_or_b():
    eps = [ep(place="T0", rne="S"), ep(place="T1", rne="L"), ep(place="T2", rne=""), ep(place="T3", rne="U"),
           ep(place="T4", rne="T"), ep(place="T1", rne="P"), ep(place="T0", rne="B"), ep(place="U1", rne="S")]
    assert run("380", Episodes=eps) == {"Episodes": [0, 1, 2, 3, 4]}


def test_381_care_cannot_end_in_temporary_placement():
    eps = [ep(place="T0", rec="E4A"), ep(place="T3", rec="E13"), ep(place="T3", rec="X1"),
           ep(place="T2", rec=""), ep(place="U2", rec="E11")]
    assert run("381", Episodes=eps) == {"Episodes": [0, 1]}


def test_383_return_to_normal_placement():
    eps = [ep("1", "01/04/2022", place="U1"), ep("1", "01/05/2022", place="T1", rne="P"),
           ep("1", "01/06/2022", place="U1", rne="T"),
           ep("2", "01/04/2022", place="U1"), ep("2", "01/05/2022", place="T1", rne="P"),
           ep("2", "01/06/2022", place="U3", rne="P"),
           ep("3", "01/04/2022", place="U1"), ep("3", "01/05/2022", place="T3", rne="P"),
           ep("3", "01/06/2022", place="U1", rne="P"),
           ep("4", "01/04/2022", place="U1"), ep("4", "01/05/2022", place="T1", rne="P"),
           ep("5", "01/04/2022", place="T1"), ep("5", "01/05/2022", place="U1", rne="P")]
    assert run("383", Episodes=eps) == {"Episodes": [2, 5]}


def test_383_each_episode_compared_with_the_one_two_back():
    """A run of temporary placements is not one absence: in U1, T1, T3, U1 the T3 and the
    final U1 are flagged (each is compared with the episode two back)."""
    eps = [ep("1", "01/04/2022", place="U1"), ep("1", "01/05/2022", place="T1", rne="P"),
           ep("1", "08/05/2022", place="T3", rne="P"), ep("1", "01/06/2022", place="U1", rne="P")]
    assert run("383", Episodes=eps) == {"Episodes": [2, 3]}
    assert run("383", year="2025/26", Episodes=eps) == {"Episodes": [2, 3]}


def test_383_from_2025_also_needs_the_same_postcode():
    eps = [ep("1", "01/04/2025", place="S1", PL_POST="AB1 2CD"), ep("1", "01/05/2025", place="T1", rne="P"),
           ep("1", "01/06/2025", place="S1", rne="P", PL_POST="EF3 4GH"),
           ep("2", "01/04/2025", place="S1", PL_POST="AB1 2CD"), ep("2", "01/05/2025", place="T1", rne="P"),
           ep("2", "01/06/2025", place="S1", rne="P", PL_POST="AB1 2CD"),
           ep("3", "01/04/2025", place="S1", PL_POST="AB1 2CD"), ep("3", "01/05/2025", place="T1", rne="P"),
           ep("3", "01/06/2025", place="S2", rne="P", PL_POST="AB1 2CD"),
           ep("4", "01/05/2025", place="T1", rne="S"), ep("4", "01/06/2025", place="S1", rne="S")]
    assert run("383", year="2025/26", Episodes=eps) == {"Episodes": [2, 8]}
    assert run("383", year="2024/25", Episodes=eps) == {"Episodes": [8]}


def test_383_from_2025_postcodes_are_exact_text_and_blank_never_matches():
    eps = [ep("1", "01/04/2025", place="S1", PL_POST="AB1 2CD"), ep("1", "01/05/2025", place="T1", rne="P"),
           ep("1", "01/06/2025", place="S1", rne="P", PL_POST="AB12CD"),
           ep("2", "01/04/2025", place="S1"), ep("2", "01/05/2025", place="T1", rne="P"),
           ep("2", "01/06/2025", place="S1", rne="P"),
           ep("3", "01/04/2025", place="U1", PL_POST="AB1 2CD"), ep("3", "01/05/2025", place="T1", rne="P"),
           ep("3", "01/06/2025", place="U1", rne="T", PL_POST="AB1 2CD")]
    assert run("383", year="2025/26", Episodes=eps) == {"Episodes": [2, 5, 8]}
    assert run("383", year="2024/25", Episodes=eps) == {"Episodes": [8]}


def test_389_adult_services_before_16():
    eps = [ep("1", rec="E7", dec="23/08/2022"), ep("2", rec="E7", dec="16/03/2023"), ep("2", rec="E7", dec="15/03/2023"),
           ep("1", rec="X1", dec="23/08/2022"), ep("1", rec="e7", dec="23/08/2022")]
    hdr = [{"CHILD": "1", "DOB": "31/12/2010"}, {"CHILD": "2", "DOB": "16/03/2007"}]
    assert run("389", Episodes=eps, Header=hdr) == {"Episodes": [0, 2, 4]}


def test_389_unknown_age_is_flagged():
    eps = [ep("1", rec="E7", dec=""), ep("2", rec="E7", dec="01/01/2023"), ep("3", rec="E7", dec="01/01/2023"),
           ep("4", rec="E7", dec="01/01/2023"), ep("4", rec="", dec="")]
    hdr = [{"CHILD": "1", "DOB": "31/12/2000"}, {"CHILD": "2", "DOB": "2010"}, {"CHILD": "4", "DOB": "01/01/2000"}]
    assert run("389", Episodes=eps, Header=hdr) == {"Episodes": [0, 1, 2]}


def test_334_latest_start_ties_do_not_depend_on_row_order():
    rows = [ep("1", "01/01/2020", rne="S"), ep("1", "01/01/2022", rne="S", place="U1"),
            ep("1", "01/01/2022", rne="S", place="U3")]
    ad1 = [{"CHILD": "1", "DATE_INT": "01/06/2021"}]
    for eps in (rows, rows[::-1]):
        found = run("334", Episodes=eps, AD1=ad1)
        assert [eps[i]["PLACE"] for i in found["Episodes"]] == ["U1"] and found["AD1"] == [0]


def test_335_each_ad1_row_flagged_once():
    eps = [ep("1", "01/04/2022", place="A3", rec="E12"), ep("1", "01/05/2022", place="A5", rec="E11")]
    assert run("335", Episodes=eps, AD1=[{"CHILD": "1", "FOSTER_CARE": "0"}]) == {"Episodes": [0, 1], "AD1": [0]}
