import pytest

from rulecheck import run


def ep(child, **kw):
    return {"CHILD": child, **kw}


# ---- NoE: child started care before the year but absent last year ----

def test_noe_child_missing_from_last_year():
    eps = [ep("1", DECOM="03/10/2021"), ep("2", DECOM="03/10/2021"), ep("3", DECOM="08/09/2022"),
           ep("4", DECOM="31/03/2022"), ep("5", DECOM="01/04/2022"), ep("6", DECOM="2021-10-03"), ep("7", DECOM="")]
    last = [ep("2", DECOM="01/01/2000")]
    assert run("NoE", Episodes=eps, last={"Episodes": last}) == {"Episodes": [0, 3]}


def test_noe_skipped_without_last_year():
    run("NoE", Episodes=[ep("1", DECOM="03/10/2021")], expect="skipped")


# ---- 562: carried-over episode matches last year's final episode ----

def test_562_carried_over_episode_start_differs_from_last_year():
    eps = [ep("1", DECOM="13/03/2022"), ep("2", DECOM="01/01/2022"), ep("3", DECOM="15/03/2022"),
           ep("4", DECOM="01/04/2022"), ep("5", DECOM="15/03/2022"), ep("6", DECOM="")]
    last = [ep("1", DECOM="11/03/2022"), ep("3", DECOM="01/01/2020"), ep("3", DECOM="15/03/2022"),
            ep("5", DECOM=""), ep("5", DECOM="32/01/2022")]
    # child 5: last year's DECOMs all unusable, as if the child had no episode last year
    assert run("562", Episodes=eps, last={"Episodes": last}) == {"Episodes": [0, 1, 4]}


def test_562_earliest_pre_year_episode_is_tested():
    # as the spec says (its notes: a correct carried-over episode can still be flagged)
    eps = [ep("1", DECOM="01/05/2021", DEC="01/01/2022"), ep("1", DECOM="15/03/2022")]
    assert run("562", Episodes=eps, last={"Episodes": [ep("1", DECOM="01/05/2021"), ep("1", DECOM="15/03/2022")]}) == {"Episodes": [0]}
    assert run("562", Episodes=eps, last={"Episodes": [ep("1", DECOM="01/05/2021")]}) == {}


def test_562_tie_on_earliest_decom_flags_the_same_row_in_any_order():
    eps = [ep("1", DECOM="01/05/2021", LS="C2"), ep("1", DECOM="01/05/2021", DEC="01/06/2021", LS="C1")]
    last = [ep("1", DECOM="01/03/2021")]
    assert run("562", Episodes=eps, last={"Episodes": last}) == {"Episodes": [1]}
    assert run("562", Episodes=eps[::-1], last={"Episodes": last}) == {"Episodes": [0]}


def test_562_skipped_without_last_year():
    run("562", Episodes=[ep("1", DECOM="01/01/2022")], expect="skipped")


# ---- 630: previous permanence returned for a new period of care ----

def test_630_previous_permanence_missing():
    eps = [ep("1", RNE="S", DECOM="01/05/2022"), ep("2", RNE="S", DECOM="01/05/2022"), ep("3", RNE="S", DECOM="01/04/2022"),
           ep("4", RNE="S", DECOM="31/03/2022"), ep("5", RNE="P", DECOM="01/05/2022"), ep("6", RNE="S", DECOM=""),
           ep("7", RNE="S", DECOM="01/05/2022")]
    pp = [{"CHILD": "2", "PREV_PERM": ""}, {"CHILD": "3", "PREV_PERM": "Z1"},
          {"CHILD": "7", "PREV_PERM": "Z1"}, {"CHILD": "7", "PREV_PERM": ""}]
    assert run("630", Episodes=eps, PrevPerm=pp) == {"Episodes": [0, 1, 6]}


def test_630_option_other_than_z1_needs_la_and_date():
    eps = [ep(str(i), RNE="S", DECOM="01/05/2022") for i in range(1, 6)]
    pp = [{"CHILD": "1", "PREV_PERM": "P1", "DATE_PERM": "01/05/2000"},                  # LA blank: flag
          {"CHILD": "2", "PREV_PERM": "P1", "LA_PERM": "999"},                           # date blank: flag
          {"CHILD": "3", "PREV_PERM": "P1", "LA_PERM": "999", "DATE_PERM": "01/05/2000"},
          {"CHILD": "4", "PREV_PERM": "Z1"},                                             # Z1 alone: pass
          {"CHILD": "5", "PREV_PERM": "Z1"}, {"CHILD": "5", "PREV_PERM": "P2"}]          # one row short: flag
    assert run("630", Episodes=eps, PrevPerm=pp) == {"Episodes": [0, 1, 4]}


# ---- 632: DATE_PERM valid and before care started ----

def test_632_invalid_or_late_date_perm():
    eps = [ep(str(i), DECOM="11/09/2015") for i in range(1, 10)] + [ep("4", DECOM="17/06/2001")]
    values = ["XX/10/2011", "01/13/2000", "ZZ/ZZ/ZZ", "17/06/2001", "01/05/2000", "ZZ/ZZ/1993", "", "ZZ/ZZ/2015",
              " 01/05/2000"]
    pp = [{"CHILD": str(i), "DATE_PERM": v} for i, v in enumerate(values, start=1)] + [{"CHILD": "99", "DATE_PERM": "XX"}]
    # child 4's first episode began 17/06/2001 (same day: flagged); ZZ/ZZ/2015 means 31/12/2015, after 11/09/2015
    assert run("632", Episodes=eps, PrevPerm=pp) == {"PrevPerm": [0, 1, 2, 3, 7, 8], "Episodes": [0, 1, 2, 7, 8, 9]}


def test_632_placeholders_resolved_as_the_spec_says():
    # 05/ZZ/2015 is 04/01/2016; ZZ/ZZ/ZZZZ is 31/12/2000; ZZ/02/2016 is 29/02/2016
    eps = [ep("1", DECOM="04/01/2016"), ep("2", DECOM="05/01/2016"), ep("3", DECOM="31/12/2000"),
           ep("4", DECOM="01/01/2001"), ep("5", DECOM="29/02/2016"), ep("6", DECOM="01/03/2016"),
           ep("7", DECOM="01/01/2020")]
    pp = [{"CHILD": "1", "DATE_PERM": "05/ZZ/2015"}, {"CHILD": "2", "DATE_PERM": "05/ZZ/2015"},
          {"CHILD": "3", "DATE_PERM": "ZZ/ZZ/ZZZZ"}, {"CHILD": "4", "DATE_PERM": "ZZ/ZZ/ZZZZ"},
          {"CHILD": "5", "DATE_PERM": "ZZ/02/2016"}, {"CHILD": "6", "DATE_PERM": "ZZ/02/2016"},
          {"CHILD": "7", "DATE_PERM": "01/01/ZZ19"}]
    assert run("632", Episodes=eps, PrevPerm=pp) == {"PrevPerm": [0, 2, 4, 6], "Episodes": [0, 2, 4, 6]}


# ---- 634: previous permanence only for children in care since 1 April 2016 ----

def test_634_entries_for_child_in_care_since_before_2016():
    eps = [ep("1", DECOM="20/10/2011"), ep("1", DECOM="01/03/2016"), ep("2", DECOM="19/11/2022"), ep("3", DECOM="01/01/2010"),
           ep("5", DECOM="31/03/2016"), ep("6", DECOM="01/04/2016"), ep("7", DECOM="")]
    pp = [{"CHILD": "1", "PREV_PERM": "Z1"}, {"CHILD": "2", "PREV_PERM": "P1"}, {"CHILD": "3"},
          {"CHILD": "4", "PREV_PERM": "Z1"}, {"CHILD": "5", "LA_PERM": "999"}, {"CHILD": "6", "DATE_PERM": "01/01/2010"},
          {"CHILD": "7", "PREV_PERM": "Z1"}, {"CHILD": "3", "DOB": "01/01/2005"}]
    # collection_start 01/04/2022: every child whose episodes all began before it is flagged
    assert run("634", Episodes=eps, PrevPerm=pp) == {"PrevPerm": [0, 4, 5], "Episodes": [0, 1, 4, 5]}


def test_634_threshold_is_collection_start():
    # the spec's example: flagged although the episode began after 1 April 2016
    pp = [{"CHILD": "1", "PREV_PERM": "P1"}, {"CHILD": "2", "PREV_PERM": "P1"}]
    eps = [ep("1", DECOM="01/05/2020"), ep("2", DECOM="01/05/2020"), ep("2", DECOM="01/04/2022")]
    assert run("634", Episodes=eps, PrevPerm=pp) == {"PrevPerm": [0], "Episodes": [0]}
    assert run("634", Episodes=eps, PrevPerm=pp, collection_start="01/05/2020") == {}


def test_prevperm_rules_skipped_without_prevperm():
    for code in ("630", "632", "634"):
        run(code, Episodes=[ep("1", RNE="S", DECOM="01/05/2022")], expect="skipped")


def test_noe_and_562_run_in_later_years():
    eps = [ep("1", DECOM="01/01/2025")]
    assert run("NoE", year="2025/26", Episodes=eps, last={"Episodes": [ep("2", DECOM="01/01/2025")]}) == {"Episodes": [0]}
    assert run("562", year="2025/26", Episodes=eps, last={"Episodes": [ep("1", DECOM="01/01/2025")]}) == {}


@pytest.mark.parametrize("code", ["562", "NoE"])
def test_last_year_rules_with_empty_pre_year(code):
    assert run(code, Episodes=[ep("1", DECOM="01/05/2022")], last={"Episodes": [ep("2", DECOM="01/05/2021")]}) == {}
