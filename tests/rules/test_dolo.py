from rulecheck import run

Y = "2026/27"


def dolo(child="1", start="", end="", dob="01/01/2015"):
    return {"CHILD": child, "DOB": dob, "DOLO_START": start, "DOLO_END": end}


def ep(child="1", decom="01/04/2026", dec="", place="K2"):
    return {"CHILD": child, "DECOM": decom, "DEC": dec, "PLACE": place}


def test_700_start_date_valid():
    rows = [dolo(start=v) for v in ["2026/05/10", "", "31/04/2026", "10/05/2026", "1/5/2026", " 10/05/2026"]]
    assert run("700", year=Y, DoLo=rows) == {"DoLo": [0, 1, 2, 5]}


def test_700_skipped_without_dolo_and_not_in_force_before_2026():
    run("700", year=Y, Header=[{"CHILD": "1"}], expect="skipped")
    from xl_validator.rules import registry
    assert "700" not in registry("2025/26") and "710" in registry(Y)


def test_701_end_date_valid():
    rows = [dolo(end=v) for v in ["2000/12/10", "30/02/2027", "01/01/2027", ""]]
    assert run("701", year=Y, DoLo=rows) == {"DoLo": [0, 1]}


def test_702_end_before_start():
    rows = [dolo(start="02/01/2027", end="01/01/2027"), dolo(start="01/01/2027", end="02/10/2027"),
            dolo(start="01/01/2027"), dolo(start="bad", end="01/01/2027")]
    assert run("702", year=Y, DoLo=rows) == {"DoLo": [0]}


def test_703_start_after_year():
    rows = [dolo(start=v) for v in ["01/04/2027", "31/03/2027", "15/06/2024", "", "bad"]]
    assert run("703", year=Y, DoLo=rows) == {"DoLo": [0]}


def test_703_custom_collection_end():
    rows = [dolo(start="01/03/2027"), dolo(start="28/02/2027")]
    assert run("703", year=Y, DoLo=rows, collection_end="28/02/2027") == {"DoLo": [0]}


def test_704_end_within_year():
    rows = [dolo(end=v) for v in ["31/03/2026", "01/04/2027", "01/04/2026", "31/03/2027", "", "bad"]]
    assert run("704", year=Y, DoLo=rows) == {"DoLo": [0, 1]}


def test_705_start_while_previous_open():
    rows = [dolo("1", "01/01/2027"), dolo("1", "02/01/2027", "05/01/2027"),
            dolo("2", "01/01/2027", "02/01/2027"), dolo("2", "04/01/2027", "10/01/2027"),
            dolo("3", "01/05/2026", "01/06/2026"), dolo("3", "01/06/2026", "02/06/2026"),
            dolo("4", "01/01/2027", "bad"), dolo("4", "05/01/2027", "06/01/2027"),
            dolo("5", "01/01/2027"), dolo("5", ""),
            dolo("", "01/01/2027"), dolo("", "02/01/2027")]
    # 4: an unreadable end counts as open; 5: a row with neither date sorts last, after the open one.
    assert run("705", year=Y, DoLo=rows) == {"DoLo": [1, 7, 9]}


def _run_706(this, last):
    """706 on prepared data directly: the reader reads last year's return with 2025/26's
    tables, which have no DoLo, so ``validate`` cannot supply DoLo_last in 2026/27."""
    import numpy as np
    from rulecheck import frame
    from xl_validator.prepare import Data
    from xl_validator.read.table import RawTable
    from xl_validator.rules import registry
    from xl_validator.rules.engine import positions

    def raw(name, rows):
        f = frame("DoLo", rows)
        return RawTable(name=name, frame=f, source="test", rows=np.arange(len(f)) + 2)
    data = Data({"DoLo": raw("DoLo", this), "DoLo_last": raw("DoLo_last", last)}, Y)
    out = registry(Y)["706"](data)
    return {t: positions(m, len(data[t])).tolist() for t, m in out.items()}


def test_706_open_order_last_year_must_continue():
    last = [dolo("1", "03/01/2026"), dolo("2", "03/01/2026"), dolo("3", "01/12/2025", "02/01/2026"),
            dolo("4", "3/1/2026"), dolo("5", ""), dolo("6", "01/01/2026", "bad"), dolo("7", "03/01/2026")]
    this = [dolo("1", "05/01/2026"), dolo("2", "03/01/2026"), dolo("4", "03/01/2026"), dolo("5", ""),
            dolo("8", "03/01/2026")]
    # Starts are compared as text: '3/1/2026' does not match '03/01/2026', two blanks match.
    # Rows are reported in DoLo_last, not labelled as this year's rows.
    assert _run_706(this, last) == {"DoLo_last": [0, 3, 6]}


def test_706_nothing_open_last_year():
    assert _run_706([dolo("1", "05/01/2026")], [dolo("1", "01/12/2025", "02/01/2026")]) == {"DoLo_last": []}


def test_706_reads_last_years_dolo_given_in_the_layout_of_this_year():
    # 2025/26 had no DoLo table in the DfE layout, but a DoLo sheet supplied with last year's
    # return is read (with this year's tables) so the rule can compare.
    assert run("706", year=Y, DoLo=[dolo("1", "03/01/2026")],
               last={"Header": [{"CHILD": "1"}], "DoLo": [dolo("1", "03/01/2026")]}) == {}


def test_706_skipped_without_last_year():
    run("706", year=Y, DoLo=[dolo("1", "03/01/2026")], expect="skipped")


def test_707_skipped_without_episodes():
    run("707", year=Y, DoLo=[dolo("1", "05/04/2026")], expect="skipped")


def test_708_start_after_birth():
    rows = [dolo(start="01/01/2019", dob="01/01/2020"), dolo(start="01/01/2020", dob="01/01/2020"),
            dolo(start="01/01/2020", dob="01/01/2019"), dolo(start="01/01/2020", dob=""),
            dolo(start="bad", dob="01/01/2020")]
    assert run("708", year=Y, DoLo=rows) == {"DoLo": [0, 1]}


def test_709_unexpected_placement_during_order():
    episodes = [ep("1", "01/01/2027", "04/01/2027", "U1"), ep("2", "01/01/2027", "04/01/2027", "K2"),
                ep("3", "01/01/2027", "", "U1"), ep("1", "05/01/2027", "", "Z12"), ep("4", "01/01/2027", "", "")]
    rows = [dolo("1", "02/01/2027", "03/01/2027"), dolo("2", "02/01/2027", "03/01/2027"),
            dolo("3", "25/12/2026", "31/12/2026"), dolo("4", "02/01/2027", "bad")]
    assert run("709", year=Y, DoLo=rows, Episodes=episodes) == {"DoLo": [0], "Episodes": [0]}


def test_710_forbidden_placement_during_order():
    episodes = [ep("1", "01/01/2027", "04/01/2027", "P1"), ep("2", "01/01/2027", "", "K3"),
                ep("3", "01/01/2027", "04/01/2027", "K2"), ep("4", "01/01/2027", "04/01/2027", "P1"),
                ep("5", "01/01/2027", "", "R5")]
    rows = [dolo("1", "02/01/2027", "05/01/2027"), dolo("2", "02/01/2027", "05/01/2027"),
            dolo("3", "02/01/2027", "05/01/2027"), dolo("4", "06/01/2027", "07/01/2027"),
            dolo("5", "02/01/2027")]
    # child 5's order is open: not checked.
    assert run("710", year=Y, DoLo=rows, Episodes=episodes) == {"DoLo": [0, 1], "Episodes": [0, 1]}


def test_710_order_ending_on_episode_start_overlaps():
    episodes = [ep("1", "04/01/2027", "", "K1")]
    rows = [dolo("1", "01/01/2027", "04/01/2027"), dolo("1", "01/01/2027", "03/01/2027")]
    assert run("710", year=Y, DoLo=rows, Episodes=episodes) == {"DoLo": [0], "Episodes": [0]}


def test_702_same_day_order_is_flagged():
    assert run("702", year=Y, DoLo=[dolo(start="01/01/2027", end="01/01/2027")]) == {"DoLo": [0]}


def test_705_orders_by_end_date_so_the_enclosing_order_is_flagged():
    # Spec example: A 01/01-06/01 sorts after B 04/01-04/01 (by end) and starts before B ends.
    rows = [dolo("1", "01/01/2027", "06/01/2027"), dolo("1", "04/01/2027", "04/01/2027")]
    assert run("705", year=Y, DoLo=rows) == {"DoLo": [0]}


def test_707_order_must_fit_a_period_of_care():
    episodes = [ep("1", "01/04/2026", "01/05/2026"), ep("2", "10/02/2027"), ep("3", "01/04/2026", "01/05/2026"),
                ep("4", "01/04/2026"), ep("5", "01/04/2026", "01/05/2026"),
                ep("6", "01/04/2026", "01/05/2026"), ep("6", "01/05/2026"),
                ep("7", "01/04/2026", "01/05/2026"), ep("7", "02/05/2026"),
                ep("8", "", "01/05/2026")]
    rows = [dolo("1", "05/04/2026"),                 # open order after care ceased
            dolo("2", "05/01/2027"),                 # open order from before the open period
            dolo("3", "05/04/2026", "01/06/2026"),   # ends after the period ended
            dolo("4", "01/05/2026"), dolo("5", "05/04/2026", "10/04/2026"),
            dolo("6", "10/04/2026"),                 # next episode starts on the DEC: one period
            dolo("7", "10/04/2026"),                 # a day's gap: a new period, begun after the order
            dolo("8", "05/04/2026"), dolo("9", "05/04/2026"),
            dolo("1", "bad"), dolo("1", "05/04/2026", "zz")]
    assert run("707", year=Y, DoLo=rows, Episodes=episodes) == {"DoLo": [0, 1, 2, 6, 10]}


def test_709_open_order_is_not_checked_and_dates_are_read_leniently():
    episodes = [ep("1", "01/01/2027", "04/01/2027", "U1"), ep("2", "01/01/2027", "04/01/2027", "U1")]
    rows = [dolo("1", "02/01/2027"), dolo("2", "2027-01-02", "2027-01-03")]
    assert run("709", year=Y, DoLo=rows, Episodes=episodes) == {"DoLo": [1], "Episodes": [1]}
