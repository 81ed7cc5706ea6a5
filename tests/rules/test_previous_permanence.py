from rulecheck import run


def test_631_previous_permanence_code():
    rows = [{"CHILD": "1", "PREV_PERM": "P0"}, {"CHILD": "2", "PREV_PERM": " P1"}, {"CHILD": "3", "PREV_PERM": "P1"},
            {"CHILD": "4", "PREV_PERM": "Z1"}, {"CHILD": "5", "PREV_PERM": ""}, {"CHILD": "6", "PREV_PERM": "p4"}]
    assert run("631", PrevPerm=rows) == {"PrevPerm": [0, 1]}


def test_631_skipped_without_prevperm():
    assert run("631", Header=[{"CHILD": "1"}], expect="skipped") == {}


def test_633_la_code():
    codes = ["458", "176", "204", "SCO", "", "0800", " 800", "999", "nuk", "909"]
    rows = [{"CHILD": str(i), "LA_PERM": c} for i, c in enumerate(codes)]
    assert run("633", PrevPerm=rows) == {"PrevPerm": [0, 1, 5, 6]}


def test_633_numbers_missing_from_the_specs_list_are_flagged():
    """The spec's list lacks the authorities formed since 2019 (838, 839, 940-943): its logic
    flags them, and no DfE coding says otherwise."""
    rows = [{"CHILD": str(i), "LA_PERM": c} for i, c in enumerate(["838", "839", "940", "941", "942", "943", "937"])]
    assert run("633", PrevPerm=rows) == {"PrevPerm": [0, 1, 2, 3, 4, 5]}


def test_635_order_details_without_an_option():
    rows = [{"CHILD": "1", "PREV_PERM": "", "LA_PERM": "352"},
            {"CHILD": "2", "PREV_PERM": "", "DATE_PERM": "01/05/2000"},
            # the message's Z1 case: not flagged, as the spec's logic
            {"CHILD": "3", "PREV_PERM": "Z1", "LA_PERM": "352"},
            {"CHILD": "4", "PREV_PERM": "Z1", "DATE_PERM": "ZZ/ZZ/2010"},
            {"CHILD": "5", "PREV_PERM": "P1", "LA_PERM": "352", "DATE_PERM": "05/05/2020"},
            {"CHILD": "6"},
            {"CHILD": "7", "PREV_PERM": "Z1"}]
    assert run("635", PrevPerm=rows) == {"PrevPerm": [0, 1]}


def test_int35_child_once_in_prevperm():
    rows = [{"CHILD": "101"}, {"CHILD": "101"}, {"CHILD": "102"}, {"CHILD": ""}, {"CHILD": ""}, {"CHILD": "103"}]
    assert run("INT35", PrevPerm=rows) == {"PrevPerm": [0, 1]}
