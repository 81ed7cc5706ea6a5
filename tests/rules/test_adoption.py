from rulecheck import run

FULL = {"DATE_INT": "01/06/2022", "DATE_MATCH": "05/06/2022", "FOSTER_CARE": "0", "NB_ADOPTR": "2",
        "SEX_ADOPTR": "MF", "LS_ADOPTR": "L11"}


def ad1(*rows):
    return [{"CHILD": str(i), **r} for i, r in enumerate(rows)]


def test_112_flags_filled_invalid_date_int_only():
    rows = ad1({"DATE_INT": "01/13/2022"}, {"DATE_INT": "1/1/22"}, {"DATE_INT": ""}, {"DATE_INT": "15/06/2022"},
               {"DATE_INT": "1/6/2022"}, {"DATE_INT": "15/06/2022 "})
    assert run("112", AD1=rows) == {"AD1": [0, 1, 5]}


def test_113_flags_filled_invalid_date_match_only():
    rows = ad1({"DATE_MATCH": "2022/06/15"}, {"DATE_MATCH": "31/04/2022"}, {"DATE_MATCH": ""},
               {"DATE_MATCH": "15/06/2022"})
    assert run("113", AD1=rows) == {"AD1": [0, 1]}


def test_114_foster_care_exact_codes_blank_passes():
    rows = ad1({"FOSTER_CARE": "2"}, {"FOSTER_CARE": "y"}, {"FOSTER_CARE": "0"}, {"FOSTER_CARE": ""},
               {"FOSTER_CARE": "1.0"}, {"FOSTER_CARE": " 1"}, {"FOSTER_CARE": "1"})
    assert run("114", AD1=rows) == {"AD1": [0, 1, 4, 5]}


def test_151_some_but_not_all_items():
    two = {"DATE_INT": "01/06/2022", "DATE_MATCH": "05/06/2022"}
    five = {**FULL, "LS_ADOPTR": ""}
    invalid_but_full = {**FULL, "NB_ADOPTR": "9"}
    rows = ad1(two, five, FULL, {}, invalid_but_full)
    assert run("151", AD1=rows) == {"AD1": [0, 1]}


def test_175_number_of_adopters():
    rows = ad1({"NB_ADOPTR": "3"}, {"NB_ADOPTR": "0"}, {"NB_ADOPTR": "2"}, {"NB_ADOPTR": ""}, {"NB_ADOPTR": "1.0"},
               {"NB_ADOPTR": "1"})
    assert run("175", AD1=rows) == {"AD1": [0, 1, 4]}


def test_176_sex_of_adopters_lower_case_passes_after_upper_casing():
    rows = ad1({"SEX_ADOPTR": "FM"}, {"SEX_ADOPTR": "m1"}, {"SEX_ADOPTR": "MF"}, {"SEX_ADOPTR": ""},
               {"SEX_ADOPTR": "MF "})
    assert run("176", AD1=rows) == {"AD1": [0, 4]}


def test_177_legal_status_of_adopters():
    rows = ad1({"LS_ADOPTR": "L1"}, {"LS_ADOPTR": "L5"}, {"LS_ADOPTR": "L12"}, {"LS_ADOPTR": ""},
               {"LS_ADOPTR": "l0"})
    assert run("177", AD1=rows) == {"AD1": [0, 1]}


def test_ad1_rule_skipped_without_ad1():
    assert run("177", Episodes=[{"CHILD": "1"}], expect="skipped") == {}


def test_331_match_after_adoption_episode_start_flags_both_rows():
    ad = [{"CHILD": "A", "DATE_MATCH": "02/06/2022"}, {"CHILD": "B", "DATE_MATCH": "01/06/2022"},
          {"CHILD": "C", "DATE_MATCH": "11/11/2022"}, {"CHILD": "D", "DATE_MATCH": ""}]
    eps = [{"CHILD": "A", "DECOM": "01/06/2022", "REC": "E11"},
           {"CHILD": "A", "DECOM": "01/01/2022", "REC": "E4A"},
           {"CHILD": "B", "DECOM": "01/06/2022", "REC": "E12"},
           {"CHILD": "C", "DECOM": "01/06/2022", "REC": "E13"},
           {"CHILD": "D", "DECOM": "01/06/2022", "REC": "E11"}]
    assert run("331", AD1=ad, Episodes=eps) == {"AD1": [0], "Episodes": [0]}


def test_331_skipped_without_episodes():
    assert run("331", AD1=[{"CHILD": "A", "DATE_MATCH": "02/06/2022"}], expect="skipped") == {}


def test_333_interest_decision_after_match():
    rows = ad1({"DATE_INT": "03/06/2022", "DATE_MATCH": "01/06/2022"},
               {"DATE_INT": "01/06/2022", "DATE_MATCH": "05/06/2022"},
               {"DATE_INT": "02/06/2022", "DATE_MATCH": ""},
               {"DATE_INT": "05/06/2022", "DATE_MATCH": "05/06/2022"})
    assert run("333", AD1=rows) == {"AD1": [0]}


def test_333_missing_date_int_flagged_once_match_is_dated():
    rows = ad1({"DATE_INT": "", "DATE_MATCH": "05/06/2022"}, {"DATE_INT": "32/05/2022", "DATE_MATCH": "05/06/2022"},
               {"DATE_INT": "", "DATE_MATCH": ""}, {"DATE_INT": "", "DATE_MATCH": "5/13/2022"})
    assert run("333", AD1=rows) == {"AD1": [0, 1]}


def test_511_two_adopters_must_be_a_couple_code():
    rows = ad1({"NB_ADOPTR": "2", "SEX_ADOPTR": "M1"}, {"NB_ADOPTR": "2", "SEX_ADOPTR": "F1"},
               {"NB_ADOPTR": "2", "SEX_ADOPTR": "MF"}, {"NB_ADOPTR": "1", "SEX_ADOPTR": "F1"},
               {"NB_ADOPTR": "2 ", "SEX_ADOPTR": "M1"})
    assert run("511", AD1=rows) == {"AD1": [0, 1]}


def test_511_only_single_adopter_codes_flagged():
    # blank is 151's subject and an invalid code 176's
    rows = ad1({"NB_ADOPTR": "2", "SEX_ADOPTR": ""}, {"NB_ADOPTR": "2", "SEX_ADOPTR": "XX"},
               {"NB_ADOPTR": "2", "SEX_ADOPTR": "ff"}, {"NB_ADOPTR": "2", "SEX_ADOPTR": "m1"})
    assert run("511", AD1=rows) == {"AD1": [3]}


def test_514_single_adopter_status_with_a_couple():
    rows = ad1({"LS_ADOPTR": "L0", "SEX_ADOPTR": "MF"}, {"LS_ADOPTR": "L0", "SEX_ADOPTR": "M1"},
               {"LS_ADOPTR": "L4", "SEX_ADOPTR": "MM"}, {"LS_ADOPTR": "L0", "NB_ADOPTR": "1", "SEX_ADOPTR": "F1"})
    assert run("514", AD1=rows) == {"AD1": [0]}


def test_514_reads_sex_of_adopters_not_their_number():
    rows = ad1({"LS_ADOPTR": "L0", "SEX_ADOPTR": ""}, {"LS_ADOPTR": "L0", "NB_ADOPTR": "2", "SEX_ADOPTR": "M1"},
               {"LS_ADOPTR": "L0", "SEX_ADOPTR": "XX"}, {"LS_ADOPTR": "", "SEX_ADOPTR": "MM"})
    assert run("514", AD1=rows) == {"AD1": [0, 2]}


def test_517_l3_requires_mf():
    rows = ad1({"LS_ADOPTR": "L3", "SEX_ADOPTR": "FF"}, {"LS_ADOPTR": "L3", "SEX_ADOPTR": "M1"},
               {"LS_ADOPTR": "L3", "SEX_ADOPTR": "MF"}, {"LS_ADOPTR": "L1", "SEX_ADOPTR": "MF"},
               {"LS_ADOPTR": "L3", "SEX_ADOPTR": ""}, {"LS_ADOPTR": "L1", "SEX_ADOPTR": "FF"})
    assert run("517", AD1=rows) == {"AD1": [0, 1, 4]}


def test_518_l4_requires_same_sex_couple():
    rows = ad1({"LS_ADOPTR": "L4", "SEX_ADOPTR": "MF"}, {"LS_ADOPTR": "L4", "SEX_ADOPTR": "M1"},
               {"LS_ADOPTR": "L4", "SEX_ADOPTR": "FF"}, {"LS_ADOPTR": "L1", "SEX_ADOPTR": "F1"},
               {"LS_ADOPTR": "L4", "SEX_ADOPTR": ""}, {"LS_ADOPTR": "L4", "SEX_ADOPTR": "MM"})
    assert run("518", AD1=rows) == {"AD1": [0, 1, 4]}


def test_519_civil_partnership_requires_a_couple():
    rows = ad1({"LS_ADOPTR": "L2", "SEX_ADOPTR": "M1"}, {"LS_ADOPTR": "L2", "SEX_ADOPTR": ""},
               {"LS_ADOPTR": "L2", "SEX_ADOPTR": "MF"}, {"LS_ADOPTR": "L4", "SEX_ADOPTR": "M1"},
               {"LS_ADOPTR": "L2", "SEX_ADOPTR": "FF"})
    assert run("519", AD1=rows) == {"AD1": [0, 1]}


def test_520_mixed_sex_marriage_with_same_sex_couple():
    rows = ad1({"LS_ADOPTR": "L11", "SEX_ADOPTR": "MM"}, {"LS_ADOPTR": "L11", "SEX_ADOPTR": "FF"},
               {"LS_ADOPTR": "L11", "SEX_ADOPTR": "MF"}, {"LS_ADOPTR": "L4", "SEX_ADOPTR": "MM"})
    assert run("520", AD1=rows) == {"AD1": [0, 1]}


def test_520_anything_but_mf_flagged():
    rows = ad1({"LS_ADOPTR": "L11", "SEX_ADOPTR": "M1"}, {"LS_ADOPTR": "L11", "SEX_ADOPTR": ""},
               {"LS_ADOPTR": "L11", "SEX_ADOPTR": "mf"}, {"LS_ADOPTR": "L12", "SEX_ADOPTR": "F1"})
    assert run("520", AD1=rows) == {"AD1": [0, 1]}


def test_524_l12_requires_same_sex_couple():
    rows = ad1({"LS_ADOPTR": "L12", "SEX_ADOPTR": "MF"}, {"LS_ADOPTR": "L12", "SEX_ADOPTR": "M1"},
               {"LS_ADOPTR": "L12", "SEX_ADOPTR": "MM"}, {"LS_ADOPTR": "L4", "SEX_ADOPTR": "F1"},
               {"LS_ADOPTR": "L12", "SEX_ADOPTR": ""}, {"LS_ADOPTR": "L12", "SEX_ADOPTR": "FF"})
    assert run("524", AD1=rows) == {"AD1": [0, 1, 4]}


def test_adoption_rules_run_in_every_year():
    rows = ad1({"LS_ADOPTR": "L12", "SEX_ADOPTR": "MF"})
    for year in ("2023/24", "2024/25", "2025/26", "2026/27"):
        assert run("524", year=year, AD1=rows) == {"AD1": [0]}


def test_331_blank_child_is_not_paired():
    ad = [{"CHILD": "", "DATE_MATCH": "02/06/2022"}]
    eps = [{"CHILD": "", "DECOM": "01/06/2022", "REC": "E11"}]
    assert run("331", AD1=ad, Episodes=eps) == {}
