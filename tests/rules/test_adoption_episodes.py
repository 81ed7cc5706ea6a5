import pytest

from rulecheck import run


def ep(child, **kw):
    return {"CHILD": child, **kw}


# ---- 551: placement for adoption needs a decision date ----

def test_551_adoption_placement_without_decision_date():
    eps = [ep("1", PLACE="A5"), ep("2", PLACE="A3"), ep("3", PLACE="A4"), ep("4", PLACE="U1"),
           ep("5", PLACE="a6"), ep("6", PLACE="A6")]
    pa = [{"CHILD": "1", "DATE_PLACED": ""}, {"CHILD": "3", "DATE_PLACED": "15/04/2020"},
          {"CHILD": "6", "DATE_PLACED": "not a date"}]
    # child 2 has no PlacedAdoption row; lower-case a6 is upper-cased; any text counts as present
    assert run("551", Episodes=eps, PlacedAdoption=pa) == {"Episodes": [0, 1, 4]}


def test_551_a_blank_decision_row_flags_even_beside_a_dated_one():
    pa = [{"CHILD": "1", "DATE_PLACED": "01/01/2020"}, {"CHILD": "1", "DATE_PLACED": "", "DATE_PLACED_CEASED": "01/02/2021"},
          {"CHILD": "2", "DATE_PLACED": "01/01/2020"}, {"CHILD": "2", "DATE_PLACED": "01/03/2021"}]
    assert run("551", Episodes=[ep("1", PLACE="A5"), ep("2", PLACE="A5")], PlacedAdoption=pa) == {"Episodes": [0]}


def test_551_skipped_without_placed_adoption():
    run("551", Episodes=[ep("1", PLACE="A5")], expect="skipped")


# ---- 552: placed for adoption while a decision is in force ----

def test_552_placement_before_decision_flags_both():
    eps = [ep("1", PLACE="A6", DECOM="13/10/2021"), ep("2", PLACE="A3", DECOM="08/03/2020"),
           ep("3", PLACE="U1", DECOM="01/01/2019"), ep("4", PLACE="A4", DECOM="01/01/2019"), ep("5", PLACE="A4", DECOM="01/01/2019")]
    pa = [{"CHILD": "1", "DATE_PLACED": "13/10/2022"}, {"CHILD": "2", "DATE_PLACED": "08/03/2020"},
          {"CHILD": "3", "DATE_PLACED": "01/01/2020"}, {"CHILD": "4", "DATE_PLACED": "31/31/2020"}]
    # child 4's decision date is unparseable and child 5 has none: no usable decision, 551's case
    assert run("552", Episodes=eps, PlacedAdoption=pa) == {"Episodes": [0], "PlacedAdoption": [0]}


def test_552_placement_after_earlier_decision_passes():
    """DfE message: each placement is matched with the decision in force when it began; the
    known implementation compares with the latest decision and flags this."""
    eps = [ep("1", PLACE="A5", DECOM="01/05/2022")]
    pa = [{"CHILD": "1", "DATE_PLACED": "01/04/2022"}, {"CHILD": "1", "DATE_PLACED": "01/07/2022"}]
    assert run("552", Episodes=eps, PlacedAdoption=pa) == {}


def test_552_ceased_decisions_are_not_examined():
    eps = [ep("1", PLACE="A5", DECOM="01/05/2022"), ep("2", PLACE="A5", DECOM="01/05/2022")]
    pa = [{"CHILD": "1", "DATE_PLACED": "01/01/2019", "DATE_PLACED_CEASED": "01/01/2020"},
          {"CHILD": "1", "DATE_PLACED": "01/07/2022"},
          {"CHILD": "2", "DATE_PLACED": "01/01/2019", "DATE_PLACED_CEASED": "01/05/2021"}]
    assert run("552", Episodes=eps, PlacedAdoption=pa) == {}


def test_552_only_the_earliest_later_decision_is_flagged():
    eps = [ep("1", PLACE="A5", DECOM="01/05/2022"), ep("1", PLACE="A6", DECOM="01/09/2022")]
    pa = [{"CHILD": "1", "DATE_PLACED": "01/10/2022"}, {"CHILD": "1", "DATE_PLACED": "01/08/2022"}]
    # the A6 placement follows the 01/08 decision; the A5 one precedes both: it and 01/08 flagged
    assert run("552", Episodes=eps, PlacedAdoption=pa) == {"Episodes": [0], "PlacedAdoption": [1]}


def test_552_blank_decom_not_checked():
    eps = [ep("1", PLACE="A5", DECOM=""), ep("1", PLACE="A5", DECOM="1/13/2022")]
    assert run("552", Episodes=eps, PlacedAdoption=[{"CHILD": "1", "DATE_PLACED": "01/07/2022"}]) == {}


# ---- 553 / 555: placement and freeing orders need a decision ----

def test_553_placement_order_without_decision():
    eps = [ep("1", LS="E1"), ep("2", LS="E1"), ep("3", LS="E1", DEC="05/06/2020"), ep("4", LS="E1"),
           ep("5", LS="C2")]
    pa = [{"CHILD": "2", "DATE_PLACED": "01/01/2020", "REASON_PLACED_CEASED": "E"},
          {"CHILD": "4", "DATE_PLACED": "01/01/2020"}]
    assert run("553", Episodes=eps, PlacedAdoption=pa) == {"Episodes": [0, 2], "PlacedAdoption": [0]}


def test_553_any_decision_row_counts_and_every_ceased_row_of_an_open_order_flags():
    assert run("553", Episodes=[ep("1", LS="E1")], PlacedAdoption=[{"CHILD": "1", "DATE_PLACED": ""}]) == {}
    pa = [{"CHILD": "1", "DATE_PLACED": "01/01/2019", "DATE_PLACED_CEASED": "01/01/2020", "REASON_PLACED_CEASED": "E"},
          {"CHILD": "1", "DATE_PLACED": "01/06/2021"}]
    assert run("553", Episodes=[ep("1", LS="E1")], PlacedAdoption=pa) == {"PlacedAdoption": [0]}
    # closed E1 episode: ceased rows are not examined
    pa_ceased = [{"CHILD": "1", "DATE_PLACED": "01/01/2019", "DATE_PLACED_CEASED": "01/01/2020"}]
    assert run("553", Episodes=[ep("1", LS="E1", DEC="02/01/2020")], PlacedAdoption=pa_ceased) == {}


def test_555_freeing_order_without_decision():
    eps = [ep("1", LS="D1"), ep("2", LS="D1"), ep("3", LS="D1", DEC="01/02/2020"), ep("4", LS="D1")]
    pa = [{"CHILD": "2", "DATE_PLACED": "01/01/2020", "DATE_PLACED_CEASED": "01/02/2020"},
          {"CHILD": "3", "DATE_PLACED": "01/01/2020", "DATE_PLACED_CEASED": "01/02/2020", "REASON_PLACED_CEASED": "E"},
          {"CHILD": "4", "DATE_PLACED": "01/01/2020"}]
    assert run("555", Episodes=eps, PlacedAdoption=pa) == {"Episodes": [0], "PlacedAdoption": [0]}


def test_555_and_556_deleted_from_2024():
    with pytest.raises(Exception, match="not in force"):
        run("555", year="2024/25", Episodes=[ep("1", LS="D1")], PlacedAdoption=[{"CHILD": "2"}])
    with pytest.raises(Exception, match="not in force"):
        run("556", year="2024/25", Episodes=[ep("1", LS="D1")], PlacedAdoption=[{"CHILD": "2"}])


# ---- 554 / 556: decision not after the order ----

def test_554_first_placement_order_before_decision():
    eps = [ep("1", LS="E1", DECOM="01/01/2020"), ep("2", LS="E1", DECOM="01/02/2016"),
           ep("2", LS="E1", DECOM="01/03/2021"), ep("3", LS="E1", DECOM="11/01/2020"), ep("4", LS="C2", DECOM="01/01/2010"),
           ep("5", LS="E1", DECOM=""), ep("6", LS="E1", DECOM="01/01/2020")]
    pa = [{"CHILD": "1", "DATE_PLACED": "26/05/2022"}, {"CHILD": "2", "DATE_PLACED": "22/01/2020"},
          {"CHILD": "3", "DATE_PLACED": "11/01/2020"}, {"CHILD": "4", "DATE_PLACED": "01/01/2020"},
          {"CHILD": "5", "DATE_PLACED": "01/01/2020"}, {"CHILD": "6", "DATE_PLACED": "01/01/2019"},
          {"CHILD": "6", "DATE_PLACED": "02/01/2020"}]
    # child 2: only its first E1 episode is flagged; child 5 has no valid E1 DECOM
    assert run("554", Episodes=eps, PlacedAdoption=pa) == {"Episodes": [0, 1, 6], "PlacedAdoption": [0, 1, 6]}


def test_554_same_day_placement_orders_the_ended_one_is_first_whatever_the_row_order():
    ended = ep("1", LS="E1", DECOM="01/01/2020", DEC="01/01/2020", REC="X1")
    still = ep("1", LS="E1", DECOM="01/01/2020")
    pa = [{"CHILD": "1", "DATE_PLACED": "01/02/2020"}]
    assert run("554", Episodes=[ended, still], PlacedAdoption=pa) == {"Episodes": [0], "PlacedAdoption": [0]}
    assert run("554", Episodes=[still, ended], PlacedAdoption=pa) == {"Episodes": [1], "PlacedAdoption": [0]}


def test_556_every_freeing_order_episode_checked():
    eps = [ep("1", LS="D1", DECOM="15/03/2020"), ep("1", LS="D1", DECOM="15/05/2020"), ep("2", LS="D1", DECOM="15/03/2020"),
           ep("3", LS="C1", DECOM="15/03/2020"), ep("4", LS="D1", DECOM="")]
    pa = [{"CHILD": "1", "DATE_PLACED": "15/04/2020"}, {"CHILD": "2", "DATE_PLACED": "15/03/2020"},
          {"CHILD": "3", "DATE_PLACED": "15/04/2020"}, {"CHILD": "4", "DATE_PLACED": "15/04/2020"}]
    assert run("556", Episodes=eps, PlacedAdoption=pa) == {"Episodes": [0]}


# ---- 557: left care not adopted, decision must be ceased ----

def test_557_left_care_other_than_adopted():
    eps = [ep("1", PLACE="A3", REC="E13"), ep("2", PLACE="A5", REC="E4A"), ep("3", LS="E1", REC="E13"),
           ep("4", LS="D1", REC="E12"), ep("5", PLACE="A6", REC="X1"), ep("6", PLACE="A6", REC=""),
           ep("7", LS="D1", PLACE="U1", REC="E13"), ep("8", LS="E1", REC="E13")]
    pa = [{"CHILD": "1"}, {"CHILD": "3", "DATE_PLACED_CEASED": "01/02/2023"},
          {"CHILD": "4"}, {"CHILD": "5"}, {"CHILD": "6"}, {"CHILD": "7"},
          {"CHILD": "8", "DATE_PLACED_CEASED": "01/02/2023", "REASON_PLACED_CEASED": "E"}]
    assert run("557", Episodes=eps, PlacedAdoption=pa) == {"Episodes": [0, 1, 2, 6], "PlacedAdoption": [0, 1, 5]}


def test_557_from_2024_d1_no_longer_in_scope():
    eps = [ep("1", LS="D1", PLACE="U1", REC="E13"), ep("2", LS="E1", REC="E13"), ep("3", PLACE="A4", REC="E12")]
    pa = [{"CHILD": "1"}, {"CHILD": "2", "DATE_PLACED_CEASED": "01/02/2025"}, {"CHILD": "3"}]
    assert run("557", year="2024/25", Episodes=eps, PlacedAdoption=pa) == {"Episodes": [1], "PlacedAdoption": [1]}
    assert run("557", year="2023/24", Episodes=eps, PlacedAdoption=pa) == {"Episodes": [0, 1], "PlacedAdoption": [0, 1]}


# ---- 558: adopted child's latest decision not ceased ----

def test_558_adopted_child_with_ceased_latest_decision():
    eps = [ep("1", REC="E12", DECOM="01/01/2021"), ep("2", REC="E11", DECOM="01/01/2021"),
           ep("3", REC="E11", DECOM="01/01/2021"), ep("4", REC="E4A", DECOM="01/01/2021")]
    pa = [{"CHILD": "1", "DATE_PLACED": "01/01/2020", "DATE_PLACED_CEASED": "01/06/2020"},
          {"CHILD": "1", "DATE_PLACED": "01/09/2020", "DATE_PLACED_CEASED": "01/12/2020"},
          {"CHILD": "2", "DATE_PLACED": "01/01/2020", "DATE_PLACED_CEASED": "01/01/2020"},
          {"CHILD": "3", "DATE_PLACED": "01/01/2020", "DATE_PLACED_CEASED": "01/06/2020"},
          {"CHILD": "3", "DATE_PLACED": "01/09/2020"},
          {"CHILD": "4", "DATE_PLACED": "01/01/2020", "DATE_PLACED_CEASED": "01/06/2020"},
          {"CHILD": "4", "DATE_PLACED": "01/09/2020", "DATE_PLACED_CEASED": "01/12/2020"}]
    # the spec's examples: 1 flags; 2 (a single decision), 3 (latest open), 4 (not adopted) pass
    assert run("558", Episodes=eps, PlacedAdoption=pa) == {"Episodes": [0]}


def test_558_only_the_latest_episode_and_latest_dated_decision_count():
    eps = [ep("1", REC="E11", DECOM="01/01/2021"), ep("1", REC="E4A", DECOM="01/06/2021"),
           ep("2", REC="E11", DECOM="01/01/2021"), ep("2", REC="X1", DECOM=""),
           ep("3", REC="E11", DECOM="01/01/2021")]
    ceased_two = [{"DATE_PLACED": "01/01/2020", "DATE_PLACED_CEASED": "01/06/2020"},
                  {"DATE_PLACED": "01/09/2020", "DATE_PLACED_CEASED": "01/12/2020"}]
    pa = [{"CHILD": c, **r} for c in ("1", "2") for r in ceased_two]
    # child 3: the later row has no usable date, so the ceased 01/01/2020 row is the latest
    pa += [{"CHILD": "3", "DATE_PLACED": "01/01/2020", "DATE_PLACED_CEASED": "01/06/2020"},
           {"CHILD": "3", "DATE_PLACED": "unknown"}]
    # child 1's latest episode is not an adoption; child 2's undated episode is not its latest
    assert run("558", Episodes=eps, PlacedAdoption=pa) == {"Episodes": [2, 4]}


# ---- 582: adopted on the day of the match ----

def test_582_adoption_date_equal_to_match_date():
    eps = [ep("1", REC="E11", DEC="01/01/2023"), ep("2", REC="E12", DEC="01/01/2023"), ep("3", REC="E4A", DEC="01/01/2023"),
           ep("4", REC="E12", DEC="1/1/2023"), ep("5", REC="E11", DEC=""), ep("6", REC="E11", DEC="01/01/2023")]
    ad1 = [{"CHILD": "1", "DATE_MATCH": "01/01/2023"}, {"CHILD": "2", "DATE_MATCH": "02/12/2022"},
           {"CHILD": "3", "DATE_MATCH": "01/01/2023"}, {"CHILD": "4", "DATE_MATCH": "01/01/2023"},
           {"CHILD": "5", "DATE_MATCH": "", "DATE_INT": "01/01/2020"}]
    # child 4: the same day written differently is different text, as the spec's logic compares
    assert run("582", Episodes=eps, AD1=ad1) == {"Episodes": [0]}


# ---- 601 / 602: adoption details against adoptions this year ----

FULL_AD1 = {"DATE_INT": "01/01/2022", "DATE_MATCH": "01/02/2022", "FOSTER_CARE": "0", "NB_ADOPTR": "1",
            "SEX_ADOPTR": "M1", "LS_ADOPTR": "L0"}


def test_601_incomplete_adoption_details():
    eps = [ep("1", REC="E11", DEC="01/01/2023"), ep("2", REC="E12", DEC="01/04/2022"), ep("3", REC="E11", DEC="03/07/2021"),
           ep("4", REC="E11", DEC="31/03/2023"), ep("5", REC="E4A", DEC="01/01/2023")]
    ad1 = [{"CHILD": "1", **FULL_AD1, "DATE_INT": ""}, {"CHILD": "2", **FULL_AD1},
           {"CHILD": "3", **FULL_AD1, "LS_ADOPTR": ""}, {"CHILD": "4", **FULL_AD1, "SEX_ADOPTR": ""},
           {"CHILD": "5", **FULL_AD1, "NB_ADOPTR": ""}]
    assert run("601", Episodes=eps, AD1=ad1) == {"Episodes": [0, 3], "AD1": [0, 3]}


def test_601_adopted_child_without_any_ad1_row_passes():
    eps = [ep("1", REC="E11", DEC="01/01/2023"), ep("2", REC="E11", DEC="01/01/2023")]
    assert run("601", Episodes=eps, AD1=[{"CHILD": "2", **FULL_AD1, "FOSTER_CARE": ""}]) == {"Episodes": [1], "AD1": [0]}


def test_602_adoption_details_without_adoption_this_year():
    eps = [ep("1", REC="E4A", DEC="01/01/2023"), ep("3", REC="E11", DEC="22/03/2022"), ep("4", REC="E11", DEC="08/06/2022"),
           ep("5", REC="E12", DEC=""), ep("6", REC="E12", DEC="31/03/2023")]
    ad1 = [{"CHILD": "1", "DATE_INT": "01/01/2022"}, {"CHILD": "2", "NB_ADOPTR": "1"}, {"CHILD": "3", **FULL_AD1},
           {"CHILD": "4", **FULL_AD1}, {"CHILD": "5", "FOSTER_CARE": "1"}, {"CHILD": "6", "LS_ADOPTR": "L0"},
           {"CHILD": "7", "DOB": "01/01/2010"}]
    assert run("602", Episodes=eps, AD1=ad1) == {"AD1": [0, 1, 2, 4]}
