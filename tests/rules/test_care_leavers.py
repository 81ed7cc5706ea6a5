from rulecheck import run


def oc3(*rows):
    """OC3 rows: (IN_TOUCH, ACTIV, ACCOM[, DOB]); CHILD is the row number."""
    return [{"CHILD": str(i), "IN_TOUCH": r[0], "ACTIV": r[1], "ACCOM": r[2], "DOB": r[3] if len(r) > 3 else ""}
            for i, r in enumerate(rows)]


def test_131_in_touch_code_blank_flagged_mixed_case_passes():
    rows = oc3(("", "", ""), ("Yes", "", ""), ("MAYBE", "", ""), ("YES", "", ""), ("RHOM", "", ""), ("NO ", "", ""))
    assert run("131", OC3=rows) == {"OC3": [0, 2, 5]}


def test_132_activity_code():
    rows = oc3(("", "", ""), ("", "F3", ""), ("", "f1", ""), ("", "G6", ""), ("", "0", ""), ("", "00", ""))
    assert run("132", OC3=rows) == {"OC3": [0, 1, 5]}


def test_133_accommodation_code():
    rows = oc3(("", "", ""), ("", "", "S1"), ("", "", "B1"), ("", "", "0"), ("", "", "t1"), ("", "", "X1"))
    assert run("133", OC3=rows) == {"OC3": [0, 1, 5]}


def test_133_skipped_without_oc3():
    assert run("133", AD1=[{"CHILD": "1"}], expect="skipped") == {}


def test_134_adoption_data_for_care_leaver():
    leavers = [{"CHILD": "A", "IN_TOUCH": "YES"}, {"CHILD": "B", "IN_TOUCH": "YES"}, {"CHILD": "C"}]
    ad1 = [{"CHILD": "A", "DATE_INT": "01/06/2022"}, {"CHILD": "B"}, {"CHILD": "C", "NB_ADOPTR": "1"},
           {"CHILD": "D", "SEX_ADOPTR": "M1"}]
    assert run("134", OC3=leavers, AD1=ad1) == {"AD1": [0]}


def test_134_skipped_without_ad1():
    assert run("134", OC3=[{"CHILD": "A", "IN_TOUCH": "YES"}], expect="skipped") == {}


def test_153_some_but_not_all_items():
    rows = oc3(("YES", "", "B1"), ("DIED", "", ""), ("DIED", "0", "0"), ("", "", ""), ("XX", "YY", "ZZ"))
    assert run("153", OC3=rows) == {"OC3": [0, 1]}


EPISODES = [{"CHILD": "A", "DECOM": "01/01/2019", "RNE": "P", "LS": "C2", "DEC": ""},
            {"CHILD": "B", "DECOM": "01/01/2019", "RNE": "P", "LS": "C2", "DEC": "10/10/2022", "REC": "E13"}]


def test_187_oc2_child_with_oc3_or_ad1_data():
    leavers = [{"CHILD": "A", "IN_TOUCH": "YES"}, {"CHILD": "B", "IN_TOUCH": "YES"}, {"CHILD": "C", "IN_TOUCH": "NO"}]
    ad1 = [{"CHILD": "A", "DATE_INT": "01/06/2022"}, {"CHILD": "A"}, {"CHILD": "B", "DATE_INT": "01/06/2022"}]
    assert run("187", OC3=leavers, AD1=ad1, Episodes=EPISODES) == {"OC3": [0], "AD1": [0]}


def test_187_needs_both_oc3_and_ad1():
    run("187", OC3=[{"CHILD": "A", "ACCOM": "B1"}], Episodes=EPISODES, expect="skipped")
    run("187", AD1=[{"CHILD": "A", "LS_ADOPTR": "L0"}], Episodes=EPISODES, expect="skipped")


def test_187_skipped_without_episodes_or_both_tables():
    assert run("187", OC3=[{"CHILD": "A", "IN_TOUCH": "YES"}], expect="skipped") == {}
    assert run("187", Episodes=EPISODES, expect="skipped") == {}


def test_344_died_or_home_with_activity():
    rows = oc3(("RHOM", "F2", "0"), ("DIED", "0", "B1"), ("DIED", "0", "0"), ("YES", "F2", "B1"), ("rhom", "g4", "0"))
    assert run("344", OC3=rows) == {"OC3": [0, 1, 4]}


def test_344_blank_activity_or_accommodation_is_not_0_and_flags():
    rows = oc3(("DIED", "", "0"), ("RHOM", "", ""), ("NREQ", "", ""), ("DIED", "0 ", "0"))
    assert run("344", OC3=rows) == {"OC3": [0, 1, 3]}


def test_345_in_touch_with_zero_activity_or_accommodation():
    rows = oc3(("YES", "0", "B1"), ("Yes", "F2", "0"), ("YES", "F2", "B1"), ("NO", "0", "0"), ("YES", "", ""))
    assert run("345", OC3=rows) == {"OC3": [0, 1]}


def test_391_too_young_for_oc3():
    # collection 2022/23: 17th birthday after 31/03/2023 is too young
    rows = oc3(("YES", "", "", "01/01/2008"), ("YES", "", "", "01/01/2005"), ("", "", "", "01/01/2008"),
               ("YES", "", "", "31/03/2006"), ("YES", "", "", "01/04/2006"), ("YES", "", "", ""),
               ("YES", "", "", "2008-01-01"))
    assert run("391", OC3=rows) == {"OC3": [0, 4]}


def test_391_too_old_is_not_checked():
    # 22nd birthday on or before 01/04/2022: never 21 during the year, but only the too-young side is checked
    rows = oc3(("YES", "", "", "01/04/2000"), ("NO", "0", "0", "01/01/1995"))
    assert run("391", OC3=rows) == {}


def test_347_not_in_force_before_2023():
    from xl_validator.rules import registry
    assert "347" not in registry("2022/23") and "347" in registry("2026/27")


def test_347_foyer_under_18():
    """The spec's examples (ACCOM 'T': DOB 02/04/2005 and 01/01/2010 flag, 31/03/2005 passes;
    'S' passes). ACCOM is compared exactly with 'T', so the foyer codes T1/T2 are not."""
    rows = oc3(("YES", "F1", "T", "02/04/2005"), ("YES", "F1", "T", "01/01/2010"), ("YES", "F1", "T", "31/03/2005"),
               ("YES", "F1", "S", "01/01/2010"), ("YES", "F1", "T", ""), ("YES", "F1", "T", "99/99/2010"),
               ("YES", "F1", "t", "01/01/2010"), ("YES", "F1", "T1", "01/01/2010"), ("YES", "F1", "T ", "01/01/2010"))
    assert run("347", year="2023/24", OC3=rows) == {"OC3": [0, 1, 6]}


def test_347_age_in_average_years_flags_some_18th_birthdays_on_collection_start():
    # 01/04/2005 to 01/04/2023 is 6,574 days, under 18 x 365.2425: flagged (the spec's note);
    # 01/04/2008 to 01/04/2026 likewise; 31/03/2008 is 6,575 days: passes
    assert run("347", year="2023/24", OC3=oc3(("YES", "F1", "T", "01/04/2005"))) == {"OC3": [0]}
    later = oc3(("YES", "F1", "T", "02/04/2008"), ("YES", "F1", "T", "01/04/2008"), ("YES", "F1", "T", "31/03/2008"))
    assert run("347", year="2026/27", OC3=later) == {"OC3": [0, 1]}


def test_348_died_last_year():
    now = [{"CHILD": "A", "IN_TOUCH": "YES"}, {"CHILD": "B", "IN_TOUCH": ""}, {"CHILD": "C", "IN_TOUCH": "DIED"},
           {"CHILD": "D", "IN_TOUCH": "YES"}, {"CHILD": "E", "IN_TOUCH": "died"}]
    last = [{"CHILD": "A", "IN_TOUCH": "DIED"}, {"CHILD": "B", "IN_TOUCH": "DIED"}, {"CHILD": "C", "IN_TOUCH": "DIED"},
            {"CHILD": "E", "IN_TOUCH": "DIED"}, {"CHILD": "F", "IN_TOUCH": "DIED"}]
    assert run("348", year="2025/26", OC3=now, last={"OC3": last}) == {"OC3": [0, 1]}


def test_348_skipped_without_last_year():
    assert run("348", year="2025/26", OC3=[{"CHILD": "A", "IN_TOUCH": "YES"}], expect="skipped") == {}


def test_134_blank_child_is_not_paired():
    assert run("134", OC3=[{"CHILD": "", "IN_TOUCH": "YES"}], AD1=[{"CHILD": "", "DATE_INT": "01/06/2022"}]) == {}
