from rulecheck import run

# Collection year 2022/23: 01/04/2022 - 31/03/2023.
ALL_YEAR = {"DECOM": "01/01/2020", "RNE": "S", "LS": "C2"}  # one open episode: in care all year

ITEMS = ("CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT",
         "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")
HEALTH = ("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE")


def in_care(*children, **extra):
    return [{"CHILD": c, **ALL_YEAR, **extra} for c in children]


def four(value="1", **extra):
    return {**{c: value for c in HEALTH}, **extra}


# ---- 157
def test_157_flags_sdq1_for_cla_child_aged_4_to_16():
    oc2 = [{"CHILD": "1", "DOB": "01/01/2012", "SDQ_REASON": "SDQ1"},
           {"CHILD": "2", "DOB": "01/01/2012", "SDQ_REASON": "SDQ2"},
           {"CHILD": "3", "DOB": "01/01/2006", "SDQ_REASON": "SDQ1"},  # 17 before year end
           {"CHILD": "4", "DOB": "01/01/2012", "SDQ_REASON": "SDQ1"},  # entered care mid-year
           {"CHILD": "5", "DOB": "01/01/2012", "SDQ_REASON": "SDQ1", "SDQ_SCORE": "5"},
           {"CHILD": "6", "DOB": "02/04/2018", "SDQ_REASON": "SDQ1"},  # 4 after collection_start
           {"CHILD": "7", "DOB": "01/04/2018", "SDQ_REASON": "sdq1"},  # 4 on collection_start
           {"CHILD": "8", "DOB": "", "SDQ_REASON": "SDQ1"}]
    eps = in_care("1", "2", "3", "5", "6", "7", "8") + [{"CHILD": "4", "DECOM": "01/06/2022", "RNE": "S"}]
    assert run("157", OC2=oc2, Episodes=eps) == {"OC2": [0, 6]}


def test_157_needs_the_16th_birthday_on_or_after_collection_end():
    # the spec's logic: a child who turned 16 during the year is not flagged
    oc2 = [{"CHILD": "1", "DOB": "01/01/2007", "SDQ_REASON": "SDQ1"},
           {"CHILD": "2", "DOB": "31/03/2007", "SDQ_REASON": "SDQ1"},  # 16 on collection_end
           {"CHILD": "3", "DOB": "01/04/2007", "SDQ_REASON": "SDQ1"}]  # 16 the day after
    assert run("157", OC2=oc2, Episodes=in_care("1", "2", "3")) == {"OC2": [1, 2]}


def test_157_skipped_without_episodes():
    run("157", OC2=[{"CHILD": "1", "DOB": "01/01/2012", "SDQ_REASON": "SDQ1"}], expect="skipped")


# ---- 158 / 159
def test_158_offered_must_be_blank_when_received():
    oc2 = [{"CHILD": "1", "INTERVENTION_RECEIVED": "1", "INTERVENTION_OFFERED": "1"},
           {"CHILD": "2", "INTERVENTION_RECEIVED": "1", "INTERVENTION_OFFERED": "0"},
           {"CHILD": "3", "INTERVENTION_RECEIVED": "1"},
           {"CHILD": "4", "INTERVENTION_RECEIVED": "0", "INTERVENTION_OFFERED": "1"}]
    assert run("158", OC2=oc2) == {"OC2": [0, 1]}


def test_159_offered_needed_when_not_received():
    oc2 = [{"CHILD": "1", "SUBSTANCE_MISUSE": "1", "INTERVENTION_RECEIVED": "0"},
           {"CHILD": "2", "SUBSTANCE_MISUSE": "1", "INTERVENTION_RECEIVED": "0", "INTERVENTION_OFFERED": "1"},
           {"CHILD": "3", "SUBSTANCE_MISUSE": "0", "INTERVENTION_RECEIVED": "0"},
           {"CHILD": "4", "SUBSTANCE_MISUSE": "1", "INTERVENTION_RECEIVED": "1"}]
    assert run("159", OC2=oc2) == {"OC2": [0]}


# ---- 180 / 181 / 182
def test_180_sdq_score_whole_number_0_to_40():
    scores = ["41", "39.5", "XX", "-1", "0", "40", "", "20.0", " 7 ", "040", "1e1"]
    oc2 = [{"CHILD": str(i), "SDQ_SCORE": s} for i, s in enumerate(scores)]
    assert run("180", OC2=oc2) == {"OC2": [0, 1, 2, 3]}


def test_181_items_exactly_0_or_1():
    oc2 = [{"CHILD": "1", "CONVICTED": "2"}, {"CHILD": "2", "TEETH_CHECK": "Y"},
           {"CHILD": "3", **{c: "0" for c in ITEMS}}, {"CHILD": "4"},
           {"CHILD": "5", "INTERVENTION_OFFERED": "01"}, {"CHILD": "6", "HEALTH_CHECK": "1.0"},
           {"CHILD": "7", **{c: "1" for c in ITEMS}}]
    assert run("181", OC2=oc2) == {"OC2": [0, 1, 4, 5]}


def test_182_health_items_complete_or_all_blank():
    oc2 = [{"CHILD": "1", **four(), "SUBSTANCE_MISUSE": "", "INTERVENTION_RECEIVED": "1"},
           {"CHILD": "2", "CONVICTED": "1"},
           {"CHILD": "3"},
           {"CHILD": "4", **four("0"), "CONVICTED": "1"},
           {"CHILD": "5", **four()}]
    assert run("182", OC2=oc2) == {"OC2": [0, 1]}


def test_182_partial_health_items_alone_pass():
    # only the other four items (CONVICTED, HEALTH_CHECK, interventions) make the row count
    oc2 = [{"CHILD": "1", "TEETH_CHECK": "1"}, {"CHILD": "2", "SDQ_SCORE": "12"},
           {"CHILD": "3", "TEETH_CHECK": "1", "HEALTH_CHECK": "0"}, {"CHILD": "4", "INTERVENTION_OFFERED": "0"}]
    assert run("182", OC2=oc2) == {"OC2": [2, 3]}


# ---- 188 / 189
def test_188_no_sdq_under_4_at_year_end():
    oc2 = [{"CHILD": "1", "DOB": "01/04/2019", "SDQ_SCORE": "12"},
           {"CHILD": "2", "DOB": "10/10/2020", "SDQ_REASON": "SDQ1"},
           {"CHILD": "3", "DOB": "31/03/2019", "SDQ_SCORE": "12"},
           {"CHILD": "4", "DOB": "10/10/2020"},
           {"CHILD": "5", "DOB": "", "SDQ_SCORE": "12"},
           {"CHILD": "6", "DOB": "2020-10-10", "SDQ_SCORE": "12"}]
    assert run("188", OC2=oc2) == {"OC2": [0, 1]}


def test_189_no_sdq_when_17_before_the_year():
    oc2 = [{"CHILD": "1", "DOB": "31/03/2005", "SDQ_SCORE": "12"},
           {"CHILD": "2", "DOB": "01/01/2004", "SDQ_REASON": "SDQ2"},
           {"CHILD": "3", "DOB": "01/04/2005", "SDQ_SCORE": "12"},  # 17 on collection_start: 197B wants an SDQ
           {"CHILD": "4", "DOB": "01/01/2004"},
           {"CHILD": "5", "DOB": "", "SDQ_SCORE": "12"}]
    assert run("189", OC2=oc2) == {"OC2": [0, 1]}


# ---- 190 / 191
def test_190_items_only_for_children_in_care_all_year():
    oc2 = [{"CHILD": "1", "CONVICTED": "0"}, {"CHILD": "2", "HEALTH_CHECK": "1"},
           {"CHILD": "3", "CONVICTED": "0"}, {"CHILD": "4"},
           {"CHILD": "5", "TEETH_CHECK": "1"}, {"CHILD": "6", "IMMUNISATIONS": "1"},
           {"CHILD": "7", "SDQ_SCORE": "4"}]
    eps = ([{"CHILD": "1", "DECOM": "01/06/2022", "RNE": "S"}] + in_care("3", "4", "7")
           + [{"CHILD": "5", "DECOM": "01/01/2020", "DEC": "10/10/2022", "REC": "E13"},
              {"CHILD": "6", "DECOM": "01/01/2020", "LS": "V3"}])
    assert run("190", OC2=oc2, Episodes=eps) == {"OC2": [0, 1, 4, 5]}


def test_190_cla_edges_x1_change_and_leaving_on_collection_end():
    oc2 = [{"CHILD": "1", "CONVICTED": "0"}, {"CHILD": "2", "CONVICTED": "0"}, {"CHILD": "3", "CONVICTED": "0"}]
    eps = [{"CHILD": "1", "DECOM": "01/01/2020", "DEC": "01/07/2022", "REC": "X1"},
           {"CHILD": "1", "DECOM": "01/07/2022", "RNE": "P"},
           {"CHILD": "2", "DECOM": "01/01/2020", "DEC": "31/03/2023", "REC": "E4A"},
           {"CHILD": "3", "DECOM": "01/01/2020", "DEC": "01/07/2022", "REC": ""},
           {"CHILD": "3", "DECOM": "01/07/2022", "RNE": "P"}]
    assert run("190", OC2=oc2, Episodes=eps) == {"OC2": [2]}


def test_191_cla_children_need_health_items_or_an_oc2_row():
    oc2 = [{"CHILD": "1", **four(), "IMMUNISATIONS": ""},
           {"CHILD": "2", **four("0")},
           {"CHILD": "4", **four(), "TEETH_CHECK": ""}]  # not CLA
    eps = (in_care("1", "2")
           + [{"CHILD": "3", "DECOM": "05/05/2021", "DEC": "01/01/2022", "REC": "X1"},
              {"CHILD": "3", "DECOM": "01/01/2021", "DEC": "05/05/2021", "REC": "X1"},
              {"CHILD": "3", "DECOM": "01/01/2022", "RNE": "P"},
              {"CHILD": "4", "DECOM": "01/06/2022", "RNE": "S"},
              {"CHILD": "5", "DECOM": "01/01/2020", "DEC": "10/10/2022", "REC": "E13"}])
    assert run("191", OC2=oc2, Episodes=eps) == {"OC2": [0], "Episodes": [3]}


def test_191_earliest_episode_among_same_day_ties_does_not_depend_on_row_order():
    a = {"CHILD": "1", "DECOM": "01/01/2020", "DEC": "01/01/2020", "REC": "X1", "PLACE": "U1"}
    b = {"CHILD": "1", "DECOM": "01/01/2020", "DEC": "", "PLACE": "U3"}
    # the ended same-day episode comes first in the shared order, whichever row it is
    assert run("191", OC2=[{"CHILD": "9"}], Episodes=[a, b]) == {"Episodes": [0]}
    assert run("191", OC2=[{"CHILD": "9"}], Episodes=[b, a]) == {"Episodes": [1]}


def test_191_skipped_without_oc2():
    run("191", Episodes=in_care("1"), expect="skipped")


# ---- 192 / 193
def test_192_intervention_received_needed():
    oc2 = [{"CHILD": "1", "SUBSTANCE_MISUSE": "1"},
           {"CHILD": "2", "SUBSTANCE_MISUSE": "1", "INTERVENTION_RECEIVED": "0"},
           {"CHILD": "3", "SUBSTANCE_MISUSE": "0"}]
    assert run("192", OC2=oc2) == {"OC2": [0]}


def test_193_no_intervention_items_without_problem():
    oc2 = [{"CHILD": "1", "SUBSTANCE_MISUSE": "0", "INTERVENTION_RECEIVED": "0", "INTERVENTION_OFFERED": "0"},
           {"CHILD": "2", "INTERVENTION_OFFERED": "0"},
           {"CHILD": "3", "SUBSTANCE_MISUSE": "1", "INTERVENTION_RECEIVED": "1"},
           {"CHILD": "4", "SUBSTANCE_MISUSE": "0"},
           {"CHILD": "5", "SUBSTANCE_MISUSE": "2", "INTERVENTION_RECEIVED": "1"}]
    assert run("193", OC2=oc2) == {"OC2": [0, 1]}


# ---- 196 / 197B / 197a
def test_196_sdq_reason_codes():
    reasons = ["SDQ6", "SDQ 1", "SDQ2", "", "sdq5", "SDQ1 "]
    oc2 = [{"CHILD": str(i), "SDQ_REASON": r} for i, r in enumerate(reasons)]
    assert run("196", OC2=oc2) == {"OC2": [0, 1, 5]}


def test_197b_sdq_needed_when_turning_4_or_17():
    oc2 = [{"CHILD": "1", "DOB": "01/01/2019"},
           {"CHILD": "2", "DOB": "31/03/2006"},
           {"CHILD": "3", "DOB": "01/01/2019", "SDQ_REASON": "SDQ4"},
           {"CHILD": "4", "DOB": "01/01/2012"},
           {"CHILD": "5", "DOB": "01/04/2005"},  # 17 on collection_start
           {"CHILD": "6", "DOB": "31/03/2005"},  # 17 the day before
           {"CHILD": "7", "DOB": "01/04/2018"},  # 4 on collection_start
           {"CHILD": "8", "DOB": "01/01/2019"},  # not CLA
           {"CHILD": "9", "DOB": ""},
           {"CHILD": "10", "DOB": "31/03/2019", "SDQ_SCORE": "0"}]
    eps = in_care("1", "2", "3", "4", "5", "6", "7", "9", "10") + [{"CHILD": "8", "DECOM": "01/06/2022", "RNE": "S"}]
    assert run("197B", OC2=oc2, Episodes=eps) == {"OC2": [0, 1, 4, 6]}


def test_197a_reason_only_without_score():
    oc2 = [{"CHILD": "1", "SDQ_SCORE": "10", "SDQ_REASON": "SDQ1"},
           {"CHILD": "2", "SDQ_SCORE": "10"}, {"CHILD": "3", "SDQ_REASON": "SDQ1"}]
    assert run("197a", OC2=oc2) == {"OC2": [0]}


# ---- 215
def test_215_flags_both_rows_of_a_care_leaver_with_oc2_items():
    oc3 = [{"CHILD": "1", "IN_TOUCH": "YES"}, {"CHILD": "2", "IN_TOUCH": "YES"}, {"CHILD": "3"},
           {"CHILD": "4", "ACCOM": "Z1"}]
    oc2 = [{"CHILD": "2"}, {"CHILD": "1", "TEETH_CHECK": "1"}, {"CHILD": "3", "CONVICTED": "0"},
           {"CHILD": "4", "SDQ_SCORE": "10"}]
    assert run("215", OC3=oc3, OC2=oc2) == {"OC3": [0], "OC2": [1]}


def test_215_skipped_without_oc3():
    run("215", OC2=[{"CHILD": "1", "TEETH_CHECK": "1"}], expect="skipped")


# ---- 542 / 544 / 545 / 547
def test_542_no_conviction_under_10():
    oc2 = [{"CHILD": "1", "DOB": "01/04/2013", "CONVICTED": "1"},
           {"CHILD": "2", "DOB": "10/01/2017", "CONVICTED": "0"},
           {"CHILD": "3", "DOB": "31/03/2013", "CONVICTED": "1"},
           {"CHILD": "4", "DOB": "08/03/2015"},
           {"CHILD": "5", "DOB": "", "CONVICTED": "1"}]
    assert run("542", OC2=oc2) == {"OC2": [0, 1]}


def test_544_conviction_needs_health_items():
    oc2 = [{"CHILD": "1", **four(), "CONVICTED": "1", "IMMUNISATIONS": ""},
           {"CHILD": "2", "CONVICTED": "1"},
           {"CHILD": "3", **four("0"), "CONVICTED": "1"},
           {"CHILD": "4"}]
    assert run("544", OC2=oc2) == {"OC2": [0, 1]}


def test_544_only_conviction_1_is_checked():
    assert run("544", OC2=[{"CHILD": "1", "CONVICTED": "0"}, {"CHILD": "2", "CONVICTED": "x"},
                           {"CHILD": "3", **four(), "TEETH_CHECK": "", "CONVICTED": "1"}]) == {"OC2": [2]}


def test_545_health_check_needed_under_5_for_cla():
    oc2 = [{"CHILD": "1", "DOB": "01/04/2018"},
           {"CHILD": "2", "DOB": "31/03/2018"},
           {"CHILD": "3", "DOB": "01/01/2021"},  # V3 episode: not CLA
           {"CHILD": "4", "DOB": "01/01/2021", "HEALTH_CHECK": "0"},
           {"CHILD": "5", "DOB": ""}]
    eps = in_care("1", "2", "4", "5") + [{"CHILD": "3", "DECOM": "01/01/2021", "LS": "V3"}]
    assert run("545", OC2=oc2, Episodes=eps) == {"OC2": [0]}


def test_545_skipped_without_episodes():
    run("545", OC2=[{"CHILD": "1", "DOB": "01/04/2018"}], expect="skipped")


def test_547_health_check_needs_health_items():
    oc2 = [{"CHILD": "1", "HEALTH_CHECK": "1", "IMMUNISATIONS": "1", "TEETH_CHECK": "1"},
           {"CHILD": "2", "HEALTH_CHECK": "1"},
           {"CHILD": "3", **four(), "HEALTH_CHECK": "1"},
           {"CHILD": "4"}]
    assert run("547", OC2=oc2) == {"OC2": [0, 1]}


def test_547_only_health_check_1_is_checked():
    assert run("547", OC2=[{"CHILD": "1", "HEALTH_CHECK": "0"}, {"CHILD": "2", "HEALTH_CHECK": "x"},
                           {"CHILD": "3", **four(), "SUBSTANCE_MISUSE": "", "HEALTH_CHECK": "1"}]) == {"OC2": [2]}
