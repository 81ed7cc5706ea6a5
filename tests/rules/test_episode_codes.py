from rulecheck import run


def ep(child="1", **kw):
    return {"CHILD": child, **kw}


# 141 / 147: dates
def test_141_flags_filled_decom_that_is_not_a_date():
    rows = [ep(DECOM="38/04/2019"), ep(DECOM="01/01/19"), ep(DECOM="01/01/2021"), ep(DECOM=""),
            ep(DECOM="1/1/2021"), ep(DECOM=" 01/01/2021"), ep(DECOM="2021-01-01")]
    assert run("141", Episodes=rows) == {"Episodes": [0, 1, 5, 6]}


def test_147_flags_filled_dec_that_is_not_a_date():
    rows = [ep(DEC="31/06/2022"), ep(DEC="2022-06-30"), ep(DEC=""), ep(DEC="30/06/2022"), ep(DEC="29/02/2024")]
    assert run("147", Episodes=rows) == {"Episodes": [0, 1]}


# 142: previous episode not ended
def test_142_flags_earlier_episode_without_rec_or_dec():
    rows = [ep("1", DECOM="05/06/2022", DEC="06/06/2022", REC=""), ep("1", DECOM="06/06/2022"),
            ep("2", DECOM="06/06/2022", DEC="", REC="E11"), ep("2", DECOM="07/06/2022"),
            ep("3", DECOM="01/06/2022", DEC="04/06/2022", REC="X1"), ep("3", DECOM="04/06/2022"),
            ep("4", DECOM="01/06/2022")]
    assert run("142", Episodes=rows) == {"Episodes": [0, 2]}


def test_142_flags_unparseable_dec_but_never_undated_rows():
    rows = [ep("1", DECOM="01/06/2022", DEC="31/06/2022", REC="X1"), ep("1", DECOM="05/06/2022"),
            ep("2", DECOM="", DEC="", REC=""), ep("2", DECOM="01/05/2022", DEC="", REC="")]
    # child 2: the undated row is final and never flagged itself; the dated one before it is
    assert run("142", Episodes=rows) == {"Episodes": [0, 3]}


def test_142_undated_row_sorts_last_and_is_the_final_episode():
    # as the spec says: the undated row is "final", so the open latest dated episode is flagged
    rows = [ep("1", DECOM="01/04/2022", DEC="01/05/2022", REC="X1"), ep("1", DECOM="01/05/2022"),
            ep("1", DECOM="not a date")]
    assert run("142", Episodes=rows) == {"Episodes": [1]}


def test_142_tie_on_latest_decom_the_open_episode_is_final_in_any_order():
    rows = [ep("1", DECOM="01/05/2022"), ep("1", DECOM="01/05/2022", DEC="01/05/2022", REC="X1")]
    assert run("142", Episodes=rows) == {}
    assert run("142", Episodes=rows[::-1]) == {}
    # two open episodes on the same day: the one whose row text sorts first is flagged
    rows = [ep("1", DECOM="01/05/2022", LS="C2"), ep("1", DECOM="01/05/2022", LS="C1")]
    assert run("142", Episodes=rows) == {"Episodes": [1]}
    assert run("142", Episodes=rows[::-1]) == {"Episodes": [0]}


def test_142_blank_child_is_nobody():
    rows = [ep("", DECOM="01/04/2022"), ep("", DECOM="01/05/2022")]
    assert run("142", Episodes=rows) == {}


# 143 / 144 / 145 / 149: code lists
def test_143_rne_codes_after_upper_casing():
    rows = [ep(RNE="X"), ep(RNE="s"), ep(RNE="S"), ep(RNE=""), ep(RNE="S ")]
    assert run("143", Episodes=rows) == {"Episodes": [0, 4]}


def test_144_legal_status_codes():
    rows = [ep(LS="V1"), ep(LS="c2"), ep(LS="C2"), ep(LS=""), ep(LS="L3")]
    assert run("144", Episodes=rows) == {"Episodes": [0]}


def test_145_category_of_need_codes():
    rows = [ep(CIN="N9"), ep(CIN="n1"), ep(CIN="N4"), ep(CIN=""), ep(CIN="N0")]
    assert run("145", Episodes=rows) == {"Episodes": [0, 4]}


def test_149_reason_ceased_codes_accept_e4a_in_any_case():
    rows = [ep(REC="E10"), ep(REC="E4"), ep(REC="E4A"), ep(REC=""), ep(REC="e4b"), ep(REC="X1")]
    assert run("149", Episodes=rows) == {"Episodes": [0, 1]}


# 148
def test_148_dec_and_rec_both_or_neither():
    rows = [ep(DEC="30/06/2022", REC=""), ep(DEC="", REC="E11"), ep(DEC="", REC=""),
            ep(DEC="30/06/2022", REC="X1"), ep(DEC="31/06/2022", REC="X9")]
    assert run("148", Episodes=rows) == {"Episodes": [0, 1]}


# 185 / 186 / 198: SDQ and continuous care
IN_CARE = ep("1", DECOM="01/01/2019", RNE="S", LS="C2")
NEW_ENTRANT = ep("2", DECOM="01/06/2022", RNE="S", LS="C2")
LEFT = ep("3", DECOM="01/01/2019", RNE="S", LS="C2", DEC="10/10/2022", REC="E13")


def test_185_flags_score_for_children_not_in_care_all_year():
    oc2 = [{"CHILD": "1", "SDQ_SCORE": "10"}, {"CHILD": "2", "SDQ_SCORE": "10"},
           {"CHILD": "9", "SDQ_SCORE": "10"}, {"CHILD": "2", "SDQ_SCORE": ""}]
    assert run("185", OC2=oc2, Episodes=[IN_CARE, NEW_ENTRANT]) == {"OC2": [1, 2]}


def test_185_skipped_without_episodes():
    run("185", OC2=[{"CHILD": "1", "SDQ_SCORE": "10"}], expect="skipped")


def test_186_flags_cla_child_of_age_without_score_or_reason():
    oc2 = [{"CHILD": "1", "DOB": "15/06/2012"},
           {"CHILD": "1", "DOB": "15/06/2012", "SDQ_REASON": "SDQ1"},
           {"CHILD": "1", "DOB": "15/06/2012", "SDQ_SCORE": "12"},
           {"CHILD": "1", "DOB": "15/06/2019"},
           {"CHILD": "2", "DOB": "15/06/2012"},
           {"CHILD": "1", "DOB": ""}]
    assert run("186", OC2=oc2, Episodes=[IN_CARE, NEW_ENTRANT]) == {"OC2": [0]}


def test_186_age_boundaries():
    # 4th birthday on collection_start and 17th birthday the day after collection_end: both in
    oc2 = [{"CHILD": "1", "DOB": "01/04/2018"}, {"CHILD": "1", "DOB": "02/04/2018"},
           {"CHILD": "1", "DOB": "01/04/2006"}, {"CHILD": "1", "DOB": "31/03/2006"}]
    assert run("186", OC2=oc2, Episodes=[IN_CARE]) == {"OC2": [0, 2]}


def test_198_flags_reason_for_children_not_in_care_all_year():
    oc2 = [{"CHILD": "3", "SDQ_REASON": "SDQ1"}, {"CHILD": "9", "SDQ_REASON": "SDQ1"},
           {"CHILD": "1", "SDQ_REASON": "SDQ1"}, {"CHILD": "3", "SDQ_REASON": ""}]
    assert run("198", OC2=oc2, Episodes=[IN_CARE, LEFT]) == {"OC2": [0, 1]}


# 199: previously adopted
def test_199_flags_episode_after_last_years_adoption():
    last = [ep("1", DECOM="01/01/2019", REC="E11", DEC="01/06/2019")]
    rows = [ep("1", DECOM="10/05/2022"), ep("2", DECOM="10/05/2022")]
    assert run("199", Episodes=rows, last={"Episodes": last}) == {"Episodes": [0]}


def test_199_this_year_second_episode_after_adoption_and_not_earlier_ones():
    rows = [ep("1", DECOM="01/09/2022"), ep("1", DECOM="01/06/2022", REC="E12", DEC="01/07/2022"),
            ep("1", DECOM="01/04/2022", REC="X1", DEC="01/06/2022"), ep("2", DECOM="01/04/2022", REC="E11"),
            ep("1", DECOM="")]
    assert run("199", Episodes=rows) == {"Episodes": [0]}


def test_199_second_adoption_episode_is_flagged():
    rows = [ep("1", DECOM="01/04/2022", REC="E11"), ep("1", DECOM="01/06/2022", REC="E12")]
    assert run("199", Episodes=rows) == {"Episodes": [1]}


def test_199_same_day_episodes_ordered_by_dec_not_file_order():
    # the adoption episode ended the day it began; the open one of that day comes after it
    rows = [ep("1", DECOM="01/06/2022"), ep("1", DECOM="01/06/2022", REC="E11", DEC="01/06/2022")]
    assert run("199", Episodes=rows) == {"Episodes": [0]}
    assert run("199", Episodes=rows[::-1]) == {"Episodes": [1]}


def test_199_adoption_episode_repeated_from_last_year_is_not_flagged():
    last = [ep("1", DECOM="01/01/2022", REC="E11", DEC="01/05/2022")]
    rows = [ep("1", DECOM="01/01/2022", REC="E11", DEC="01/05/2022")]
    assert run("199", Episodes=rows, last={"Episodes": last}) == {}


def test_199_on_equal_decom_this_years_row_comes_first_but_last_years_still_counts_later():
    """Only the order of equal DECOMs is chosen: last year's same-day adoption episode still
    precedes this year's later episodes."""
    last = [ep("1", DECOM="01/01/2022", REC="E11", DEC="01/05/2022")]
    rows = [ep("1", DECOM="01/01/2022", REC="X1", DEC="01/05/2022"), ep("1", DECOM="01/06/2022")]
    assert run("199", Episodes=rows, last={"Episodes": last}) == {"Episodes": [1]}


# 207: mother status
def test_207_flags_change_away_from_mother_for_children_with_episodes():
    header = [{"CHILD": "1", "MOTHER": "0"}, {"CHILD": "2", "MOTHER": ""}, {"CHILD": "3", "MOTHER": "1"},
              {"CHILD": "4", "MOTHER": "0"}, {"CHILD": "5", "MOTHER": "0"}]
    last = [{"CHILD": "1", "MOTHER": "1"}, {"CHILD": "2", "MOTHER": "1"}, {"CHILD": "3", "MOTHER": "0"},
            {"CHILD": "4", "MOTHER": "1"}, {"CHILD": "5", "MOTHER": ""}]
    eps = [ep("1"), ep("2"), ep("3"), ep("5")]
    assert run("207", Header=header, Episodes=eps, last={"Header": last}) == {"Header": [0, 1]}


def test_207_skipped_without_last_years_header():
    run("207", Header=[{"CHILD": "1"}], Episodes=[ep("1")], expect="skipped")
