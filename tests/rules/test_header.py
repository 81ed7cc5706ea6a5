from rulecheck import run


def test_101_flags_blank_and_unknown_sex_codes():
    assert run("101", Header=[{"CHILD": "1", "SEX": ""}, {"CHILD": "2", "SEX": "3"},
                              {"CHILD": "3", "SEX": "1"}, {"CHILD": "4", "SEX": "2"}]) == {"Header": [0, 1]}


def test_101_from_2024_accepts_m_f_u_and_rejects_old_codes():
    rows = [{"CHILD": "1", "SEX": "M"}, {"CHILD": "2", "SEX": "f"}, {"CHILD": "3", "SEX": "U"},
            {"CHILD": "4", "SEX": "1"}, {"CHILD": "5", "SEX": ""}]
    assert run("101", year="2024/25", Header=rows) == {"Header": [3, 4]}


def test_102_flags_blank_iso_and_impossible_dates():
    rows = [{"CHILD": "1", "DOB": "01/05/2010"}, {"CHILD": "2", "DOB": ""}, {"CHILD": "3", "DOB": "2010-05-01"},
            {"CHILD": "4", "DOB": "29/02/2021"}, {"CHILD": "5", "DOB": "1/5/2010"}, {"CHILD": "6", "DOB": " 01/05/2010"}]
    assert run("102", Header=rows) == {"Header": [1, 2, 3, 5]}


def test_103_ethnicity_code_list_after_upper_casing():
    rows = [{"CHILD": "1", "ETHNIC": "WBRI"}, {"CHILD": "2", "ETHNIC": "wbri"}, {"CHILD": "3", "ETHNIC": ""},
            {"CHILD": "4", "ETHNIC": "WBRI "}, {"CHILD": "5", "ETHNIC": "NOBT"}]
    assert run("103", Header=rows) == {"Header": [2, 3]}


def test_header_rule_is_skipped_without_header_table():
    assert run("103", Episodes=[{"CHILD": "1"}], expect="skipped") == {}


def test_int31_flags_every_copy_of_a_repeated_child_but_not_blanks():
    rows = [{"CHILD": "101"}, {"CHILD": "101"}, {"CHILD": "102"}, {"CHILD": ""}, {"CHILD": ""}]
    assert run("INT31", AD1=rows) == {"AD1": [0, 1]}
