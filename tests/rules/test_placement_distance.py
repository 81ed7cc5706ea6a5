from rulecheck import frame, run

from xl_validator.prepare import Data
from xl_validator.read.table import RawTable
from xl_validator.rules import registry

HOME = "SW1A 1AA"  # Westminster; TW9 1DN is 7.4 miles away


def ep(child, home=HOME, pl="TW9 1DN", **kw):
    return {"CHILD": child, "DECOM": "01/06/2022", "HOME_POST": home, "PL_POST": pl, **kw}


# --- 406 ---------------------------------------------------------------------------------------

def test_406_uasc_child_has_no_distance():
    header = [{"CHILD": "1"}, {"CHILD": "2"}, {"CHILD": "3"}, {"CHILD": "4"}]
    uasc = [{"CHILD": "1", "DUC": "01/01/2025"}, {"CHILD": "2", "DUC": "01/01/2025"},
            {"CHILD": "3", "DUC": "01/01/2025"}]
    eps = [ep("1"), ep("2", home=""), ep("3", pl="ZZ9 9ZZ"), ep("4"), ep("1", pl="m1 1ae")]
    assert run("406", Header=header, UASC=uasc, Episodes=eps) == {"Episodes": [0, 4]}


def test_406_uasc_last_year_only_counts():
    header = [{"CHILD": "1", "UASC": "0"}, {"CHILD": "2", "UASC": "0"}]
    last_header = [{"CHILD": "1", "UASC": "1"}, {"CHILD": "2", "UASC": "0"}]
    eps = [ep("1"), ep("2")]
    assert run("406", Header=header, Episodes=eps, last={"Header": last_header}) == {"Episodes": [0]}


def test_406_uasc_table_without_header_needs_a_value_besides_child():
    uasc = [{"CHILD": "1", "DUC": "01/01/2025"}, {"CHILD": "2", "SEX": ""}]
    eps = [ep("1"), ep("2")]
    assert run("406", UASC=uasc, Episodes=eps) == {"Episodes": [0]}


def test_406_skipped_without_any_uasc_information():
    run("406", Header=[{"CHILD": "1"}], Episodes=[ep("1")], expect="skipped")


def test_406_skipped_without_postcode_data():
    run("406", Header=[{"CHILD": "1", "UASC": "1"}], Episodes=[ep("1")], postcodes=None, expect="skipped")


# --- 411 ---------------------------------------------------------------------------------------

def test_411_derived_location_always_agrees():
    eps = [ep("1", pl="SW1A 1AA"), ep("2", pl="TW9 1DN"), ep("3", pl=""), ep("4", pl="ZZ9 9ZZ")]
    assert run("411", Episodes=eps, local_authority="E09000033") == {}


def test_411_flags_in_with_other_placement_la_when_supplied_as_data():
    # PL_LOCATION/PL_LA never disagree when derived; supplied directly they can.
    rows = [{"CHILD": "1", "PL_LOCATION": "IN", "PL_LA": "E10000014"},
            {"CHILD": "2", "PL_LOCATION": "IN", "PL_LA": "E09000033"},
            {"CHILD": "3", "PL_LOCATION": "OUT", "PL_LA": "E09000033"},
            {"CHILD": "4", "PL_LOCATION": "", "PL_LA": "E10000014"},
            {"CHILD": "5", "PL_LOCATION": "IN", "PL_LA": ""}]
    raw = RawTable(name="Episodes", frame=frame("Episodes", rows), source="test", rows=list(range(2, 7)))
    data = Data({"Episodes": raw}, "2022/23", local_authority="E09000033")
    flagged = registry("2022/23")["411"](data)["Episodes"]
    assert list(flagged[flagged].index) == [0, 4]


def test_411_skipped_without_local_authority():
    run("411", Episodes=[ep("1")], expect="skipped")


# --- 420 ---------------------------------------------------------------------------------------

def test_420_respite_with_placement_la():
    eps = [ep("1", LS="V3"), ep("2", LS="V4", pl="CF10 1EP"), ep("3", LS="V4", pl=""),
           ep("4", LS="C2"), ep("5", LS="V3", pl="ZZ9 9ZZ"), ep("6", LS="v4")]
    assert run("420", Episodes=eps) == {"Episodes": [0, 1, 5]}


# --- 454 (2025/26) ---------------------------------------------------------------------------------

def test_454_over_350_miles():
    eps = [ep("1", home="TR1 1AA", pl="IV1 1AA"),   # ~501 miles
           ep("2"),                                  # 7.4 miles
           ep("3", home="TR1 1AA", pl=""),           # no distance
           ep("4", home="TR1 1AA", pl="TR1 1AA")]
    assert run("454", year="2025/26", Episodes=eps) == {"Episodes": [0]}
    assert run("454", year="2026/27", Episodes=eps) == {"Episodes": [0]}


def test_454_not_in_force_before_2025():
    import pytest
    from xl_validator.read import InputError
    with pytest.raises(InputError, match="not in force"):
        run("454", year="2024/25", Episodes=[ep("1")])


def test_454_children_known_as_uasc_are_not_exempt():
    header = [{"CHILD": "1", "UASC": "1"}, {"CHILD": "2", "UASC": "0"}, {"CHILD": "3", "UASC": "0"}]
    last_header = [{"CHILD": "3", "UASC": "1"}]
    eps = [ep(c, home="TR1 1AA", pl="IV1 1AA") for c in ("1", "2", "3")]
    assert run("454", year="2025/26", Header=header, Episodes=eps, last={"Header": last_header}) == {"Episodes": [0, 1, 2]}


def test_454_skipped_without_postcode_data():
    run("454", year="2025/26", Episodes=[ep("1")], postcodes=None, expect="skipped")
