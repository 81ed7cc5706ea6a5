from rulecheck import run

ALL_YEAR = {"DECOM": "01/01/2020", "RNE": "S", "LS": "C2"}


def ep(child, **kw):
    return {"CHILD": child, **kw}


# ---- 543: conviction from age 10, in care all year ----

def test_543_conviction_missing_for_child_10_or_over_in_care_all_year():
    oc2 = [{"CHILD": "1", "DOB": "22/06/2008"}, {"CHILD": "2", "DOB": "22/06/2008", "CONVICTED": "0"},
           {"CHILD": "3", "DOB": "01/01/2008"}, {"CHILD": "4", "DOB": "31/03/2013"},
           {"CHILD": "5", "DOB": "01/04/2013"}, {"CHILD": "6", "DOB": ""}]
    eps = [ep("1", **ALL_YEAR), ep("2", **ALL_YEAR), ep("3", DECOM="01/10/2022", RNE="S"),
           ep("4", **ALL_YEAR), ep("5", **ALL_YEAR), ep("6", **ALL_YEAR)]
    # child 3 entered care in the year (not CLA); child 4 turns 10 on collection_end: passes
    # (the spec: the 10th birthday must be strictly before collection_end)
    assert run("543", OC2=oc2, Episodes=eps) == {"OC2": [0]}


def test_543_skipped_without_episodes():
    run("543", OC2=[{"CHILD": "1", "DOB": "22/06/2008"}], expect="skipped")


# ---- 546: no health check from age 5 ----

def test_546_health_check_for_child_5_or_over():
    oc2 = [{"CHILD": "1", "DOB": "31/03/2018", "HEALTH_CHECK": "1"}, {"CHILD": "2", "DOB": "08/03/2010", "HEALTH_CHECK": "0"},
           {"CHILD": "3", "DOB": "01/04/2018", "HEALTH_CHECK": "1"}, {"CHILD": "4", "DOB": "01/01/2010"},
           {"CHILD": "5", "DOB": "", "HEALTH_CHECK": "1"}]
    assert run("546", OC2=oc2, Episodes=[ep(str(i), **ALL_YEAR) for i in range(1, 6)]) == {"OC2": [0, 1]}


def test_546_only_children_in_care_all_year():
    # the DfE coding: a child who entered care in the year (RNE 'S') is not CLA, so passes
    oc2 = [{"CHILD": "1", "DOB": "01/01/2010", "HEALTH_CHECK": "1"}, {"CHILD": "2", "DOB": "01/01/2010", "HEALTH_CHECK": "1"},
           {"CHILD": "3", "DOB": "01/01/2010", "HEALTH_CHECK": "1"}]
    eps = [ep("1", DECOM="01/10/2022", RNE="S"), ep("2", **ALL_YEAR)]
    assert run("546", OC2=oc2, Episodes=eps) == {"OC2": [1]}


def test_546_skipped_without_episodes():
    run("546", OC2=[{"CHILD": "1", "DOB": "01/01/2010", "HEALTH_CHECK": "1"}], expect="skipped")


# ---- 550: PR0 only with P1 ----

def test_550_pr0_only_with_p1():
    eps = [ep("1", PLACE="T3", PLACE_PROVIDER="PR0"), ep("2", PLACE="", PLACE_PROVIDER="PR0"),
           ep("3", PLACE="P1", PLACE_PROVIDER="PR0"), ep("4", PLACE="T1", PLACE_PROVIDER="PR4"),
           ep("5", PLACE="p1", PLACE_PROVIDER="pr0")]
    assert run("550", Episodes=eps) == {"Episodes": [0, 1]}


# ---- 575: missing period ends when the placement ends ----

def test_575_open_missing_period_from_an_ended_placement():
    eps = [ep("1", DECOM="08/06/2022", DEC="10/06/2022"), ep("2", DECOM="05/06/2022", DEC="10/06/2022"),
           ep("3", DECOM="06/06/2022"), ep("4", DECOM="01/05/2022", DEC="20/05/2022"),
           ep("5", DECOM="01/05/2022", DEC="31/31/2022"), ep("6", DECOM="01/05/2022", DEC="10/06/2022")]
    mis = [{"CHILD": "1", "MIS_START": "08/06/2022"}, {"CHILD": "2", "MIS_START": "05/06/2022", "MIS_END": "05/06/2022"},
           {"CHILD": "3", "MIS_START": "06/06/2022"}, {"CHILD": "4", "MIS_START": "01/06/2022"},
           {"CHILD": "5", "MIS_START": "01/06/2022"}, {"CHILD": "6", "MIS_START": "10/06/2022"},
           {"CHILD": "1", "MIS_START": ""}]
    # child 4 went missing after the placement ended (not this rule); child 5's DEC is unparseable (open)
    assert run("575", Episodes=eps, Missing=mis) == {"Missing": [0, 5]}
    assert run("575", Episodes=eps[::-1], Missing=mis) == {"Missing": [0, 5]}


def test_575_missing_on_the_day_of_a_placement_change_matches_the_ended_episode():
    # the spec's second flag example: DEC is inclusive, in whichever order the episodes come
    eps = [ep("1", DECOM="01/05/2022", DEC="10/06/2022"), ep("1", DECOM="10/06/2022")]
    mis = [{"CHILD": "1", "MIS_START": "10/06/2022"}]
    assert run("575", Episodes=eps, Missing=mis) == {"Missing": [0]}
    assert run("575", Episodes=eps[::-1], Missing=mis) == {"Missing": [0]}


# ---- periods of care: 577, 578 ----

def test_577_open_missing_period_after_care_ceased():
    eps = [ep("1", DECOM="01/05/2022", DEC="01/08/2022"), ep("2", DECOM="01/05/2022", DEC="01/08/2022"),
           ep("3", DECOM="01/05/2022", DEC="01/06/2022"), ep("3", DECOM="01/09/2022"),
           ep("4", DECOM="01/06/2022"), ep("5", DECOM="01/05/2022", DEC="01/06/2022"),
           ep("5", DECOM="01/06/2022", DEC=""), ep("6", DECOM="01/05/2022", DEC="01/08/2022")]
    mis = [{"CHILD": "1", "MIS_START": "01/06/2022"}, {"CHILD": "2", "MIS_START": "01/06/2022", "MIS_END": "05/06/2022"},
           {"CHILD": "3", "MIS_START": "10/06/2022"}, {"CHILD": "4", "MIS_START": "10/06/2022"},
           {"CHILD": "5", "MIS_START": "10/07/2022"}, {"CHILD": "6", "MIS_START": "01/04/2022"},
           {"CHILD": "7", "MIS_START": "01/06/2022"}]
    # child 5: episodes joined on the same day form one open period; child 6 has an open missing
    # period starting before its (ended) period of care; child 7 has no episodes
    assert run("577", Episodes=eps, Missing=mis) == {"Missing": [0, 2, 5]}


def test_577_closed_missing_periods_outside_the_period_of_care():
    # a closed period that only ends in a later period of care fits it: MIS_START is not compared
    eps = [ep("1", DECOM="01/05/2022", DEC="01/08/2022"), ep("1", DECOM="01/09/2022")]
    assert run("577", Episodes=eps, Missing=[{"CHILD": "1", "MIS_START": "01/06/2022", "MIS_END": "05/09/2022"}]) == {}
    eps = [ep("1", DECOM="01/05/2022", DEC="01/08/2022"), ep("1", DECOM="01/10/2022")]
    mis = [{"CHILD": "1", "MIS_START": "01/06/2022", "MIS_END": "05/09/2022"},   # ends after care: flag
           {"CHILD": "1", "MIS_START": "01/06/2022", "MIS_END": "05/06/2022"},   # inside: pass
           {"CHILD": "1", "MIS_START": "01/04/2022", "MIS_END": "20/04/2022"},   # before care: flag
           {"CHILD": "1", "MIS_START": "10/10/2022"},                            # open, open period: pass
           {"CHILD": "1", "MIS_START": "01/06/2022", "MIS_END": "99/99/2022"},   # unparseable end = open: flag
           {"CHILD": "1", "MIS_START": "", "MIS_END": "05/09/2030"}]             # no start: not checked
    assert run("577", Episodes=eps, Missing=mis) == {"Missing": [0, 2, 4]}


def test_578_missing_starts_after_care_ceased():
    eps = [ep("1", DECOM="01/05/2022", DEC="01/08/2022"), ep("3", DECOM="01/05/2022", DEC="01/06/2022"),
           ep("3", DECOM="01/09/2022"), ep("4", DECOM="01/06/2022"), ep("5", DECOM="01/05/2022", DEC="01/06/2022"),
           ep("5", DECOM="02/06/2022", DEC="01/08/2022")]
    mis = [{"CHILD": "1", "MIS_START": "02/08/2022"}, {"CHILD": "1", "MIS_START": "01/08/2022"},
           {"CHILD": "3", "MIS_START": "10/07/2022"}, {"CHILD": "3", "MIS_START": "10/09/2022"},
           {"CHILD": "4", "MIS_START": "10/07/2030"}, {"CHILD": "5", "MIS_START": "01/07/2022"},
           {"CHILD": "1", "MIS_START": ""}, {"CHILD": "9", "MIS_START": "01/01/2023"}]
    # child 5: a new period starting the next day is a new period; 01/07 is inside it
    assert run("578", Episodes=eps, Missing=mis) == {"Missing": [0, 2]}
    assert run("578", Episodes=eps[::-1], Missing=mis) == {"Missing": [0, 2]}


def test_578_start_before_care_began_is_flagged():
    eps = [ep("1", DECOM="01/05/2022", DEC="01/08/2022")]
    assert run("578", Episodes=eps, Missing=[{"CHILD": "1", "MIS_START": "30/04/2022"}]) == {"Missing": [0]}


# ---- 581: missing before care started ----

def test_581_missing_outside_every_episode():
    eps = [ep("1", DECOM="06/06/2022", DEC="10/06/2022"), ep("2", DECOM="06/06/2022"),
           ep("3", DECOM="06/06/2022", DEC="10/06/2022"), ep("5", DECOM="")]
    mis = [{"CHILD": "1", "MIS_START": "05/06/2022"}, {"CHILD": "2", "MIS_START": "12/06/2022"},
           {"CHILD": "3", "MIS_START": "10/06/2022"}, {"CHILD": "4", "MIS_START": "10/06/2022"},
           {"CHILD": "5", "MIS_START": "10/06/2022"}, {"CHILD": "1", "MIS_START": "06/06/2022"}]
    # child 4 has no episodes: not checked; child 5's only episode has no DECOM: contains no date
    assert run("581", Episodes=eps, Missing=mis) == {"Missing": [0, 4]}


def test_581_gaps_after_care_and_blank_start_flagged():
    eps = [ep("1", DECOM="08/06/2022", DEC="10/06/2022"), ep("1", DECOM="12/06/2022", DEC="20/06/2022")]
    mis = [{"CHILD": "1", "MIS_START": "11/06/2022"}, {"CHILD": "1", "MIS_START": "", "MIS_END": "01/07/2022"},
           {"CHILD": "1", "MIS_START": "21/06/2022"}, {"CHILD": "1", "MIS_START": "12/06/2022"}]
    assert run("581", Episodes=eps, Missing=mis) == {"Missing": [0, 1, 2]}


# ---- 580: missing when care ceased ----

def test_580_missing_ending_on_18th_birthday_and_dec_needs_e8():
    eps = [ep("1", DEC="01/06/2022", REC="E7"), ep("2", DEC="01/06/2022", REC=""), ep("3", DEC="01/06/2022", REC="E8"),
           ep("4", DEC="01/06/2022", REC="E4A"), ep("5", DEC="01/06/2022", REC="E13"), ep("6", DEC="01/06/2022", REC="X1")]
    mis = [{"CHILD": "1", "DOB": "01/06/2004", "MIS_START": "20/05/2022", "MIS_END": "01/06/2022"},
           {"CHILD": "2", "DOB": "01/06/2004", "MIS_END": "01/06/2022"},
           {"CHILD": "3", "DOB": "01/06/2004", "MIS_START": "20/05/2022", "MIS_END": "01/06/2022"},
           {"CHILD": "4", "DOB": "01/06/2005", "MIS_START": "20/05/2022", "MIS_END": "01/06/2022"},
           {"CHILD": "5", "DOB": "01/06/2005", "MIS_START": "20/05/2022"},
           {"CHILD": "6", "DOB": "01/06/2004", "MIS_START": "20/05/2022", "MIS_END": "01/06/2022"}]
    # child 4: MIS_END is DEC but not the 18th birthday; child 5: still missing (not this rule's
    # case, as the spec says); child 6: REC X1 is not E8, flagged
    assert run("580", Episodes=eps, Missing=mis) == {"Episodes": [0, 1, 5]}


def test_580_still_missing_when_care_ceased_is_not_checked():
    eps = [ep("1", DEC="01/06/2022", REC="E4A"), ep("2", DEC="01/06/2022", REC="E4A")]
    mis = [{"CHILD": "1", "DOB": "01/06/2004", "MIS_START": "20/05/2022", "MIS_END": "05/06/2022"},
           {"CHILD": "2", "DOB": "01/06/2004", "MIS_START": "02/06/2022"}]
    assert run("580", Episodes=eps, Missing=mis) == {}


# ---- 607: mother field when a girl ceased care ----

def test_607_mother_blank_for_girl_who_ceased_care():
    eps = [ep("1", DEC="03/04/2022", REC="E48", LS="L1"), ep("1", DEC="03/05/2022", REC="E48", LS="L1"),
           ep("2", DEC="03/04/2022", REC="X1", LS="L1"), ep("3", DEC="03/04/2022", REC="E48", LS="V3"),
           ep("4", DEC="03/04/2022", REC="E48", LS="L1"), ep("5", DEC="03/04/2022", REC="E48", LS="L1"),
           ep("6", DEC="03/01/2022", REC="E48", LS="L1"), ep("7", DEC="31/03/2023", REC="E48", LS="")]
    hdr = [{"CHILD": c, "SEX": "2"} for c in ("1", "2", "3")] + [{"CHILD": "4", "SEX": "1"},
           {"CHILD": "5", "SEX": "2", "MOTHER": "0"}, {"CHILD": "6", "SEX": "2"}, {"CHILD": "7", "SEX": "2"}]
    assert run("607", Episodes=eps, Header=hdr) == {"Episodes": [0, 1, 7], "Header": [0, 6]}


def test_607_from_2024_female_is_f():
    eps = [ep("1", DEC="01/01/2025", REC="E11", LS="C2"), ep("2", DEC="01/01/2025", REC="E11", LS="C2"),
           ep("3", DEC="01/01/2025", REC="E11", LS="C2")]
    hdr = [{"CHILD": "1", "SEX": "F"}, {"CHILD": "2", "SEX": "2"}, {"CHILD": "3", "SEX": "f"}]
    assert run("607", year="2024/25", Episodes=eps, Header=hdr) == {"Episodes": [0, 2], "Header": [0, 2]}
    assert run("607", year="2022/23", Episodes=eps, Header=hdr, collection_start="01/04/2024",
               collection_end="31/03/2025") == \
        {"Episodes": [1], "Header": [1]}


# ---- 625: first child's birth ----

def test_625_first_child_born_after_year_end_or_care_ceased():
    eps = [ep("1", DECOM="01/01/2022", DEC="02/12/2022"), ep("2", DECOM="01/01/2015", DEC="11/11/2015"),
           ep("3", DECOM="01/01/2015", DEC="11/11/2015"), ep("4", DECOM="01/01/2015", DEC="11/11/2015")]
    hdr = [{"CHILD": "1", "MC_DOB": "01/11/2023"}, {"CHILD": "2", "MC_DOB": "19/12/2016"},
           {"CHILD": "3", "MC_DOB": "01/01/2015"}, {"CHILD": "4", "MC_DOB": ""}]
    assert run("625", Episodes=eps, Header=hdr) == {"Episodes": [0, 1], "Header": [0, 1]}


def test_625_open_and_returning_children_as_the_spec_says():
    # child 1 has only an open episode and child 3 no episode: not checked; child 2 came back
    # into care and is compared with the earlier DEC: flagged
    eps = [ep("1", DECOM="01/01/2022"), ep("2", DECOM="01/01/2015", DEC="11/11/2015"), ep("2", DECOM="01/01/2020")]
    hdr = [{"CHILD": "1", "MC_DOB": "01/05/2023"}, {"CHILD": "2", "MC_DOB": "19/12/2016"},
           {"CHILD": "3", "MC_DOB": "01/05/2023"}]
    assert run("625", Episodes=eps, Header=hdr) == {"Header": [1], "Episodes": [1]}


def test_625_tie_on_latest_dec_flags_the_same_episode_in_any_order():
    eps = [ep("1", DECOM="01/01/2022", DEC="02/12/2022", LS="C2"), ep("1", DECOM="01/01/2022", DEC="02/12/2022", LS="C1")]
    hdr = [{"CHILD": "1", "MC_DOB": "01/11/2023"}]
    assert run("625", Episodes=eps, Header=hdr) == {"Header": [0], "Episodes": [1]}
    assert run("625", Episodes=eps[::-1], Header=hdr) == {"Header": [0], "Episodes": [0]}


# ---- 628: motherhood for care leavers not looked after ----

def test_628_motherhood_for_care_leaver_without_episodes():
    hdr = [{"CHILD": "1", "MOTHER": "0"}, {"CHILD": "2", "MOTHER": "1"}, {"CHILD": "3"},
           {"CHILD": "4", "MOTHER": "1"}, {"CHILD": "5", "MOTHER": "1"}, {"CHILD": "6", "MOTHER": "1"}]
    oc3 = [{"CHILD": "1", "IN_TOUCH": "YES"}, {"CHILD": "2", "ACCOM": "B"}, {"CHILD": "3", "ACTIV": "F1"},
           {"CHILD": "4", "IN_TOUCH": "YES"}, {"CHILD": "5", "DOB": "01/01/2004"}]
    assert run("628", Header=hdr, OC3=oc3, Episodes=[ep("4", DECOM="01/01/2022")]) == {"Header": [0, 1]}


def test_628_skipped_without_oc3():
    run("628", Header=[{"CHILD": "1", "MOTHER": "1"}], Episodes=[ep("4")], expect="skipped")
