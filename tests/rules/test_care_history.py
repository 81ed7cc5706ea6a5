from rulecheck import run

# Collection year 2022/23: 01/04/2022 - 31/03/2023 unless said otherwise.


# ---- 1000
def test_1000_flags_care_leaver_data_of_child_who_died_in_care():
    eps = [{"CHILD": "1", "DECOM": "01/01/2022", "DEC": "01/06/2022", "REC": "E2"},
           {"CHILD": "3", "DECOM": "01/01/2022", "DEC": "01/06/2022", "REC": "E4A"},
           {"CHILD": "4", "DECOM": "01/01/2022", "DEC": "01/06/2022", "REC": "E2"},
           {"CHILD": "5", "DECOM": "01/01/2022", "DEC": "01/06/2022", "REC": "e2"}]
    last = [{"CHILD": "2", "DECOM": "01/01/2021", "DEC": "01/06/2021", "REC": "E2"},
            {"CHILD": "3", "DECOM": "01/01/2021", "DEC": "01/06/2021", "REC": ""}]
    oc3 = [{"CHILD": "1", "IN_TOUCH": "DIED"}, {"CHILD": "2", "ACTIV": "0"}, {"CHILD": "3", "IN_TOUCH": "YES"},
           {"CHILD": "5", "IN_TOUCH": "DIED"}]
    assert run("1000", Episodes=eps, OC3=oc3, last={"Episodes": last}) == {"OC3": [0, 1, 3]}
    # Last year's return is optional: without it only this year's E2 counts.
    assert run("1000", Episodes=eps, OC3=oc3) == {"OC3": [0, 3]}


def test_1000_oc3_row_flagged_whatever_it_holds():
    eps = [{"CHILD": "1", "DECOM": "01/01/2022", "DEC": "01/06/2022", "REC": "E2"}]
    assert run("1000", Episodes=eps, OC3=[{"CHILD": "1"}, {"CHILD": "2"}]) == {"OC3": [0]}


def test_1000_skipped_without_oc3():
    run("1000", Episodes=[{"CHILD": "1", "REC": "E2"}], expect="skipped")


# ---- 1001
def _1001(header, eps, last, oc3_children):
    oc3 = [{"CHILD": c, "IN_TOUCH": "YES"} for c in oc3_children]
    return run("1001", Header=header, Episodes=eps, OC3=oc3, last={"Episodes": last})


def test_1001_relevant_child_needs_13_weeks_after_14th_birthday():
    header = [{"CHILD": "1", "DOB": "01/01/2005"}, {"CHILD": "2", "DOB": "01/06/2005"},
              {"CHILD": "3", "DOB": "01/06/2005"}, {"CHILD": "4", "DOB": "01/06/2005"}]
    eps = [{"CHILD": "1", "DECOM": "01/01/2023", "DEC": "31/03/2023", "REC": "E4A"},  # 89 days
           {"CHILD": "2", "DECOM": "01/04/2021", "DEC": "30/09/2022", "REC": "E4A", "LS": "C2"},
           {"CHILD": "3", "DECOM": "01/04/2021", "DEC": "30/09/2022", "REC": "E11"}]  # adopted
    last = [{"CHILD": "2", "DECOM": "01/04/2021", "DEC": "", "LS": "C2"}]
    assert _1001(header, eps, last, ["1", "2", "3", "4"]) == {"OC3": [0, 2, 3]}


def test_1001_needs_a_day_after_16th_birthday_and_counts_open_latest_episode_to_year_end():
    header = [{"CHILD": "1", "DOB": "01/01/2007"}, {"CHILD": "2", "DOB": "01/01/2007"},
              {"CHILD": "3", "DOB": "01/06/2005"}, {"CHILD": "4", "DOB": "01/06/2005"}]
    eps = [{"CHILD": "1", "DECOM": "01/06/2022", "DEC": "01/01/2023", "REC": "E4A"},  # 0 days after 16th
           {"CHILD": "2", "DECOM": "01/06/2022", "DEC": "02/01/2023", "REC": "E4A"},  # 1 day after 16th
           {"CHILD": "3", "DECOM": "01/01/2023"},  # open: to 31/03/2023, 89 days
           {"CHILD": "4", "DECOM": "01/12/2022"}]  # open: 120 days
    last = [{"CHILD": "9", "DECOM": "01/01/2021", "DEC": "01/02/2021", "REC": "E4A"}]
    assert _1001(header, eps, last, ["1", "2", "3", "4"]) == {"OC3": [0, 2]}


def test_1001_same_episode_in_both_returns_counts_once_and_ended_copy_wins():
    header = [{"CHILD": "1", "DOB": "01/01/2005"}, {"CHILD": "2", "DOB": "01/01/2005"}]
    eps = [{"CHILD": "1", "DECOM": "01/01/2022", "DEC": "20/02/2022", "REC": "E4A"},  # 50 days
           {"CHILD": "2", "DECOM": "01/03/2022", "DEC": "01/04/2022", "REC": "E4A"}]  # 31 days
    last = [{"CHILD": "1", "DECOM": "01/01/2022", "DEC": "20/02/2022", "REC": "E4A"},
            {"CHILD": "2", "DECOM": "01/03/2022", "DEC": ""}]
    assert _1001(header, eps, last, ["1", "2"]) == {"OC3": [0, 1]}


def test_1001_aged_20_or_over_is_not_relevant():
    """The logic drops young people aged 20+ at collection_end before counting days, so they
    are flagged (its notes think that unintended, but no DfE coding says so)."""
    header = [{"CHILD": "1", "DOB": "01/01/2002"}, {"CHILD": "2", "DOB": "01/06/2005"},
              {"CHILD": "4", "DOB": "01/01/2002"}]
    eps = [{"CHILD": "2", "DECOM": "01/04/2021", "DEC": "30/09/2022", "REC": "E4A", "LS": "C2"},
           {"CHILD": "4", "DECOM": "01/04/2021", "DEC": "30/09/2022", "REC": "E12", "LS": "C2"}]
    last = [{"CHILD": "2", "DECOM": "01/04/2021", "DEC": "", "LS": "C2"}]
    # child 3 has no Header row: not relevant
    assert _1001(header, eps, last, ["1", "2", "3", "4"]) == {"OC3": [0, 2, 3]}


def test_1001_nothing_flagged_when_no_episode_is_left_to_count():
    header = [{"CHILD": "1", "DOB": "01/01/2002"}, {"CHILD": "2", "DOB": "01/06/2005"}]
    eps = [{"CHILD": "2", "DECOM": "01/04/2021", "DEC": "30/09/2022", "REC": "E4A", "LS": "V3"},
           {"CHILD": "3", "DECOM": "01/04/2021", "DEC": "30/09/2022", "REC": "E4A", "LS": "C2"}]
    last = [{"CHILD": "2", "DECOM": "01/04/2021", "DEC": "", "LS": "V4"}]
    # child 2's episodes are short breaks, child 3 has no Header row, child 1 is over 20
    assert _1001(header, eps, last, ["1", "2", "3"]) == {}
    eps[0]["LS"] = "C2"
    assert _1001(header, eps, last, ["1", "2", "3"]) == {"OC3": [0, 2]}


def test_1001_joins_every_header_row_of_a_child_listed_twice():
    """The logic joins Header to the episodes on CHILD: each Header row with a usable DOB counts
    the child's episodes again, whichever row comes first."""
    eps = [{"CHILD": c, "DECOM": "01/01/2022", "DEC": "20/02/2022", "REC": "E4A"} for c in "1234"]  # 50 days
    last = [{"CHILD": "9", "DECOM": "01/01/2021", "DEC": "01/02/2021", "REC": "E4A"}]
    header = [{"CHILD": "1", "DOB": "01/01/2005"},
              {"CHILD": "2", "DOB": "01/01/2005"}, {"CHILD": "2", "DOB": "01/01/2005"},  # 2 x 50 days
              {"CHILD": "3", "DOB": "not a date"}, {"CHILD": "3", "DOB": "01/01/2005"},  # one usable row
              {"CHILD": "4", "DOB": "01/01/2001"}, {"CHILD": "4", "DOB": "01/01/2005"}]  # one row aged 20+
    assert _1001(header, eps, last, ["1", "2", "3", "4"]) == {"OC3": [0, 2, 3]}
    assert _1001(header[::-1], eps, last, ["1", "2", "3", "4"]) == {"OC3": [0, 2, 3]}


def test_1001_skipped_without_last_year():
    run("1001", Header=[{"CHILD": "1", "DOB": "01/01/2005"}], Episodes=[{"CHILD": "1"}],
        OC3=[{"CHILD": "1", "IN_TOUCH": "YES"}], expect="skipped")


# ---- 1002
def test_1002_care_leaver_needs_episodes_this_or_last_year():
    oc3 = [{"CHILD": "104", "IN_TOUCH": "YES"}, {"CHILD": "2", "IN_TOUCH": "YES"},
           {"CHILD": "3", "ACCOM": "Z1"}, {"CHILD": "4"}]
    eps = [{"CHILD": "3", "DECOM": "01/01/2022"}]
    last = [{"CHILD": "2", "DECOM": "01/01/2021"}]
    # child 4's row is flagged although its three items are blank: its content is not examined
    assert run("1002", Episodes=eps, OC3=oc3, last={"Episodes": last}) == {"OC3": [0, 3]}


def test_1002_skipped_without_last_year():
    run("1002", Episodes=[{"CHILD": "3"}], OC3=[{"CHILD": "1", "IN_TOUCH": "YES"}], expect="skipped")


# ---- 1003
def test_1003_adoption_decision_not_before_first_period_of_care():
    eps = [{"CHILD": "1", "DECOM": "01/03/2022", "RNE": "S"},
           {"CHILD": "2", "DECOM": "01/01/2021", "RNE": "S"},
           {"CHILD": "2", "DECOM": "01/03/2019", "RNE": "S"},
           {"CHILD": "3", "DECOM": "01/03/2022", "RNE": "S"},
           {"CHILD": "4", "DECOM": "01/03/2022", "RNE": "P"},
           {"CHILD": "5", "DECOM": "", "RNE": "S"},
           {"CHILD": "6", "DECOM": "01/03/2019", "RNE": "S"},
           {"CHILD": "6", "DECOM": "01/03/2021", "RNE": "S"}]
    pa = [{"CHILD": "1", "DATE_PLACED": "26/02/2022"},
          {"CHILD": "2", "DATE_PLACED": "26/05/2018"},
          {"CHILD": "3", "DATE_PLACED": "01/03/2022"},
          {"CHILD": "4", "DATE_PLACED": "01/01/2010"},
          {"CHILD": "5", "DATE_PLACED": "01/01/2010"},
          {"CHILD": "7", "DATE_PLACED": "01/01/2010"},
          {"CHILD": "6", "DATE_PLACED": "01/01/2020"},  # between the two periods: passes
          {"CHILD": "2", "DATE_PLACED": "xx"}]
    assert run("1003", Episodes=eps, PlacedAdoption=pa) == {"Episodes": [0, 2], "PlacedAdoption": [0, 1]}


# ---- 1007
def test_1007_no_care_leaver_data_while_a_17_or_18_year_old_is_still_looked_after():
    oc3 = [{"CHILD": str(i), "DOB": dob, "IN_TOUCH": touch} for i, (dob, touch) in enumerate([
        ("01/06/2005", "YES"),  # 0: 17, current episode open (the spec's flag example)
        ("01/06/2005", ""),     # 1: no care leaver information
        ("01/06/2005", "YES"),  # 2: current episode ended 01/07/2022 with REC E8
        ("01/06/2007", "YES"),  # 3: 15 at collection_end
        ("01/04/2004", "YES"),  # 4: 19 on collection_end + 1 day: still 18, open episode
        ("31/03/2004", "YES"),  # 5: 19 on collection_end
        ("01/06/2005", "YES"),  # 6: DEC given but REC blank: still looked after
        ("01/06/2005", "YES"),  # 7: an earlier episode is open, the latest one ended
        ("", "YES"),            # 8: no DOB
        ("01/06/2005", "YES"),  # 9: no episodes
        ("31/03/2006", "YES"),  # 10: 17 on collection_end, open episode
    ])]
    eps = [{"CHILD": "0", "DECOM": "01/01/2022", "DEC": ""},
           {"CHILD": "1", "DECOM": "01/01/2022", "DEC": ""},
           {"CHILD": "2", "DECOM": "01/01/2022", "DEC": "01/07/2022", "REC": "E8"},
           {"CHILD": "3", "DECOM": "01/01/2022", "DEC": ""},
           {"CHILD": "4", "DECOM": "01/01/2022", "DEC": ""},
           {"CHILD": "5", "DECOM": "01/01/2022", "DEC": ""},
           {"CHILD": "6", "DECOM": "01/01/2022", "DEC": "01/07/2022", "REC": ""},
           {"CHILD": "7", "DECOM": "01/01/2022", "DEC": ""},
           {"CHILD": "7", "DECOM": "01/02/2022", "DEC": "01/07/2022", "REC": "E8"},
           {"CHILD": "8", "DECOM": "01/01/2022", "DEC": ""},
           {"CHILD": "10", "DECOM": "01/01/2022", "DEC": ""}]
    assert run("1007", Episodes=eps, OC3=oc3) == {"OC3": [0, 4, 6, 10]}


def test_1007_same_day_episodes_the_open_one_is_current_whatever_the_row_order():
    oc3 = [{"CHILD": "1", "DOB": "01/06/2005", "ACTIV": "F1"}]
    ended = {"CHILD": "1", "DECOM": "01/01/2022", "DEC": "01/01/2022", "REC": "X1"}
    still = {"CHILD": "1", "DECOM": "01/01/2022", "DEC": ""}
    assert run("1007", Episodes=[ended, still], OC3=oc3) == {"OC3": [0]}
    assert run("1007", Episodes=[still, ended], OC3=oc3) == {"OC3": [0]}


def test_1007_skipped_without_episodes():
    run("1007", OC3=[{"CHILD": "1", "DOB": "01/06/2005", "IN_TOUCH": "YES"}], expect="skipped")


# ---- 1009
def test_1009_reason_place_change_codes():
    codes = ["XXX", "carpl", "CREQB", "", "CUSTOD", "OTHER ", "CARP"]
    eps = [{"CHILD": str(i), "REASON_PLACE_CHANGE": c} for i, c in enumerate(codes)]
    # 'carpl' passes: upper-cased on loading (the spec's example flags it before that step).
    assert run("1009", Episodes=eps) == {"Episodes": [0, 5, 6]}


# ---- 1010
def test_1010_open_at_end_of_last_year_needs_current_episodes():
    last = [{"CHILD": "1", "DECOM": "01/01/2021", "DEC": "01/06/2021", "REC": "X1"},
            {"CHILD": "1", "DECOM": "01/06/2021"},
            {"CHILD": "2", "DECOM": "01/01/2022", "DEC": "14/03/2022", "REC": "E4A"},
            {"CHILD": "3", "DECOM": "01/01/2022"},
            {"CHILD": "4", "DECOM": "01/01/2021"},
            {"CHILD": "4", "DECOM": "01/06/2021", "DEC": "01/07/2021", "REC": "E4A"},
            {"CHILD": "5", "DECOM": "01/01/2022", "DEC": "XX"},
            {"CHILD": "6", "DECOM": "01/01/2022"},
            {"CHILD": "7", "DECOM": "01/01/2022"},
            {"CHILD": "7", "DECOM": "ZZ", "DEC": "01/02/2022"}]
    eps = [{"CHILD": "3", "DECOM": "01/04/2022"}]
    oc3 = [{"CHILD": c, "IN_TOUCH": "YES"} for c in ("1", "2", "3", "4", "5", "7")] + [{"CHILD": "6"}]
    # child 6's row is flagged although its three items are blank: its content is not examined
    assert run("1010", Episodes=eps, OC3=oc3, last={"Episodes": last}) == {"OC3": [0, 5, 6]}


def test_1010_skipped_without_last_year():
    run("1010", Episodes=[{"CHILD": "3"}], OC3=[{"CHILD": "1", "IN_TOUCH": "YES"}], expect="skipped")


# ---- 1011
def test_1011_no_care_leaver_data_after_final_transfer():
    eps = [{"CHILD": "1", "DECOM": "01/01/2022", "DEC": "01/06/2022", "REC": "E3"},
           {"CHILD": "2", "DECOM": "01/01/2022", "DEC": "01/06/2022", "REC": "E3"},
           {"CHILD": "3", "DECOM": "01/06/2022", "DEC": "01/07/2022", "REC": "X1"},
           {"CHILD": "3", "DECOM": "01/01/2022", "DEC": "01/06/2022", "REC": "E3"},
           {"CHILD": "4", "DECOM": "01/01/2022", "DEC": "01/06/2022", "REC": "E3"},
           {"CHILD": "4", "DECOM": "01/06/2022"},
           {"CHILD": "5", "DECOM": "01/01/2022", "DEC": "01/06/2022", "REC": "E3"},
           {"CHILD": "5", "DECOM": "XX"}]
    oc3 = [{"CHILD": "1", "IN_TOUCH": "YES"}, {"CHILD": "2"}, {"CHILD": "3", "IN_TOUCH": "YES"},
           {"CHILD": "4", "ACCOM": "Z1"}, {"CHILD": "5", "ACTIV": "F2"}]
    assert run("1011", Episodes=eps, OC3=oc3) == {"OC3": [0, 4]}


# ---- 1012
def test_1012_no_other_data_for_children_without_current_episodes():
    eps = [{"CHILD": "1", "DECOM": "01/01/2022"}]
    oc3 = [{"CHILD": "1", "IN_TOUCH": "YES"}, {"CHILD": "2", "IN_TOUCH": "YES"}]
    reviews = [{"CHILD": "999"}, {"CHILD": "2"}, {"CHILD": "1"}]
    # child 999 is not in OC3: flagged all the same, OC3 is not consulted
    assert run("1012", Episodes=eps, OC3=oc3, Reviews=reviews, OC2=[{"CHILD": "2"}],
               Missing=[{"CHILD": "1"}], PlacedAdoption=[{"CHILD": "2"}]) == {
        "Reviews": [0, 1], "OC2": [0], "PlacedAdoption": [0]}


def test_1012_runs_without_oc3():
    assert run("1012", Episodes=[{"CHILD": "1"}], Reviews=[{"CHILD": "2"}, {"CHILD": "1"}]) == {"Reviews": [0]}


# ---- 1014
def test_1014_no_uasc_information_for_care_leavers():
    eps = [{"CHILD": "1", "DECOM": "01/01/2021", "DEC": "01/02/2021"},
           {"CHILD": "2", "DECOM": "01/01/2021", "DEC": "01/05/2022"},
           {"CHILD": "3", "DECOM": "01/01/2021", "DEC": "01/02/2021"},
           {"CHILD": "6", "DECOM": "XX", "DEC": ""},
           {"CHILD": "7", "DECOM": "01/01/2021", "DEC": "31/03/2022"}]
    uasc = [{"CHILD": c, "DUC": "01/01/2022"} for c in ("1", "2", "3", "4", "6", "7")] + [{"CHILD": "5", "DUC": ""}]
    oc3 = [{"CHILD": "1", "IN_TOUCH": "YES"}, {"CHILD": "2", "IN_TOUCH": "YES"}, {"CHILD": "3"},
           {"CHILD": "4", "ACTIV": "F1"}, {"CHILD": "5", "IN_TOUCH": "YES"}, {"CHILD": "6", "ACCOM": "Z1"},
           {"CHILD": "7", "IN_TOUCH": "NO"}]
    uasc.append({"CHILD": "1", "DUC": ""})
    # children 4 and 5 have no episodes at all: not considered (the spec's logic); every UASC
    # row of a flagged child counts, whatever DUC holds
    assert run("1014", Episodes=eps, UASC=uasc, OC3=oc3) == {"UASC": [0, 4, 5, 7], "OC3": [0, 5, 6]}


def test_1014_skipped_without_uasc():
    run("1014", Episodes=[{"CHILD": "1"}], OC3=[{"CHILD": "1", "IN_TOUCH": "YES"}], expect="skipped")


# ---- 117
def test_117_adoption_decisions_within_year_and_care():
    eps = [{"CHILD": "1", "DECOM": "01/01/2022"},
           {"CHILD": "2", "DECOM": "01/01/2022", "DEC": "10/01/2023", "REC": "E11"},
           {"CHILD": "3", "DECOM": "01/01/2022"},
           {"CHILD": "5", "DECOM": "01/01/2022", "DEC": "01/06/2022", "REC": "E4A"},
           {"CHILD": "5", "DECOM": "01/06/2022", "DEC": "01/09/2022", "REC": "X1"},
           {"CHILD": "6", "DECOM": "01/01/2022", "DEC": "10/01/2023", "REC": "E11"}]
    pa = [{"CHILD": "1", "DATE_PLACED": "01/04/2023"},
          {"CHILD": "2", "DATE_PLACED": "01/01/2023", "DATE_PLACED_CEASED": "15/01/2023"},
          {"CHILD": "3", "DATE_PLACED": "01/02/2023"},
          {"CHILD": "4", "DATE_PLACED": "01/04/2023"},  # no episodes: not checked
          {"CHILD": "5", "DATE_PLACED": "01/08/2022"},  # after the latest non-X1 episode ended
          {"CHILD": "6", "DATE_PLACED": "10/01/2023", "DATE_PLACED_CEASED": "31/03/2023x"},
          {"CHILD": "7", "DATE_PLACED": "31/03/2023"}]
    assert run("117", Episodes=eps, PlacedAdoption=pa) == {"Episodes": [0, 1, 3], "PlacedAdoption": [0, 1, 4]}


def test_117_skipped_without_placed_adoption():
    run("117", Episodes=[{"CHILD": "1", "DECOM": "01/01/2022"}], expect="skipped")


# ---- 118
def test_118_placed_ceased_not_before_year_or_care():
    eps = [{"CHILD": "1", "DECOM": "01/01/2020"},
           {"CHILD": "2", "DECOM": "01/01/2022", "LS": "V3"},
           {"CHILD": "2", "DECOM": "01/06/2022", "LS": "C2"},
           {"CHILD": "3", "DECOM": "01/06/2022"},
           {"CHILD": "4", "DECOM": "01/06/2022"},
           {"CHILD": "6", "DECOM": "XX"},
           {"CHILD": "7", "DECOM": "XX"}]
    pa = [{"CHILD": "1", "DATE_PLACED_CEASED": "31/03/2022"},
          {"CHILD": "2", "DATE_PLACED_CEASED": "15/05/2022"},
          {"CHILD": "3", "DATE_PLACED_CEASED": "01/06/2022"},
          {"CHILD": "4", "DATE_PLACED_CEASED": ""},
          {"CHILD": "5", "DATE_PLACED_CEASED": "31/03/2022"},  # no episodes: not checked
          {"CHILD": "6", "DATE_PLACED_CEASED": "15/05/2022"},
          {"CHILD": "7", "DATE_PLACED_CEASED": "01/03/2022"},
          {"CHILD": "3", "DATE_PLACED_CEASED": "01/04/2022"}]
    assert run("118", Episodes=eps, PlacedAdoption=pa) == {"Episodes": [0, 2, 3, 6], "PlacedAdoption": [0, 1, 6, 7]}


# ---- 1016 (from 2023/24; collection 01/04/2023 - 31/03/2024)
def test_1016_no_care_leaver_data_when_left_care_after_17th_or_18th_birthday():
    oc3 = [{"CHILD": str(i), "DOB": dob, **info} for i, (dob, info) in enumerate([
        ("01/04/2006", {"IN_TOUCH": "YES"}),  # 0: 17; DEC after 17th birthday
        ("01/04/2005", {"ACCOM": "Z1"}),      # 1: 18; DEC after 18th birthday
        ("01/04/2006", {"IN_TOUCH": "YES"}),  # 2: DEC before 17th birthday
        ("01/04/2006", {}),                   # 3: no care leaver information
        ("31/03/2007", {"IN_TOUCH": "YES"}),  # 4: 17 on collection_end, DEC that day
        ("01/04/2006", {"IN_TOUCH": "YES"}),  # 5: two qualifying episodes
        ("XX", {"IN_TOUCH": "YES"}),          # 6: unparseable DOB
        ("01/01/2005", {"IN_TOUCH": "YES"}),  # 7: 19
        ("01/04/2005", {"IN_TOUCH": "YES"}),  # 8: 18; DEC after 17th but before 18th
        ("01/04/2006", {"IN_TOUCH": "YES"}),  # 9: blank DEC
    ])]
    eps = [{"CHILD": "0", "DEC": "01/05/2023"}, {"CHILD": "1", "DEC": "02/04/2023"},
           {"CHILD": "2", "DEC": "31/03/2023"}, {"CHILD": "3", "DEC": "01/05/2023"},
           {"CHILD": "4", "DEC": "31/03/2024"}, {"CHILD": "5", "DEC": "01/05/2023"},
           {"CHILD": "5", "DEC": "01/06/2023"}, {"CHILD": "6", "DEC": "01/05/2023"},
           {"CHILD": "7", "DEC": "01/05/2023"}, {"CHILD": "8", "DEC": "01/03/2023"},
           {"CHILD": "9", "DEC": ""}]
    assert run("1016", year="2023/24", Episodes=eps, OC3=oc3) == {"OC3": [0, 1, 4, 5]}


def test_1016_age_band_in_average_years_not_calendar_years():
    # 31/03/2009 to 31/03/2026 is 17 calendar years but 6,209 days, under 17 years of 365.2425
    # days: not in the band (calendar ages would flag it); 31/03/2008 is 6,574 days, 17.9994
    # average years: in the 17 band, and DEC is after its 17th birthday
    oc3 = [{"CHILD": "1", "DOB": "31/03/2009", "IN_TOUCH": "YES"}, {"CHILD": "2", "DOB": "31/03/2008", "IN_TOUCH": "YES"}]
    eps = [{"CHILD": "1", "DEC": "31/03/2026"}, {"CHILD": "2", "DEC": "31/03/2026"}]
    assert run("1016", year="2025/26", Episodes=eps, OC3=oc3) == {"OC3": [1]}


def test_1016_in_force_from_2023_24_and_skipped_without_episodes():
    run("1016", year="2025/26", OC3=[{"CHILD": "1", "DOB": "01/04/2006", "IN_TOUCH": "YES"}], expect="skipped")


def test_1014_episode_touching_the_year_boundaries_is_in_the_year():
    eps = [{"CHILD": "1", "DECOM": "01/01/2021", "DEC": "01/04/2022"},   # ends on collection_start
           {"CHILD": "2", "DECOM": "31/03/2023"},                        # starts on collection_end
           {"CHILD": "3", "DECOM": "01/04/2023"}]                        # starts after the year
    uasc = [{"CHILD": c, "DUC": "01/01/2022"} for c in ("1", "2", "3")]
    oc3 = [{"CHILD": c, "IN_TOUCH": "YES"} for c in ("1", "2", "3")]
    assert run("1014", Episodes=eps, UASC=uasc, OC3=oc3) == {"UASC": [2], "OC3": [2]}


def test_1003_and_118_skipped_without_placed_adoption():
    run("1003", Episodes=[{"CHILD": "1", "DECOM": "01/03/2022", "RNE": "S"}], expect="skipped")
    run("118", Episodes=[{"CHILD": "1", "DECOM": "01/03/2022"}], expect="skipped")


def test_blank_child_rows_are_nobody_for_the_care_leaver_rules():
    # a blank CHILD never matches another blank CHILD, so no row lends another its history
    died = [{"CHILD": "", "DECOM": "01/01/2022", "DEC": "01/06/2022", "REC": "E2"}]
    assert run("1000", Episodes=died, OC3=[{"CHILD": "", "IN_TOUCH": "DIED"}]) == {}
    earlier = [{"CHILD": "", "DECOM": "01/01/2021", "DEC": "01/02/2021"}]
    oc3 = [{"CHILD": "", "IN_TOUCH": "YES"}, {"CHILD": "1", "IN_TOUCH": "YES"}]
    assert run("1002", Episodes=earlier + [{"CHILD": "1", "DECOM": "01/01/2022"}], OC3=oc3,
               last={"Episodes": earlier}) == {"OC3": [0]}
    assert run("1014", Episodes=earlier, UASC=[{"CHILD": "", "DUC": "01/01/2022"}], OC3=oc3) == {}
