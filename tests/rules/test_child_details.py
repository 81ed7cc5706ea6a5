from rulecheck import run


# ---- 165: mother status ----

def ep(child, decom="01/05/2022", dec="", ls="C2", **kw):
    return {"CHILD": child, "DECOM": decom, "DEC": dec, "LS": ls, **kw}


def test_165_spec_examples():
    header = [{"CHILD": "1", "SEX": "2", "MOTHER": ""}, {"CHILD": "2", "SEX": "1", "MOTHER": "0"},
              {"CHILD": "3", "SEX": "2", "MOTHER": "2"}, {"CHILD": "4", "SEX": "2", "MOTHER": "1"},
              {"CHILD": "5", "SEX": "1", "MOTHER": ""}]
    episodes = [ep("1"), ep("2"), ep("3"), ep("4"), ep("5")]
    oc3 = [{"CHILD": "1"}, {"CHILD": "4", "ACCOM": "T1"}]
    assert run("165", Header=header, Episodes=episodes, OC3=oc3) == {"Header": [0, 1, 2], "OC3": [0]}


def test_165_tests_sex_1_and_2_in_every_year():
    """The only version's logic tests SEX '1'/'2': from 2024/25 (M/F) only an invalid MOTHER flags."""
    header = [{"CHILD": "1", "SEX": "F", "MOTHER": ""}, {"CHILD": "2", "SEX": "M", "MOTHER": "0"},
              {"CHILD": "3", "SEX": "F", "MOTHER": "0"}, {"CHILD": "4", "SEX": "M", "MOTHER": ""},
              {"CHILD": "5", "SEX": "F", "MOTHER": "3"}, {"CHILD": "6", "SEX": "2", "MOTHER": ""}]
    episodes = [ep(str(i), decom="01/05/2024") for i in range(1, 7)]
    assert run("165", year="2024/25", Header=header, Episodes=episodes, OC3=[]) == {"Header": [4, 5]}


def test_165_skipped_without_oc3():
    assert run("165", Header=[{"CHILD": "1", "SEX": "2"}], Episodes=[ep("1")], expect="skipped") == {}


# ---- 174: male with a child's date of birth ----

def test_174_male_with_mc_dob():
    rows = [{"CHILD": "1", "SEX": "1", "MC_DOB": "01/05/2022"}, {"CHILD": "2", "SEX": "1", "MC_DOB": "xx"},
            {"CHILD": "3", "SEX": "1", "MC_DOB": ""}, {"CHILD": "4", "SEX": "2", "MC_DOB": "01/05/2022"}]
    assert run("174", Header=rows) == {"Header": [0, 1]}


def test_174_from_2024_male_is_m():
    rows = [{"CHILD": "1", "SEX": "M", "MC_DOB": "19/02/2023"}, {"CHILD": "2", "SEX": "M", "MC_DOB": ""},
            {"CHILD": "3", "SEX": "F", "MC_DOB": "19/02/2023"}, {"CHILD": "4", "SEX": "1", "MC_DOB": "19/02/2023"}]
    assert run("174", year="2024/25", Header=rows) == {"Header": [0]}


# ---- 184: placed for adoption before birth ----

def test_184_date_placed_before_birth():
    header = [{"CHILD": "1", "DOB": "10/03/2019"}, {"CHILD": "2", "DOB": ""}, {"CHILD": "3", "DOB": "01/10/2017"},
              {"CHILD": "4", "DOB": "01/01/2015"}, {"CHILD": "6", "DOB": "01/01/2020"}]
    placed = [{"CHILD": "1", "DATE_PLACED": "10/02/2019", "DOB": "10/03/2019"},
              {"CHILD": "2", "DATE_PLACED": "01/05/2020", "DOB": ""},           # no birth date: flagged
              {"CHILD": "3", "DATE_PLACED": "01/10/2017", "DOB": "01/10/2017"},
              {"CHILD": "4", "DATE_PLACED": "", "DOB": "01/01/2015"},
              {"CHILD": "5", "DATE_PLACED": "01/01/2018", "DOB": "01/02/2018"},  # not in Header
              # PlacedAdoption's own DOB decides, not a disagreeing Header DOB
              {"CHILD": "6", "DATE_PLACED": "01/06/2019", "DOB": "01/01/2019"},
              {"CHILD": "7", "DATE_PLACED": "bad", "DOB": ""}]
    assert run("184", Header=header, PlacedAdoption=placed) == {"PlacedAdoption": [0, 1, 4]}


# ---- 210: UN4 for a child looked after more than a week at 31 March ----

# ---- 302: first episode before birth ----

def test_302_earliest_episode_before_dob():
    header = [{"CHILD": "1", "DOB": "16/03/2021"}, {"CHILD": "2", "DOB": "01/01/1995"},
              {"CHILD": "3", "DOB": "16/03/2021"}, {"CHILD": "4", "DOB": ""}, {"CHILD": "5", "DOB": "01/01/2020"}]
    episodes = [ep("1", decom="01/05/2022"), ep("1", decom="20/03/2020"), ep("2", decom="01/02/1988"),
                ep("3", decom="16/03/2021"), ep("4", decom="01/01/2000"), ep("5", decom=""),
                ep("5", decom="bad")]
    assert run("302", Header=header, Episodes=episodes) == {"Episodes": [1, 2], "Header": [0, 1]}


# ---- 352, 358, 359, 386, 387, 460: age on episode dates ----

def test_352_started_care_at_18():
    header = [{"CHILD": "1", "DOB": "31/12/2004"}, {"CHILD": "2", "DOB": "01/01/2000"},
              {"CHILD": "3", "DOB": "01/01/2005"}, {"CHILD": "4", "DOB": "01/01/2000"}, {"CHILD": "5", "DOB": ""}]
    episodes = [ep("1", decom="31/12/2022", RNE="S"), ep("2", decom="23/08/2022", RNE="S"),
                ep("3", decom="31/12/2022", RNE="S"), ep("4", decom="23/08/2022", RNE="P"),
                ep("5", decom="23/08/2022", RNE="S"), ep("6", decom="23/08/2022", RNE="S"),
                ep("2", decom="", RNE="S")]
    assert run("352", Header=header, Episodes=episodes) == {"Episodes": [0, 1]}


def test_359_over_18_open_episode_must_be_v2_k2():
    header = [{"CHILD": "1", "DOB": "06/06/2004"}, {"CHILD": "2", "DOB": "05/06/2004"},
              {"CHILD": "3", "DOB": "05/06/2004"}, {"CHILD": "4", "DOB": "31/03/2005"}, {"CHILD": "5", "DOB": ""}]
    episodes = [ep("1", ls="C2", PLACE="U1"), ep("2", ls="V2", PLACE="K1"), ep("3", ls="V2", PLACE="K2"),
                ep("4", ls="C2", PLACE="U1"), ep("5", ls="C2", PLACE="U1"),
                ep("1", ls="C2", PLACE="U1", dec="bad date"), ep("1", ls="C2", PLACE="U1", dec="01/01/2023")]
    assert run("359", Header=header, Episodes=episodes) == {"Episodes": [0, 1]}


def test_386_adopted_at_18():
    header = [{"CHILD": "1", "DOB": "31/12/2004"}, {"CHILD": "2", "DOB": "01/01/2004"},
              {"CHILD": "3", "DOB": "16/03/2005"}, {"CHILD": "4", "DOB": "01/01/2000"}]
    episodes = [ep("1", dec="31/12/2022", REC="E11"), ep("2", dec="15/03/2023", REC="e12"),
                ep("3", dec="15/03/2023", REC="E11"), ep("4", dec="", REC="E11"),
                ep("4", dec="15/03/2023", REC="E13"), ep("9", dec="15/03/2023", REC="E11")]
    assert run("386", Header=header, Episodes=episodes) == {"Episodes": [0, 1]}


def test_387_independent_living_under_14():
    header = [{"CHILD": "1", "DOB": "31/12/2010"}, {"CHILD": "2", "DOB": "16/03/2009"},
              {"CHILD": "3", "DOB": "01/01/2012"}, {"CHILD": "4", "DOB": ""}]
    episodes = [ep("1", dec="23/08/2022", REC="E6"), ep("2", dec="16/03/2023", REC="E5"),
                ep("3", dec="", REC="E6"), ep("3", dec="01/01/2023", REC="E4A"),
                # no usable DOB / no Header row: flagged (unlike 386 and 460)
                ep("4", dec="01/01/2023", REC="E5"), ep("9", dec="01/01/2023", REC="E5"),
                ep("9", dec="bad", REC="E5")]
    assert run("387", Header=header, Episodes=episodes) == {"Episodes": [0, 4, 5]}


def test_460_stayed_with_carers_before_18():
    header = [{"CHILD": "1", "DOB": "23/09/2005"}, {"CHILD": "2", "DOB": "16/03/2005"},
              {"CHILD": "1", "DOB": "23/09/2005"}]
    episodes = [ep("1", dec="17/06/2022", REC="E17"), ep("2", dec="16/03/2023", REC="E17"),
                ep("1", dec="", REC="E17"), ep("1", dec="17/06/2022", REC="E4A")]
    assert run("460", Header=header, Episodes=episodes) == {"Episodes": [0]}


# ---- 393: mother field for looked-after girls ----

def test_393_mother_blank_for_looked_after_girl():
    header = [{"CHILD": "1", "SEX": "2", "MOTHER": ""}, {"CHILD": "2", "SEX": "2", "MOTHER": "0"},
              {"CHILD": "3", "SEX": "1", "MOTHER": ""}, {"CHILD": "4", "SEX": "2", "MOTHER": ""},
              {"CHILD": "5", "SEX": "2", "MOTHER": ""}, {"CHILD": "6", "SEX": "2", "MOTHER": ""}]
    episodes = [ep("1", ls="C1"), ep("2", ls="C1"), ep("3", ls="C1"), ep("4", ls="V4"), ep("6", ls="v3"), ep("6", ls="")]
    assert run("393", Header=header, Episodes=episodes) == {"Header": [0, 5]}


def test_393_from_2024_female_is_f():
    header = [{"CHILD": "1", "SEX": "F", "MOTHER": ""}, {"CHILD": "2", "SEX": "F", "MOTHER": "0"},
              {"CHILD": "3", "SEX": "F", "MOTHER": ""}, {"CHILD": "4", "SEX": "M", "MOTHER": ""},
              {"CHILD": "5", "SEX": "2", "MOTHER": ""}]
    episodes = [ep("1", ls="C1"), ep("2", ls="C2"), ep("3", ls="v4"), ep("4", ls="C1"), ep("5", ls="C1")]
    assert run("393", year="2024/25", Header=header, Episodes=episodes) == {"Header": [0]}


# ---- 3001: former foster carers at 17 ----

def test_3001_former_foster_carers_around_17th_birthday():
    header = [{"CHILD": "1", "DOB": "16/03/2006"}, {"CHILD": "2", "DOB": "01/04/2005"},
              {"CHILD": "3", "DOB": "31/12/2004"}, {"CHILD": "4", "DOB": "16/03/2006"}, {"CHILD": "5", "DOB": ""},
              {"CHILD": "6", "DOB": "31/03/2006"}, {"CHILD": "7", "DOB": "01/04/2006"}]
    oc3 = [{"CHILD": "1", "ACCOM": "Z1"}, {"CHILD": "2", "ACCOM": "z2"}, {"CHILD": "3", "ACCOM": "Z1"},
           {"CHILD": "4", "ACCOM": "T1"}, {"CHILD": "5", "ACCOM": "Z1"}, {"CHILD": "6", "ACCOM": "Z2"},
           {"CHILD": "7", "ACCOM": "Z2"}, {"CHILD": "8", "ACCOM": "Z2"}]
    assert run("3001", Header=header, OC3=oc3) == {"OC3": [0, 1, 5]}


# ---- 611, 612, 620, 621: mother's details within Header ----

def test_611_mother_without_child_dob():
    rows = [{"CHILD": "1", "MOTHER": "1", "MC_DOB": ""}, {"CHILD": "2", "MOTHER": "1", "MC_DOB": "19/02/2016"},
            {"CHILD": "3", "MOTHER": "", "MC_DOB": ""}, {"CHILD": "4", "MOTHER": "1", "MC_DOB": "31/31/19"},
            {"CHILD": "5", "MOTHER": "0", "MC_DOB": ""}]
    assert run("611", Header=rows) == {"Header": [0]}


def test_612_child_dob_but_mother_0():
    rows = [{"CHILD": "1", "SEX": "2", "MOTHER": "0", "MC_DOB": "19/02/2016"},
            {"CHILD": "2", "SEX": "2", "MOTHER": "0", "MC_DOB": "31/31/19"},
            {"CHILD": "3", "SEX": "2", "MOTHER": "", "MC_DOB": "31/31/19"},    # blank MOTHER: flagged
            {"CHILD": "4", "SEX": "2", "MOTHER": "1", "MC_DOB": "19/02/2019"},
            {"CHILD": "5", "SEX": "1", "MOTHER": "", "MC_DOB": "12/10/2010"},
            {"CHILD": "6", "SEX": "2", "MOTHER": "0", "MC_DOB": ""}]
    assert run("612", Header=rows) == {"Header": [0, 1, 2]}


def test_612_from_2024_female_is_f():
    rows = [{"CHILD": "1", "SEX": "F", "MOTHER": "0", "MC_DOB": "19/02/2024"},
            {"CHILD": "2", "SEX": "F", "MOTHER": "", "MC_DOB": "dd/mm/yyyy"},
            {"CHILD": "3", "SEX": "F", "MOTHER": "1", "MC_DOB": "19/02/2024"},
            {"CHILD": "4", "SEX": "F", "MOTHER": "0", "MC_DOB": ""},
            {"CHILD": "5", "SEX": "2", "MOTHER": "0", "MC_DOB": "19/02/2024"}]
    assert run("612", year="2024/25", Header=rows) == {"Header": [0, 1]}


def test_620_mother_under_11():
    rows = [{"CHILD": "1", "MOTHER": "1", "DOB": "02/04/2011"}, {"CHILD": "2", "MOTHER": "1", "DOB": "01/04/2011"},
            {"CHILD": "3", "MOTHER": "0", "DOB": "07/02/2020"}, {"CHILD": "4", "MOTHER": "1", "DOB": ""}]
    assert run("620", Header=rows) == {"Header": [0]}


def test_621_mother_younger_than_child():
    rows = [{"CHILD": "1", "DOB": "01/12/2021", "MC_DOB": "01/01/2021"},
            {"CHILD": "2", "DOB": "31/01/2019", "MC_DOB": "31/01/2019"},   # same day: flagged
            {"CHILD": "3", "DOB": "", "MC_DOB": "01/01/2020"},             # no usable DOB: flagged
            {"CHILD": "4", "DOB": "19/02/2016", "MC_DOB": "19/12/2016"}, {"CHILD": "5", "DOB": "19/02/2016", "MC_DOB": ""},
            {"CHILD": "6", "DOB": "", "MC_DOB": "bad"}]
    assert run("621", Header=rows) == {"Header": [0, 1, 2]}


# ---- 624, 626: mother's details against last year ----

def test_624_child_dob_changed_since_last_year():
    now = [{"CHILD": "1", "MC_DOB": "08/09/2020"}, {"CHILD": "2", "MC_DOB": ""}, {"CHILD": "3", "MC_DOB": "01/06/2020"},
           {"CHILD": "4", "MC_DOB": "01/02/2020"}, {"CHILD": "5", "MC_DOB": "1/6/2020"}, {"CHILD": "6", "MC_DOB": "bad"},
           {"CHILD": "7", "MC_DOB": "01/01/2020"}]
    last = [{"CHILD": "1", "MC_DOB": "10/09/2020"}, {"CHILD": "2", "MC_DOB": "01/06/2019"},
            {"CHILD": "3", "MC_DOB": "01/06/2020"}, {"CHILD": "4", "MC_DOB": ""},
            # the same date written differently is flagged: compared as text
            {"CHILD": "5", "MC_DOB": "01/06/2020"}, {"CHILD": "6", "MC_DOB": "01/06/2020"}]
    assert run("624", Header=now, last={"Header": last}) == {"Header": [0, 1, 4, 5]}


def test_624_skipped_without_last_year():
    assert run("624", Header=[{"CHILD": "1", "MC_DOB": "01/01/2020"}], expect="skipped") == {}


def test_626_new_mother_with_child_born_before_the_year():
    now = [{"CHILD": "1", "MOTHER": "1", "MC_DOB": "04/01/2022"}, {"CHILD": "2", "MOTHER": "1", "MC_DOB": "01/04/2022"},
           {"CHILD": "3", "MOTHER": "1", "MC_DOB": "04/01/2022"}, {"CHILD": "4", "MOTHER": "1", "MC_DOB": ""},
           {"CHILD": "5", "MOTHER": "1.0", "MC_DOB": "04/01/2022"}, {"CHILD": "6", "MOTHER": "1", "MC_DOB": "04/01/2022"}]
    last = [{"CHILD": "1", "MOTHER": "0"}, {"CHILD": "2", "MOTHER": "0"}, {"CHILD": "3", "MOTHER": ""},
            {"CHILD": "4", "MOTHER": "0"}, {"CHILD": "5", "MOTHER": "0"}, {"CHILD": "6", "MOTHER": "1"}]
    assert run("626", Header=now, last={"Header": last}) == {"Header": [0, 4]}


# ---- EPI: child with neither episodes nor OC3 ----

def test_epi_children_without_episodes_or_oc3():
    header = [{"CHILD": "101"}, {"CHILD": "102"}, {"CHILD": "103"}]
    assert run("EPI", Header=header, Episodes=[ep("101"), ep("101")], OC3=[{"CHILD": "103"}]) == {"Header": [1]}


def test_epi_only_header_flags_every_row():
    assert run("EPI", Header=[{"CHILD": "101"}, {"CHILD": "102"}]) == {"Header": [0, 1]}


def test_sex_based_rules_keep_1_and_2_until_2023_24():
    header = [{"CHILD": "1", "SEX": "2", "MOTHER": "", "MC_DOB": ""}, {"CHILD": "2", "SEX": "F", "MOTHER": "", "MC_DOB": ""},
              {"CHILD": "3", "SEX": "1", "MOTHER": "", "MC_DOB": "01/01/2020"},
              {"CHILD": "4", "SEX": "M", "MOTHER": "", "MC_DOB": "01/01/2020"}]
    episodes = [ep(str(i), decom="01/05/2023") for i in (1, 2, 3, 4)]
    assert run("165", year="2023/24", Header=header, Episodes=episodes, OC3=[]) == {"Header": [0]}
    assert run("393", year="2023/24", Header=header, Episodes=episodes) == {"Header": [0]}
    assert run("174", year="2023/24", Header=header) == {"Header": [2]}
    assert run("174", year="2025/26", Header=header) == {"Header": [3]}


def test_165_children_without_a_counted_episode_are_not_examined():
    header = [{"CHILD": "1", "SEX": "2", "MOTHER": "5"},   # spec example: no Episodes rows
              {"CHILD": "2", "SEX": "2", "MOTHER": "5"},   # short breaks only
              {"CHILD": "3", "SEX": "2", "MOTHER": ""},    # nothing at all
              {"CHILD": "4", "SEX": "1", "MOTHER": "1"}]
    oc3 = [{"CHILD": str(i), "IN_TOUCH": "YES"} for i in (1, 2, 3, 4)]
    assert run("165", Header=header, Episodes=[ep("2", ls="V3")], OC3=oc3) == {}


def test_165_looked_after_in_the_year_and_oc3_data():
    header = [{"CHILD": "1", "SEX": "2", "MOTHER": "1"},   # not looked after, OC3 data: (d) flagged
              {"CHILD": "2", "SEX": "2", "MOTHER": "1"},   # not looked after, OC3 row without data
              {"CHILD": "3", "SEX": "2", "MOTHER": ""},    # blank, not looked after in the year
              {"CHILD": "4", "SEX": "2", "MOTHER": ""},    # unparseable DEC counts as collection_end: (c)
              {"CHILD": "5", "SEX": "2", "MOTHER": ""}]    # unparseable DECOM: not looked after
    before = dict(decom="01/01/2020", dec="01/02/2021")
    episodes = [ep("1", **before), ep("2", **before), ep("3", **before),
                ep("4", decom="01/05/2021", dec="bad"), ep("5", decom="bad")]
    oc3 = [{"CHILD": "1", "ACCOM": "T1"}, {"CHILD": "2"}, {"CHILD": "3", "IN_TOUCH": "YES"}]
    assert run("165", Header=header, Episodes=episodes, OC3=oc3) == {"Header": [0, 3], "OC3": [0]}


def test_210_un4_with_an_episode_from_24_march():
    header = [{"CHILD": str(i), "UPN": "UN3" if i == 3 else "UN4"} for i in range(1, 7)]
    episodes = [ep("1", decom="01/06/2020"), ep("1", decom="25/03/2023"), ep("2", decom="01/05/2022"),
                ep("3", decom="30/03/2023"), ep("4", decom="24/03/2023"), ep("5", decom="bad"),
                ep("6", decom="01/06/2023"),   # no upper bound
                ep("9", decom="25/03/2023")]   # not in Header
    assert run("210", Header=header, Episodes=episodes) == {"Episodes": [1, 4, 6], "Header": [0, 3, 5]}


def test_358_justice_status_up_to_the_10th_birthday():
    header = [{"CHILD": "1", "DOB": "03/01/2000"}, {"CHILD": "2", "DOB": "01/06/2012"},
              {"CHILD": "3", "DOB": "01/01/2000"}, {"CHILD": "4", "DOB": "01/01/2017"}, {"CHILD": "5", "DOB": ""}]
    episodes = [ep("1", decom="03/04/2008", ls="J1"),
                ep("2", decom="01/06/2022", ls="J3"),   # the 10th birthday itself: flagged
                ep("2", decom="02/06/2022", ls="J2"),
                ep("3", decom="03/01/2018", ls="J2"), ep("4", decom="01/05/2022", ls="C2"),
                ep("5", decom="01/05/2022", ls="J1")]
    assert run("358", Header=header, Episodes=episodes) == {"Episodes": [0, 1], "Header": [0, 1]}
