import pytest
from rulecheck import run


def ep(child="1", decom="", **kw):
    return {"CHILD": child, "DECOM": decom, **kw}


# --- 502 ---------------------------------------------------------------------------------------

def test_502_open_episode_start_must_match_first_episode():
    last = [ep("1", "05/06/2021"),
            ep("2", "01/04/2020"), ep("2", "01/05/2020", DEC="01/08/2020"),
            ep("3", "08/06/2021"),
            ep("4", "08/06/2021", DEC="31/03/2022"),
            ep("5", "32/06/2021"),
            ep("6", "08/06/2021", DEC="xx"),
            ep("8", "08/06/2021")]
    cur = [ep("1", "01/06/2021"),
           ep("2", "01/06/2020"), ep("2", "01/05/2020"),
           ep("3", "08/06/2021"),
           ep("4", "01/04/2022"),
           ep("5", "01/06/2021"),
           ep("6", "01/04/2022"),
           ep("7", "01/04/2022"),
           ep("8", "")]
    assert run("502", Episodes=cur, last={"Episodes": last}) == {"Episodes": [0, 2, 5]}


def test_502_skipped_without_last_year():
    run("502", Episodes=[ep("1", "01/06/2021")], expect="skipped")


# --- 503A-C, E, F: text comparisons -------------------------------------------------------------

@pytest.mark.parametrize("code,col,a,b", [("503A", "RNE", "S", "L"), ("503B", "LS", "E1", "C2"),
                                          ("503C", "CIN", "N4", "N3"), ("503E", "PLACE_PROVIDER", "PR2", "PR5"),
                                          ("503F", "URN", "XXX", "SC055123")])
def test_503_text_field_must_carry_on_from_open_episode(code, col, a, b):
    last = [ep("1", "01/05/2021", **{col: a}),                     # open, differs: flag
            ep("2", "01/05/2021", **{col: ""}),                    # blank vs value: flag
            ep("3", "01/05/2021", **{col: a}),                     # same: pass
            ep("4", "01/05/2021", DEC="15/03/2022", **{col: a}),   # closed: pass
            ep("5", "01/05/2021", **{col: ""}),                    # both blank: pass
            ep("6", "01/05/2021", DEC="31/02/2022", **{col: a}),   # unparseable DEC = open: flag
            ep("7", "01/03/2021", **{col: b}), ep("7", "01/05/2021", **{col: a}),  # final = latest
            ep("8", "01/05/2021", **{col: a})]
    cur = [ep("1", "01/05/2021", **{col: b}),
           ep("2", "01/05/2021", **{col: b}),
           ep("3", "01/05/2021", **{col: a}),
           ep("4", "01/05/2021", **{col: b}),
           ep("5", "01/05/2021", **{col: ""}),
           ep("6", "01/05/2021", **{col: b}),
           ep("7", "01/06/2022", **{col: b}), ep("7", "01/05/2021", **{col: a}),  # first = earliest
           ep("8", "", **{col: b}),                                # no valid DECOM: skipped
           ep("9", "01/05/2021", **{col: b})]                      # not in last year
    assert run(code, Episodes=cur, last={"Episodes": last}) == {"Episodes": [0, 1, 5]}
    assert run(code, year="2025/26", Episodes=cur, last={"Episodes": last}) == {"Episodes": [0, 1, 5]}


def test_503a_lower_case_counts_as_same_after_upper_casing():
    last = [ep("1", "01/05/2021", RNE="l")]
    cur = [ep("1", "01/05/2021", RNE="L")]
    assert run("503A", Episodes=cur, last={"Episodes": last}) == {}


def test_503_ties_follow_the_shared_order_not_file_order():
    # Same DECOM on both rows: this year's first episode is the one whose row text sorts first
    # (LS 'C2'), last year's final one the one whose text sorts last (LS 'E1'), in any order.
    last = [ep("1", "01/05/2021", LS="C2"), ep("1", "01/05/2021", LS="E1")]
    cur = [ep("1", "01/05/2021", LS="C2"), ep("1", "01/05/2021", LS="E1")]
    assert run("503B", Episodes=cur, last={"Episodes": last}) == {"Episodes": [0]}
    assert run("503B", Episodes=cur[::-1], last={"Episodes": last[::-1]}) == {"Episodes": [1]}


def test_503_tie_on_latest_decom_takes_the_open_episode_as_final():
    last = [ep("1", "01/05/2021", LS="E1"), ep("1", "01/05/2021", DEC="01/05/2021", LS="C2")]
    cur = [ep("1", "01/05/2021", LS="E1")]
    assert run("503B", Episodes=cur, last={"Episodes": last}) == {}
    assert run("503B", Episodes=cur, last={"Episodes": last[::-1]}) == {}


def test_503_skipped_without_last_year():
    run("503C", Episodes=[ep("1", "01/05/2021", CIN="N1")], expect="skipped")


@pytest.mark.parametrize("code,year", [("503A", "2022/23"), ("503D", "2024/25"), ("503D", "2025/26")])
def test_503_child_without_a_valid_decom_in_either_year_is_skipped_alone(code, year):
    """The notes: the reference fails the whole rule on such a child; it is skipped, the rest
    still checked (child 3 differs and is flagged)."""
    col = "RNE" if code == "503A" else "PLACE"
    last = [ep("1", "xx/05/2021", **{col: "U1"}), ep("2", "01/05/2021", **{col: "U1"}),
            ep("3", "01/05/2021", **{col: "U1"})]
    cur = [ep("1", "01/05/2021", **{col: "U3"}), ep("2", "", **{col: "U3"}), ep("3", "01/05/2021", **{col: "U3"})]
    assert run(code, year=year, Episodes=cur, last={"Episodes": last}) == {"Episodes": [2]}


# --- 503D: exceptions by collection year -----------------------------------------------------------

def _place_pairs():
    pairs = [("U1", "U3"), ("", "K2"), ("R1", "R1"), ("H5", "K3"), ("Z1", "Z12"), ("Z1", "Z11"), ("H5", "U1")]
    last = [ep(str(i), "01/05/2021", PLACE=a) for i, (a, _) in enumerate(pairs)]
    cur = [ep(str(i), "01/05/2021", PLACE=b) for i, (_, b) in enumerate(pairs)]
    return cur, last


@pytest.mark.parametrize("year,flagged", [("2022/23", [0, 1, 3, 4, 5, 6]), ("2023/24", [0, 1, 4, 5, 6]),
                                          ("2024/25", [0, 1, 4, 5, 6]), ("2025/26", [0, 1, 3, 6]),
                                          ("2026/27", [0, 1, 3, 4, 5, 6])])
def test_503d_recoding_accepted_only_in_its_year(year, flagged):
    cur, last = _place_pairs()
    assert run("503D", year=year, Episodes=cur, last={"Episodes": last}) == {"Episodes": flagged}


def test_503d_closed_final_episode_not_compared():
    last = [ep("1", "01/05/2023", DEC="01/02/2024", PLACE="U2")]
    cur = [ep("1", "01/05/2024", PLACE="U1")]
    assert run("503D", year="2024/25", Episodes=cur, last={"Episodes": last}) == {}


# --- 503G: distance --------------------------------------------------------------------------------
# From home SW1A 1AA: TW9 1DN is 7.4 miles, TW9 1AA 7.5, TW9 1BE 7.6, TW9 1AF 7.7.

def _distance_case(pairs):
    last = [ep(str(i), "01/05/2021", HOME_POST="SW1A 1AA", PL_POST=a) for i, (a, _) in enumerate(pairs)]
    cur = [ep(str(i), "01/05/2021", HOME_POST="SW1A 1AA", PL_POST=b) for i, (_, b) in enumerate(pairs)]
    return cur, last


def test_503g_distance_within_tolerance_and_blank_direction():
    cur, last = _distance_case([("TW9 1DN", "TW9 1AF"),   # 7.4 vs 7.7: flag
                                ("TW9 1DN", "TW9 1BE"),   # exactly 0.2: flag
                                ("TW9 1DN", "TW9 1AA"),   # 0.1: pass (under 0.2)
                                ("", "TW9 1DN"),          # last blank, this present: flag
                                ("TW9 1DN", ""),          # this blank, last present: pass (spec)
                                ("M1 1AE", "M1 1AE"),     # same: pass
                                ("ZZ9 9ZZ", "")])         # both blank: pass
    assert run("503G", Episodes=cur, last={"Episodes": last}) == {"Episodes": [0, 1, 3]}


# --- 503H, 503J: derived placement LA and location ----------------------------------------------------

def test_503h_placement_la_must_carry_on():
    last = [ep("1", "01/05/2021", PL_POST="TW9 1DN"), ep("2", "01/05/2021", PL_POST="TW9 1AA"),
            ep("3", "01/05/2021", PL_POST=""), ep("4", "01/05/2021", PL_POST="ZZ9 9ZZ")]
    cur = [ep("1", "01/05/2021", PL_POST="CF10 1EP"), ep("2", "01/05/2021", PL_POST="TW9 1DN"),
           ep("3", "01/05/2021", PL_POST="ZZ9 9ZZ"), ep("4", "01/05/2021", PL_POST="M1 1AE")]
    assert run("503H", Episodes=cur, last={"Episodes": last}) == {"Episodes": [0, 3]}


def test_503j_placement_location_must_carry_on():
    last = [ep("1", "01/05/2021", PL_POST="M1 1AE"), ep("2", "01/05/2021", PL_POST="ZZ9 9ZZ"),
            ep("3", "01/05/2021", PL_POST="M1 1AE"), ep("4", "01/05/2021", PL_POST="TW9 1DN", DEC="01/01/2022")]
    cur = [ep("1", "01/05/2021", PL_POST="TW9 1DN"), ep("2", "01/05/2021", PL_POST="TW9 1DN"),
           ep("3", "01/05/2021", PL_POST="CF10 1EP"), ep("4", "01/05/2021", PL_POST="M1 1AE")]
    assert run("503J", Episodes=cur, last={"Episodes": last}, local_authority="E09000027") == {"Episodes": [0, 1]}


def test_503j_skipped_without_local_authority():
    last = [ep("1", "01/05/2021", PL_POST="M1 1AE")]
    run("503J", Episodes=[ep("1", "01/05/2021", PL_POST="TW9 1DN")], last={"Episodes": last}, expect="skipped")


# --- 452, 453 ---------------------------------------------------------------------------------------

def test_452_carried_over_episode_keeps_placement_la():
    last = [ep("1", "01/05/2021", RNE="B", PL_POST="TW9 1DN"),
            ep("2", "01/05/2021", RNE="B", PL_POST="TW9 1DN"),
            ep("3", "01/05/2021", RNE="B", PL_POST="TW9 1DN"),
            ep("4", "01/05/2021", RNE="B", PL_POST="TW9 1DN", DEC="07/03/2022"),
            ep("5", "01/05/2021", RNE="", PL_POST="TW9 1DN"),
            ep("6", "01/05/2021", RNE="B", PL_POST="TW9 1DN", DEC="32/03/2022"),
            ep("7", "01/05/2021", RNE="P", PL_POST="TW9 1DN")]
    cur = [ep("1", "01/05/2021", RNE="B", PL_POST="M1 1AE"),
           ep("2", "01/05/2021", RNE="B", PL_POST=""),
           ep("3", "01/05/2021", RNE="B", PL_POST="TW9 1AA"),
           ep("4", "01/05/2021", RNE="B", PL_POST="M1 1AE"),
           ep("5", "01/05/2021", RNE="", PL_POST="M1 1AE"),
           ep("6", "01/05/2021", RNE="B", PL_POST="M1 1AE"),
           ep("7", "01/05/2021", RNE="B", PL_POST="M1 1AE")]
    assert run("452", Episodes=cur, last={"Episodes": last}) == {"Episodes": [0, 1]}


def test_452_skipped_without_last_year():
    run("452", Episodes=[ep("1", "01/05/2021", RNE="B")], expect="skipped")


def test_453_carried_over_episode_keeps_distance():
    home = "SW1A 1AA"
    last = [ep("1", "01/05/2021", RNE="B", HOME_POST=home, PL_POST="M1 1AE"),
            ep("2", "01/05/2021", RNE="B", HOME_POST=home, PL_POST=""),
            ep("3", "01/05/2021", RNE="B", HOME_POST=home, PL_POST="TW9 1DN"),
            ep("4", "01/05/2021", RNE="B", HOME_POST=home, PL_POST="TW9 1DN"),
            ep("5", "01/05/2021", RNE="B", HOME_POST=home, PL_POST="TW9 1DN"),
            ep("6", "01/05/2021", RNE="B", HOME_POST=home, PL_POST="M1 1AE", DEC="07/03/2022"),
            ep("7", "01/05/2021", RNE="B", HOME_POST=home, PL_POST="M1 1AE", DEC="32/03/2022"),
            ep("8", "01/05/2021", RNE="", HOME_POST=home, PL_POST="M1 1AE")]
    cur = [ep("1", "01/05/2021", RNE="B", HOME_POST=home, PL_POST="TW9 1DN"),   # 162.9 vs 7.4: flag
           ep("2", "01/05/2021", RNE="B", HOME_POST=home, PL_POST="TW9 1DN"),   # blank -> present: flag
           ep("3", "01/05/2021", RNE="B", HOME_POST=home, PL_POST="TW9 1AA"),   # 0.1: pass
           ep("4", "01/05/2021", RNE="B", HOME_POST=home, PL_POST="TW9 1BE"),   # exactly 0.2: flag
           ep("5", "01/05/2021", RNE="B", HOME_POST=home, PL_POST=""),          # present -> blank: pass
           ep("6", "01/05/2021", RNE="B", HOME_POST=home, PL_POST="TW9 1DN"),   # closed: pass
           ep("7", "01/05/2021", RNE="B", HOME_POST=home, PL_POST="TW9 1DN"),   # unparseable DEC = open
           ep("8", "01/05/2021", RNE="", HOME_POST=home, PL_POST="TW9 1DN")]    # blank RNEs: pass
    assert run("453", Episodes=cur, last={"Episodes": last}) == {"Episodes": [0, 1, 3, 6]}
