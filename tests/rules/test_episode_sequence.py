import pytest
from rulecheck import run

from xl_validator.read import InputError


def ep(child="1", decom="", **kw):
    return {"CHILD": child, "DECOM": decom, **kw}


# --- 407 ---------------------------------------------------------------------------------------

def test_407_flags_sgo_after_18th_birthday_with_header_row():
    header = [{"CHILD": "1", "DOB": "01/01/2004"}, {"CHILD": "2", "DOB": "01/01/2006"},
              {"CHILD": "3", "DOB": "01/01/2000"}]
    eps = [ep("1", "01/06/2022", REC="E46", DEC="03/01/2023"),
           ep("2", "01/06/2022", REC="E45", DEC="01/01/2023"),
           ep("3", "01/01/2022", REC="E11", DEC="01/06/2022")]
    assert run("407", Header=header, Episodes=eps) == {"Episodes": [0], "Header": [0]}


def test_407_dec_on_18th_birthday_passes_the_day_after_flags():
    header = [{"CHILD": "1", "DOB": "01/01/2005"}, {"CHILD": "2", "DOB": "31/12/2004"}]
    eps = [ep("1", "01/06/2022", REC="E47", DEC="01/01/2023"),
           ep("2", "01/06/2022", REC="E48", DEC="01/01/2023")]
    assert run("407", Header=header, Episodes=eps) == {"Episodes": [1], "Header": [1]}


def test_407_missing_dates_or_header_row_pass():
    header = [{"CHILD": "1", "DOB": ""}, {"CHILD": "2", "DOB": "01/01/2000"}]
    eps = [ep("1", "01/06/2022", REC="E46", DEC="03/01/2023"),
           ep("2", "01/06/2022", REC="E46", DEC="32/01/2023"),
           ep("9", "01/06/2022", REC="E46", DEC="03/01/2023")]
    assert run("407", Header=header, Episodes=eps) == {}


def test_407_skipped_without_header():
    run("407", Episodes=[ep("1", "01/06/2022", REC="E46")], expect="skipped")


# --- 408, 426, 442, 445, 446, 451, 516 -----------------------------------------------------------

def test_408_adoption_placement_needs_e1():
    eps = [ep(PLACE="A5", LS="C2"), ep(PLACE="A6", LS=""), ep(PLACE="A6", LS="E1"), ep(PLACE="A3", LS="C2"),
           ep(PLACE="a6", LS="e1")]
    assert run("408", Episodes=eps) == {"Episodes": [0, 1]}


def test_426_flags_all_v3_v4_of_a_child_with_both():
    eps = [ep("1", LS="V3"), ep("1", LS="V4"), ep("1", LS="C2"),
           ep("2", LS="V3"), ep("2", LS="V3"), ep("2", LS="V4"),
           ep("3", LS="V3"), ep("3", LS="V3"), ep("4", LS="V4"), ep("4", LS="C2")]
    assert run("426", Episodes=eps) == {"Episodes": [0, 1, 3, 4, 5]}


def test_442_upn_needed_unless_only_respite():
    header = [{"CHILD": "1", "UPN": ""}, {"CHILD": "2", "UPN": ""}, {"CHILD": "3", "UPN": "UN1"},
              {"CHILD": "4", "UPN": ""}, {"CHILD": "5", "UPN": ""}]
    eps = [ep("1", LS="L1"), ep("1", LS="C2"), ep("2", LS=""), ep("3", LS="C2"), ep("4", LS="V3")]
    assert run("442", Header=header, Episodes=eps) == {"Header": [0, 1]}


def test_445_d1_after_2005():
    eps = [ep(decom="20/01/2006", LS="D1"), ep(decom="01/05/2022", LS="D1"), ep(decom="31/12/2005", LS="D1"),
           ep(decom="01/05/2022", LS="C1"), ep(decom="", LS="D1"), ep(decom="2022-05-01", LS="D1")]
    assert run("445", Episodes=eps) == {"Episodes": [0, 1]}


def test_445_deleted_in_2024():
    with pytest.raises(InputError, match="not in force"):
        run("445", year="2024/25", Episodes=[ep(decom="20/01/2006", LS="D1")])


def test_446_e1_before_december_2005():
    eps = [ep(decom="20/09/2004", LS="E1"), ep(decom="30/11/2005", LS="E1"), ep(decom="01/12/2005", LS="E1"),
           ep(decom="20/02/2005", LS="C1"), ep(decom="", LS="E1")]
    assert run("446", Episodes=eps) == {"Episodes": [0, 1]}


def test_451_open_d1_episode():
    eps = [ep(LS="D1"), ep(LS="D1", DEC="01/06/2022", REC="E11"), ep(LS="E1"),
           ep(LS="D1", DEC="xx"), ep(LS="D1", REC="E11")]
    assert run("451", Episodes=eps) == {"Episodes": [0]}


def test_516_sgo_to_foster_carer_needs_foster_placement():
    eps = [ep(REC="E45", PLACE="Z1"), ep(REC="E46", PLACE="R1"), ep(REC="E46", PLACE="U6"),
           ep(REC="E2", PLACE="K2"), ep(REC="E45", PLACE=""), ep(REC="", PLACE="")]
    assert run("516", Episodes=eps) == {"Episodes": [0, 1, 4]}


# --- 526-531 ---------------------------------------------------------------------------------

def test_526_provider_needed_except_t_and_z1():
    eps = [ep(PLACE="P1"), ep(PLACE="U1"), ep(PLACE="T1"), ep(PLACE="P0", PLACE_PROVIDER="PR2"),
           ep(PLACE="Z1"), ep(PLACE=""), ep(PLACE="Z11")]
    assert run("526", Episodes=eps) == {"Episodes": [0, 1, 5, 6]}


def test_526_from_2025_z11_to_z14_exempt_and_z1_not():
    eps = [ep(PLACE="U1"), ep(PLACE="Z1"), ep(PLACE="Z14"), ep(PLACE="K2", PLACE_PROVIDER="PR2"),
           ep(PLACE="T0"), ep(PLACE="")]
    assert run("526", year="2025/26", Episodes=eps) == {"Episodes": [0, 1, 5]}
    assert run("526", year="2026/27", Episodes=eps) == {"Episodes": [0, 1, 5]}


def test_527_to_531_provider_and_placement_combinations():
    rows = [("P1", "PR1"), ("R2", "PR1"), ("R5", "PR1"), ("K1", "PR1"), ("P1", "PR4"),
            ("R5", "PR2"), ("P1", "PR5"), ("U3", "PR3"), ("A3", "PR3"), ("T1", "PR3"), ("U1", "PR0"),
            ("P1", "pr4"), ("P1", "")]
    eps = [ep(PLACE=p, PLACE_PROVIDER=pp) for p, pp in rows]
    assert run("527", Episodes=eps) == {"Episodes": [0, 1, 2]}
    assert run("528", Episodes=eps) == {"Episodes": [5]}
    assert run("529", Episodes=eps) == {"Episodes": [7, 8]}
    assert run("530", Episodes=eps) == {"Episodes": [4, 11]}
    assert run("531", Episodes=eps) == {"Episodes": [6]}


# --- 521 ---------------------------------------------------------------------------------------

def test_521_decision_after_adoption_placement_flags_both():
    eps = [ep("1", "01/01/2020", PLACE="A6"), ep("2", "01/01/2020", PLACE="A3"),
           ep("2", "22/06/2020", PLACE="A3"), ep("3", "22/06/2020", PLACE="A3"),
           ep("4", "01/01/2020", PLACE="U1"), ep("5", "", PLACE="A4")]
    ad1 = [{"CHILD": "1", "DATE_INT": "08/03/2020"}, {"CHILD": "2", "DATE_INT": "22/06/2020"},
           {"CHILD": "3", "DATE_INT": "22/06/2020"}, {"CHILD": "4", "DATE_INT": "01/02/2020"},
           {"CHILD": "5", "DATE_INT": "01/02/2020"}, {"CHILD": "6", "DATE_INT": "01/02/2020"}]
    assert run("521", Episodes=eps, AD1=ad1) == {"Episodes": [0, 1], "AD1": [0, 1]}


def test_521_skipped_without_ad1():
    run("521", Episodes=[ep("1", "01/01/2020", PLACE="A6")], expect="skipped")


# --- 431-437 -----------------------------------------------------------------------------------

def test_431_s_episode_on_day_previous_ended():
    eps = [ep("1", "01/06/2022", DEC="08/06/2022"), ep("1", "08/06/2022", RNE="S"),
           ep("2", "01/06/2022", DEC="04/06/2022"), ep("2", "05/06/2022", RNE="S"),
           ep("3", "01/06/2022", DEC="08/06/2022"), ep("3", "08/06/2022", RNE="P"),
           ep("4", "01/06/2022", RNE="S")]
    assert run("431", Episodes=eps) == {"Episodes": [1]}


def test_431_overlap_flagged_open_or_undated_previous_not():
    eps = [ep("1", "01/06/2022", DEC="10/06/2022"), ep("1", "08/06/2022", RNE="S"),
           ep("2", "01/06/2022"), ep("2", "08/06/2022", RNE="S"),
           ep("3", "01/06/2022", DEC="31/06/2022"), ep("3", "08/06/2022", RNE="S")]
    assert run("431", Episodes=eps) == {"Episodes": [1]}


def test_432_episode_after_care_ended_must_be_s():
    eps = [ep("1", "01/06/2022", REC="E3"), ep("1", "01/08/2022", RNE="P"),
           ep("2", "01/06/2022", REC="E4A"), ep("2", "01/08/2022", RNE=""),
           ep("3", "01/06/2022", REC="E3"), ep("3", "01/08/2022", RNE="S"),
           ep("4", "01/06/2022", REC="X1"), ep("4", "01/08/2022", RNE="P"),
           ep("5", "01/08/2022", RNE="P")]
    assert run("432", Episodes=eps) == {"Episodes": [1, 3]}


def test_432_orders_by_decom_not_file_order():
    eps = [ep("1", "01/08/2022", RNE="P"), ep("1", "01/06/2022", REC="E3", RNE="S")]
    assert run("432", Episodes=eps) == {"Episodes": [0]}


def test_433_continuation_must_start_when_previous_ended():
    eps = [ep("1", "01/09/2022", DEC="12/09/2022"), ep("1", "11/09/2022", RNE="B"),
           ep("2", "01/09/2022"), ep("2", "11/09/2022", RNE="P"),
           ep("3", "01/11/2022", DEC="19/11/2022"), ep("3", "19/11/2022", RNE="P"),
           ep("4", "01/11/2022", DEC="10/11/2022"), ep("4", "19/11/2022", RNE="S"),
           ep("5", "01/11/2022", RNE="P")]
    assert run("433", Episodes=eps) == {"Episodes": [1, 3]}


def test_433_compares_date_texts_as_entered():
    # '1/6/2022' is not the text '01/06/2022' (flagged); two equal unparseable texts match
    eps = [ep("1", "01/05/2022", DEC="01/06/2022"), ep("1", "1/6/2022", RNE="T"),
           ep("2", "01/05/2022", DEC="31/06/2022"), ep("2", "31/06/2022", RNE="T"),
           ep("3", "01/05/2022", DEC="01/06/2022"), ep("3", "", RNE="U")]
    assert run("433", Episodes=eps) == {"Episodes": [1, 5]}


def test_433_same_decom_ordered_by_dec_in_any_file_order():
    # both start 01/06; by DEC the one-day episode comes first, so the second continues it
    eps = [ep("1", "01/06/2022", DEC="05/06/2022", RNE="P"), ep("1", "01/06/2022", DEC="01/06/2022", RNE="P")]
    assert run("433", Episodes=eps) == {}
    assert run("433", Episodes=eps[::-1]) == {}


def test_433_same_decom_and_dec_ordered_by_row_text_not_file_order():
    # identical dates: the row whose text sorts first (RNE 'B') is first, so the 'P' row is the
    # continuation; it starts 01/06 while the 'B' row ended 02/06, so it is flagged either way
    eps = [ep("1", "01/06/2022", DEC="02/06/2022", RNE="P"), ep("1", "01/06/2022", DEC="02/06/2022", RNE="B")]
    assert run("433", Episodes=eps) == {"Episodes": [0]}
    assert run("433", Episodes=eps[::-1]) == {"Episodes": [1]}


def test_434_legal_status_only_change():
    base = dict(PLACE="U1", PL_POST="M1 1AE", URN="SC1", PLACE_PROVIDER="PR1")
    eps = [ep("1", "01/06/2022", LS="C2", **base), ep("1", "02/06/2022", RNE="L", LS="C2", **base),
           ep("2", "01/06/2022", LS="C1", **base), ep("2", "02/06/2022", RNE="L", LS="C2", **{**base, "URN": "SC2"}),
           ep("3", "01/06/2022", LS="C1", **base), ep("3", "02/06/2022", RNE="L", LS="C2", **base),
           ep("4", "01/06/2022", LS="C2", **base), ep("4", "02/06/2022", RNE="P", LS="C2", **base),
           ep("5", "01/06/2022", LS="", PLACE="U1"), ep("5", "02/06/2022", RNE="L", LS="", PLACE="U1"),
           ep("6", "02/06/2022", RNE="L", LS="C2")]
    assert run("434", Episodes=eps) == {"Episodes": [1, 3]}


def test_435_placement_only_change():
    base = dict(PLACE="U1", PL_POST="M1 1AE", URN="SC1", PLACE_PROVIDER="PR1")
    eps = [ep("1", "01/06/2022", LS="C1", **base), ep("1", "02/06/2022", RNE="P", LS="C2", PLACE="U2"),
           ep("2", "01/06/2022", LS="C2", **base), ep("2", "02/06/2022", RNE="P", LS="C2", **base),
           ep("3", "01/06/2022", LS="C2", **base), ep("3", "02/06/2022", RNE="P", LS="C2", **{**base, "PL_POST": "TW9 1DN"}),
           ep("4", "01/06/2022", LS="C2", **base), ep("4", "02/06/2022", RNE="T", LS="C2", **{**base, "URN": "SC9"})]
    assert run("435", Episodes=eps) == {"Episodes": [1, 3]}


def test_435_blank_equals_nothing():
    # two blank LS count as a change (flagged); a placement unchanged but with URN/provider
    # blank on both counts as changed (passes)
    eps = [ep("1", "01/06/2022", LS="", PLACE="U1"), ep("1", "02/06/2022", RNE="P", LS="", PLACE="U2"),
           ep("2", "01/06/2022", LS="C2", PLACE="U1", PL_POST="M1 1AE"),
           ep("2", "02/06/2022", RNE="T", LS="C2", PLACE="U1", PL_POST="M1 1AE")]
    assert run("435", Episodes=eps) == {"Episodes": [1]}


def test_436_both_changed():
    base = dict(PLACE="U1", PL_POST="M1 1AE", URN="SC1", PLACE_PROVIDER="PR1")
    eps = [ep("1", "01/06/2022", LS="C2", **base), ep("1", "02/06/2022", RNE="B", LS="C2", PLACE="U2"),
           ep("2", "01/06/2022", LS="C1", **base), ep("2", "02/06/2022", RNE="U", LS="C2", **base),
           ep("3", "01/06/2022", LS="C1", **base), ep("3", "02/06/2022", RNE="B", LS="C2", PLACE="K2"),
           ep("4", "01/06/2022", LS="C1", **base), ep("4", "02/06/2022", RNE="P", LS="C1", **base),
           ep("5", "01/06/2022", LS="", PLACE="U1"), ep("5", "02/06/2022", RNE="U", LS="", PLACE="U2")]
    assert run("436", Episodes=eps) == {"Episodes": [1, 3, 9]}


def test_437_no_episode_after_death():
    eps = [ep("1", "01/05/2022", REC="E2"), ep("1", "01/10/2022"),
           ep("2", "01/05/2022", REC="E15", DEC="11/09/2022"), ep("2", "07/01/2023"),
           ep("3", "01/05/2022"), ep("3", "01/10/2022", REC="E2"),
           ep("4", "01/05/2022", REC="X1"), ep("4", "01/10/2022"),
           ep("5", "01/05/2022", REC="E2"), ep("5", "bad"),
           ep("6", "bad", REC="E2"), ep("6", "01/05/2022")]
    assert run("437", Episodes=eps) == {"Episodes": [0, 2, 8]}


# --- 501, 504 ----------------------------------------------------------------------------------

def test_501_start_before_previous_end():
    eps = [ep("1", "01/06/2022", DEC="06/06/2022"), ep("1", "02/06/2022"),
           ep("2", "08/06/2022", DEC="09/06/2022"), ep("2", "08/06/2022"),
           ep("3", "01/06/2022", DEC="04/06/2022"), ep("3", "04/06/2022"),
           ep("4", "01/06/2022"), ep("4", "04/06/2022"),
           ep("5", "01/06/2022", DEC="06/06/2022"), ep("5", "")]
    assert run("501", Episodes=eps) == {"Episodes": [1, 3]}


def test_504_cin_differs_within_period_of_care():
    eps = [ep("1", "01/06/2022", DEC="04/06/2022", REC="X1", CIN="N1"), ep("1", "04/06/2022", CIN="N2"),
           ep("2", "01/06/2022", DEC="04/06/2022", REC="X1", CIN="N2"), ep("2", "04/06/2022", CIN="N2"),
           ep("3", "01/06/2022", DEC="04/06/2022", REC="E13", CIN="N1"), ep("3", "04/06/2022", CIN="N2"),
           ep("4", "01/06/2022", DEC="03/06/2022", REC="X1", CIN="N1"), ep("4", "04/06/2022", CIN="N2")]
    assert run("504", Episodes=eps) == {"Episodes": [1]}


def test_504_compares_with_the_immediately_preceding_episode():
    eps = [ep("1", "01/06/2022", DEC="04/06/2022", REC="X1", CIN="N1"),
           ep("1", "04/06/2022", DEC="10/06/2022", REC="X1", CIN="N2"),
           ep("1", "10/06/2022", DEC="12/06/2022", REC="E13", CIN="N2"),
           ep("1", "01/09/2022", CIN="N5")]
    assert run("504", Episodes=eps) == {"Episodes": [1]}


def test_504_two_blank_cins_count_as_different():
    eps = [ep("1", "01/06/2022", DEC="04/06/2022", REC="X1", CIN=""), ep("1", "04/06/2022", CIN="")]
    assert run("504", Episodes=eps) == {"Episodes": [1]}
