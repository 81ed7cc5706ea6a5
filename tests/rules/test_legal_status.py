from rulecheck import run


def ep(child="1", decom="", dec="", ls="", place="", rne="", **kw):
    return {"CHILD": child, "DECOM": decom, "DEC": dec, "LS": ls, "PLACE": place, "RNE": rne, **kw}


# --- 361 / 362: back-to-back runs -------------------------------------------------------

def test_361_police_protection_over_three_days():
    eps = [ep("1", "01/06/2022", "05/06/2022", "L1"),
           ep("2", "01/06/2022", "04/06/2022", "L1"), ep("2", "04/06/2022", "05/06/2022", "L1"),
           ep("3", "20/03/2023", "", "L1"),
           ep("4", "01/06/2022", "04/06/2022", "L1"),
           ep("5", "01/06/2022", "03/06/2022", "L1"), ep("5", "04/06/2022", "06/06/2022", "L1"),
           ep("6", "01/06/2022", "10/06/2022", "C2")]
    assert run("361", Episodes=eps) == {"Episodes": [0, 1, 2, 3]}


def test_361_runs_join_only_directly_consecutive_l1_episodes():
    """Departure from the known implementation, which measures L1, C2, L1 as one 10-day run."""
    eps = [ep("1", "01/06/2022", "02/06/2022", "L1"), ep("1", "02/06/2022", "10/06/2022", "C2"),
           ep("1", "10/06/2022", "11/06/2022", "L1")]
    assert run("361", Episodes=eps) == {}


def test_361_unparseable_dec_counts_to_collection_end_and_bad_decom_gives_no_start():
    eps = [ep("1", "20/03/2023", "31/13/2023", "L1"), ep("2", "bad", "05/06/2022", "L1")]
    assert run("361", Episodes=eps) == {"Episodes": [0]}


def test_362_emergency_protection_over_21_days():
    eps = [ep("1", "08/09/2022", "09/10/2022", "L2"),
           ep("2", "06/06/2022", "10/06/2022", "L2"), ep("2", "10/06/2022", "12/10/2022", "L2"),
           ep("3", "01/06/2022", "22/06/2022", "L2"), ep("4", "15/03/2023", "", "L2")]
    assert run("362", Episodes=eps) == {"Episodes": [0, 1, 2]}


def test_362_run_ordered_by_decom_not_file_order():
    eps = [ep("1", "10/06/2022", "25/06/2022", "L2"), ep("1", "01/06/2022", "10/06/2022", "L2")]
    assert run("362", Episodes=eps) == {"Episodes": [0, 1]}


# --- 363 / 364: periods -----------------------------------------------------------------

def test_363_child_assessment_order_over_7_days():
    eps = [ep("1", "01/06/2022", "09/06/2022", "L3"),
           ep("2", "01/06/2022", "05/06/2022", "L3"), ep("2", "05/06/2022", "09/06/2022", "L3"),
           ep("3", "20/03/2023", "", "L3"),
           ep("4", "01/06/2022", "08/06/2022", "L3"),
           ep("5", "01/06/2022", "05/06/2022", "L3"), ep("5", "10/06/2022", "14/06/2022", "L3")]
    assert run("363", Episodes=eps) == {"Episodes": [0, 1, 2, 3]}


def test_363_rows_in_decom_order_and_overlaps_summed():
    # separate periods listed out of order stay separate; overlapping episodes (01/06-05/06 and
    # 02/06-06/06) are summed as the spec says: 4 + 4 = 8 days, flagged
    eps = [ep("1", "10/06/2022", "15/06/2022", "L3"), ep("1", "01/06/2022", "04/06/2022", "L3"),
           ep("2", "01/06/2022", "05/06/2022", "L3"), ep("2", "02/06/2022", "06/06/2022", "L3")]
    assert run("363", Episodes=eps) == {"Episodes": [2, 3]}
    assert run("363", Episodes=eps[::-1]) == {"Episodes": [0, 1]}


def test_363_joins_on_the_previous_l3_episodes_dec_not_the_longest():
    # the third starts after the second ended although before the first ended: a new period
    eps = [ep("1", "01/06/2022", "06/06/2022", "L3"), ep("1", "02/06/2022", "03/06/2022", "L3"),
           ep("1", "05/06/2022", "08/06/2022", "L3")]
    assert run("363", Episodes=eps) == {}


def test_363_unparseable_dec_counts_zero_days():
    eps = [ep("1", "01/06/2022", "99/99/2022", "L3"), ep("2", "bad", "", "L3")]
    assert run("363", Episodes=eps) == {}


def test_364_pace_detention_over_21_days():
    eps = [ep("1", "01/01/2023", "23/01/2023", "J2"),
           ep("2", "01/01/2023", "10/01/2023", "J2"), ep("2", "10/01/2023", "23/01/2023", "J2"),
           ep("3", "01/01/2023", "22/01/2023", "J2"),
           ep("4", "01/01/2023", "10/01/2023", "J2"), ep("4", "11/01/2023", "25/01/2023", "J2")]
    assert run("364", Episodes=eps) == {"Episodes": [0, 1, 2]}


# --- respite ----------------------------------------------------------------------------

def test_365_short_break_over_17_days():
    eps = [ep("1", "01/02/2023", "19/02/2023", "V3"), ep("1", "25/01/2023", "", "V3"),
           ep("1", "01/01/2023", "18/01/2023", "V3"), ep("1", "01/01/2023", "31/01/2023", "V4"),
           ep("1", "01/01/2023", "bad", "V3"), ep("1", "", "", "V3")]
    assert run("365", Episodes=eps) == {"Episodes": [0, 1]}


def test_366_short_break_starts_with_s():
    eps = [ep(ls="V3", rne="P"), ep(ls="V3", rne=""), ep(ls="V3", rne="S"), ep(ls="V4", rne="T"), ep(ls="V3", rne="s")]
    assert run("366", Episodes=eps) == {"Episodes": [0, 1]}


def test_367_more_than_75_days_respite_in_the_year():
    eps = [ep("1", "01/04/2022", "01/05/2022", "V3"), ep("1", "01/06/2022", "01/07/2022", "V3"),
           ep("1", "01/07/2022", "01/08/2022", "V3"), ep("1", "01/08/2022", "01/08/2022", "V3"),
           ep("2", "01/07/2022", "", "V3"),
           ep("3", "01/04/2022", "01/05/2022", "V3"), ep("3", "01/06/2022", "01/07/2022", "V3"),
           ep("4", "01/04/2022", "10/07/2022", "V4")]
    assert run("367", Episodes=eps) == {"Episodes": [0, 1, 2, 4]}


def test_367_clipped_to_the_collection_year():
    # 15/03-01/05/2022 counts 30 nights (from 01/04), 01/02-30/04/2023 counts 58 (to 31/03): 88 in total
    eps = [ep("1", "15/03/2022", "01/05/2022", "V3"), ep("1", "01/02/2023", "30/04/2023", "V3"),
           ep("2", "01/01/2022", "31/03/2022", "V3"), ep("2", "01/02/2023", "", "V3"), ep("2", "01/05/2022", "bad", "V3"),
           # exactly 75 nights passes
           ep("3", "01/04/2022", "15/06/2022", "V3")]
    assert run("367", Episodes=eps) == {"Episodes": [0, 1]}


def test_378_placed_with_parents_under_single_s20():
    eps = [ep(place="P1", ls="V2"), ep(place="P1", ls="C2"), ep(place="U1", ls="V2")]
    assert run("378", Episodes=eps) == {"Episodes": [0]}


def test_382_respite_in_temporary_placement():
    eps = [ep(ls="V3", place="T0"), ep(ls="V4", place="T3"), ep(ls="V3", place="U3"), ep(ls="C2", place="T1")]
    assert run("382", Episodes=eps) == {"Episodes": [0, 1]}


def test_384_respite_in_long_term_foster_placement():
    eps = [ep(ls="V4", place="U1"), ep(ls="V3", place="U4"), ep(ls="V3", place="U3"), ep(ls="C2", place="U1")]
    assert run("384", Episodes=eps) == {"Episodes": [0, 1]}


# --- 399 --------------------------------------------------------------------------------

def test_399_mother_or_reviews_completed_for_respite_only_child():
    # a filled MOTHER flags every review of the child; a completed review flags the Header row
    eps = [ep("1", ls="V4"), ep("1", ls="V4"), ep("2", ls="V3"), ep("3", ls="V3"), ep("3", ls="C2"),
           ep("4", ls="V3")]
    hdr = [{"CHILD": "1", "MOTHER": "0"}, {"CHILD": "2", "MOTHER": ""}, {"CHILD": "3", "MOTHER": "1"},
           {"CHILD": "4", "MOTHER": ""}]
    rev = [{"CHILD": "1", "REVIEW": "", "REVIEW_CODE": ""}, {"CHILD": "2", "REVIEW": "01/01/2023"},
           {"CHILD": "2", "REVIEW": "", "REVIEW_CODE": ""}, {"CHILD": "3", "REVIEW": "01/01/2023", "REVIEW_CODE": "PN1"},
           {"CHILD": "4", "REVIEW": "", "REVIEW_CODE": ""}]
    assert run("399", Episodes=eps, Header=hdr, Reviews=rev) == {"Episodes": [0, 1, 2], "Header": [0, 1],
                                                                  "Reviews": [0, 1]}


def test_399_spec_examples():
    eps = [ep("1", ls="V4"), ep("1", ls="V4"), ep("2", ls="V3"), ep("2", ls="C2"), ep("3", ls="V3")]
    hdr = [{"CHILD": "1", "MOTHER": "0"}, {"CHILD": "2", "MOTHER": "1"}, {"CHILD": "3", "MOTHER": ""}]
    rev = [{"CHILD": "2", "REVIEW": "01/01/2023"}]
    assert run("399", Episodes=eps, Header=hdr, Reviews=rev) == {"Episodes": [0, 1], "Header": [0]}


def test_399_needs_reviews_and_header():
    eps = [ep("1", ls="V4")]
    run("399", Episodes=eps, Header=[{"CHILD": "1", "MOTHER": "0"}], expect="skipped")
    rev = [{"CHILD": "1", "REVIEW": "", "REVIEW_CODE": "PN0"}]
    run("399", Episodes=eps, Reviews=rev, expect="skipped")


def test_399_review_code_alone_counts():
    eps = [ep("1", ls="V3")]
    rev = [{"CHILD": "1", "REVIEW": "", "REVIEW_CODE": "PN0"}]
    assert run("399", Episodes=eps, Header=[{"CHILD": "1"}], Reviews=rev) == {"Episodes": [0], "Header": [0],
                                                                               "Reviews": [0]}
