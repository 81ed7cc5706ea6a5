from rulecheck import run

Y23, Y24, Y25, Y26 = "2023/24", "2024/25", "2025/26", "2026/27"


def sw(child="1", sw_id="SW1", start="", end="", reason="MANAGE"):
    return {"CHILD": child, "SW_ID": sw_id, "SW_DECOM": start, "SW_DEC": end, "SW_REASON": reason}


def ep(child="1", decom="01/01/2023", dec="", ls="C2", rne="S", rec=""):
    return {"CHILD": child, "DECOM": decom, "DEC": dec, "LS": ls, "RNE": rne, "REC": rec}


# --- SW01STG1 ----------------------------------------------------------------------------

def test_sw01_flags_open_episode_of_child_without_social_worker_rows():
    episodes = [ep("1"), ep("2"), ep("3", dec="01/02/2024"), ep("4", ls="V3"), ep("5", dec="bad")]
    assert run("SW01STG1", year=Y23, Episodes=episodes, SWEpisodes=[sw("2", start="01/04/2023")]) == {"Episodes": [0]}


def test_sw01_flags_child_missing_one_item_everywhere():
    rows = [sw("1", start="01/04/2023", reason=""), sw("1", start="01/05/2023", reason="")]
    assert run("SW01STG1", year=Y23, Episodes=[ep("1")], SWEpisodes=rows) == {"Episodes": [0]}


def test_sw01_skipped_without_sw_episodes_and_deleted_in_2024():
    run("SW01STG1", year=Y23, Episodes=[ep("1")], expect="skipped")
    from xl_validator.rules import registry
    assert "SW01STG1" not in registry(Y24)


# --- SW02STG1 ----------------------------------------------------------------------------

def test_sw02_prefix():
    rows = [sw(sw_id="AB12345"), sw(sw_id=""), sw(sw_id="sw12345"), sw(sw_id="SW12345"), sw(sw_id="XX"),
            sw(sw_id=" SW1"), sw(sw_id="S")]
    assert run("SW02STG1", year=Y23, SWEpisodes=rows) == {"SWEpisodes": [0, 1, 5, 6]}


def test_sw02_from_2025_needs_four_characters():
    rows = [sw(sw_id="AB1234"), sw(sw_id="SW1"), sw(sw_id=""), sw(sw_id="SW1234"), sw(sw_id="XX99"),
            sw(sw_id="sw12")]
    assert run("SW02STG1", year=Y25, SWEpisodes=rows) == {"SWEpisodes": [0, 1, 2]}


# --- SW03STG1 ----------------------------------------------------------------------------

def test_sw03_completeness():
    rows = [sw(sw_id="", start="01/05/2023"), sw(start="01/05/2023", reason=""), sw(start="01/05/2023", reason="OTHERS"),
            sw(start="", reason="OTHERS"), sw(start="bad", reason="NOPE")]
    assert run("SW03STG1", year=Y23, SWEpisodes=rows) == {"SWEpisodes": [0, 1, 3]}


# --- SW04STG1 / SW05STG1 -----------------------------------------------------------------

def test_sw04_accepts_placeholders_in_2023():
    vals = ["zz", "31/02/2024", "2024-01-05", "05/01/2024", "ZZ/ZZ/ZZZZ", "01/01/ZZZZ", "", "zz/zz/zzzz",
            "29/02/ZZZZ", "31/ZZ/2023", " 05/01/2024", "5/1/24", "ZZ/02/2023"]
    rows = [sw(start=v) for v in vals]
    assert run("SW04STG1", year=Y23, SWEpisodes=rows) == {"SWEpisodes": [0, 1, 2, 10, 11]}


def test_sw04_from_2025_rejects_placeholders():
    rows = [sw(start=v) for v in ["ZZ/ZZ/ZZZZ", "1999/12/01", "31/02/2025", "01/04/2025", "", "1/4/2025"]]
    assert run("SW04STG1", year=Y25, SWEpisodes=rows) == {"SWEpisodes": [0, 1, 2]}


def test_sw05_end_date_valid():
    rows = [sw(end=v) for v in ["zz", "30/02/2024", "05/01/2024", "ZZ/03/2024", ""]]
    assert run("SW05STG1", year=Y23, SWEpisodes=rows) == {"SWEpisodes": [0, 1]}


def test_sw05_from_2025_rejects_placeholders():
    rows = [sw(end=v) for v in ["01/01/ZZZZ", "2025-06-01", "30/06/2025", ""]]
    assert run("SW05STG1", year=Y25, SWEpisodes=rows) == {"SWEpisodes": [0, 1]}


# --- SW06STG2 / SW07STG2 -----------------------------------------------------------------

def test_sw06_start_after_collection_end():
    rows = [sw(start=v) for v in ["01/04/2024", "31/03/2024", "01/01/2019", "", "ZZ/ZZ/2025"]]
    assert run("SW06STG2", year=Y23, SWEpisodes=rows) == {"SWEpisodes": [0]}


def test_sw07_end_within_year_2023():
    rows = [sw(end=v) for v in ["01/04/2024", "31/03/2023", "01/04/2023", "31/03/2024", "", "bad"]]
    assert run("SW07STG2", year=Y23, SWEpisodes=rows) == {"SWEpisodes": [0, 1]}


def test_sw07_2025_lower_bound():
    rows = [sw(end=v) for v in ["31/03/2024", "01/04/2024"]]
    assert run("SW07STG2", year=Y25, SWEpisodes=rows) == {"SWEpisodes": [0]}


# --- SW08STG2 / SW14STG2 -----------------------------------------------------------------

def test_sw08_open_episode_that_is_not_the_latest():
    rows = [sw("1", start="06/06/2023"), sw("1", start="07/06/2023", end="08/06/2023"),
            sw("2", start="01/06/2023", end="09/06/2023"), sw("2", start="05/06/2023"),
            sw("3", start="01/06/2023"), sw("3", start="bad"),
            sw("", start="01/06/2023"), sw("", start="02/06/2023"),
            sw("4", start=""), sw("4", start="")]
    assert run("SW08STG2", year=Y23, SWEpisodes=rows) == {"SWEpisodes": [0, 4]}


def test_sw08_four_rows():
    rows = [sw("1", start="12/06/2023", end="13/06/2023"), sw("1", start="13/06/2023", end="14/06/2023"),
            sw("1", start="14/06/2023"), sw("1", start="15/06/2023")]
    assert run("SW08STG2", year=Y23, SWEpisodes=rows) == {"SWEpisodes": [2]}


def test_sw14_only_latest_may_be_open():
    # Child 4: both rows without a valid start sort after the dated one, in the order of the
    # rows' text (blank before 'BAD'), so the 'bad' row is the latest.
    rows = [sw("1", start="01/01/2000"), sw("1", start="02/01/2000"),
            sw("2", start="01/01/2000", end="01/01/2000"), sw("2", start="02/01/2000"),
            sw("3", start="01/01/2000"),
            sw("4", start="01/01/2000", end="bad"), sw("4", start="bad"), sw("4", start="")]
    assert run("SW14STG2", year=Y23, SWEpisodes=rows) == {"SWEpisodes": [0, 5, 7]}


def test_sw14_deleted_in_2024():
    from xl_validator.rules import registry
    assert "SW14STG2" not in registry(Y24) and "SW08STG2" in registry(Y26)


# --- SW09STG2 ----------------------------------------------------------------------------

# --- SW10STG2 ----------------------------------------------------------------------------

def test_sw10_from_2024_exempts_first_contact():
    rows = [sw("1", start="01/12/2023", end="09/01/2024"), sw("1", start="01/01/2024", reason="MANAGE"),
            sw("2", start="01/12/2023", end="09/01/2024"), sw("2", start="01/01/2024", reason="FCONTA"),
            sw("3", start="01/01/2024", end="10/01/2024"), sw("3", start="17/01/2024", reason="")]
    assert run("SW10STG2", year=Y24, SWEpisodes=rows) == {"SWEpisodes": [1]}


def test_sw10_order_uses_end_date_for_ties():
    # The ended row sorts before the open one starting the same day; the third row follows
    # the open one, so it has no previous end to start near.
    rows = [sw("1", start="01/01/2024"), sw("1", start="01/01/2024", end="05/01/2024"), sw("1", start="20/01/2024")]
    assert run("SW10STG2", year=Y24, SWEpisodes=rows) == {"SWEpisodes": [2]}


# --- SW11aSTG2 / SW11bSTG2 ---------------------------------------------------------------

def test_sw11b_last_days_of_year():
    rows = [sw("1", start="01/03/2023", end="30/03/2024"),
            sw("2", start="01/03/2024", end="25/03/2024"), sw("2", start="26/03/2024", end="27/03/2024"),
            sw("3", start="01/04/2023", end="26/03/2024"), sw("3", start=""),
            sw("4", start="01/03/2023", end="25/03/2024"),
            sw("5", start="01/03/2023", end="31/03/2024"), sw("5", start="31/03/2024"),
            sw("6", start="01/04/2023", end="31/03/2024")]
    assert run("SW11bSTG2", year=Y23, SWEpisodes=rows) == {"SWEpisodes": [0, 2, 4, 8]}


def test_sw11_deleted_a_kept_b_in_2024():
    from xl_validator.rules import registry
    r = registry(Y24)
    assert "SW11aSTG2" not in r and "SW11bSTG2" in r


# --- SW12STG2 ----------------------------------------------------------------------------

def test_sw12_skipped_without_episodes():
    run("SW12STG2", year=Y23, SWEpisodes=[sw()], expect="skipped")


# --- SW13STG1 ----------------------------------------------------------------------------

def test_sw13_reason_codes_2023():
    rows = [sw(reason="LAZINESS"), sw(reason=""), sw(reason="SWDIED"), sw(reason="chchan"), sw(reason="CHCHAN ")]
    assert run("SW13STG1", year=Y23, SWEpisodes=rows) == {"SWEpisodes": [0, 1, 4]}


def test_sw13_from_2024_blank_reason_only_for_recent_episodes():
    # SW_DECOM is read leniently: '2023-05-01' counts; 'bad' is missing (no error).
    rows = [sw(reason="LAZINESS", start="01/01/2020"), sw(reason="", start="01/04/2023"),
            sw(reason="CHCHAN", start="01/05/2024"), sw(reason="", start="31/03/2023"), sw(reason="", start=""),
            sw(reason="", start="2023-05-01"), sw(reason="", start="bad")]
    assert run("SW13STG1", year=Y24, SWEpisodes=rows) == {"SWEpisodes": [0, 1, 5]}


# --- SW01aSTG1 / SW01bSTG1 (2024/25 only) ------------------------------------------------

def test_sw01a_older_episodes_need_id():
    rows = [sw(sw_id="", start="01/01/2023"), sw(start=""), sw(start="01/01/2023", reason=""),
            sw(sw_id="", start="01/01/2024"), sw(start="ZZ/ZZ/ZZZZ"), sw(sw_id="", start="31/03/2023")]
    assert run("SW01aSTG1", year=Y24, SWEpisodes=rows) == {"SWEpisodes": [0, 1, 4, 5]}


def test_sw01b_recent_episodes_need_id_and_reason():
    rows = [sw(sw_id="", start="01/01/2024"), sw(start="01/04/2023", reason=""), sw(start=""),
            sw(start="01/01/2024"), sw(start="01/01/1999", reason=""), sw(start="ZZ/ZZ/ZZZZ")]
    assert run("SW01bSTG1", year=Y24, SWEpisodes=rows) == {"SWEpisodes": [0, 1, 2, 5]}


def test_sw01a_b_only_in_2024():
    from xl_validator.rules import registry
    assert "SW01aSTG1" in registry(Y24) and "SW01bSTG1" not in registry(Y25)
    run("SW01aSTG1", year=Y24, Header=[{"CHILD": "1"}], expect="skipped")


# --- SW10aSTG2 / SW10bSTG2 ---------------------------------------------------------------

def test_sw10a_within_a_week_of_previous_end():
    rows = [sw("1", start="01/01/2026", end="20/01/2026"), sw("1", start="30/01/2026"),
            sw("2", start="01/12/2025", end="10/01/2026"), sw("2", start="01/01/2026"),
            sw("3", start="01/01/2026", end="20/01/2026"), sw("3", start="18/01/2026"),
            sw("4", start="01/12/2025", end="10/01/2026"), sw("4", start="01/01/2026", reason="FCONTA"),
            sw("5", start="01/01/2026", end="10/01/2026"), sw("5", start="17/01/2026", end="20/01/2026"),
            sw("5", start="bad")]
    assert run("SW10aSTG2", year=Y25, SWEpisodes=rows) == {"SWEpisodes": [1, 3, 10]}


def test_sw10b_first_contact_before_previous_end():
    rows = [sw("1", start="01/12/2025", end="08/01/2026"), sw("1", start="01/01/2026", reason="FCONTA"),
            sw("2", start="01/01/2026", end="20/01/2026"), sw("2", start="20/01/2026", reason="FCONTA"),
            sw("3", start="01/01/2026", end="20/01/2026"), sw("3", start="21/01/2026", reason="FCONTA"),
            sw("4", start="01/01/2026", end="20/01/2026"), sw("4", start="10/01/2026", reason="MANAGE"),
            sw("5", start="01/01/2026", reason="FCONTA"),
            sw("6", start="01/01/2026", end="bad"), sw("6", start="02/01/2026", reason="FCONTA")]
    assert run("SW10bSTG2", year=Y25, SWEpisodes=rows) == {"SWEpisodes": [1, 3]}


def test_sw10_and_sw10a_both_in_force_2026():
    from xl_validator.rules import registry
    r = registry(Y26)
    assert {"SW10STG2", "SW10aSTG2", "SW10bSTG2"} <= set(r)


# --- SW17STG2 ----------------------------------------------------------------------------

# --- SW18STG2 / SW19STG2 -----------------------------------------------------------------

def test_sw18_end_not_after_start():
    rows = [sw(start="02/01/2026", end="01/01/2026"), sw(start="01/01/2026", end="01/01/2026"),
            sw(start="01/01/2026", end="02/01/2026"), sw(start="01/01/2026"), sw(start="2026-01-02", end="2026-01-01")]
    assert run("SW18STG2", year=Y25, SWEpisodes=rows) == {"SWEpisodes": [0, 1, 4]}


def test_sw01_complete_row_plus_incomplete_row_flags():
    # Spec example: one complete and one incomplete row still reports the open episode.
    rows = [sw("1", start="01/04/2023"), sw("1", start="01/05/2023", reason="")]
    assert run("SW01STG1", year=Y23, Episodes=[ep("1")], SWEpisodes=rows) == {"Episodes": [0]}
    rows = [sw("1", start="01/04/2023"), sw("1", start="01/05/2023")]
    assert run("SW01STG1", year=Y23, Episodes=[ep("1")], SWEpisodes=rows) == {}


def test_sw07_from_2024_steps_back_an_average_year():
    # collection_start minus 365.2425 days: with 29/02/2024 in between, 01/04/2023 is flagged
    # and 02/04/2023 passes.
    rows = [sw(end=v) for v in ["01/04/2025", "31/03/2023", "02/04/2023", "31/03/2025", "", "01/04/2023"]]
    assert run("SW07STG2", year=Y24, SWEpisodes=rows) == {"SWEpisodes": [0, 1, 5]}


def test_sw09_2023_compares_text():
    rows = [sw(start="01/01/2024", end="01/01/2024"), sw(start="01/01/2024", end="02/01/2024"), sw(),
            sw(start="1/1/2024", end="01/01/2024"), sw(start="bad", end="bad"), sw(start="", end="01/01/2024")]
    assert run("SW09STG2", year=Y23, SWEpisodes=rows) == {"SWEpisodes": [0, 4]}


def test_sw09_2025_flags_episodes_under_three_days():
    rows = [sw(start="01/04/2025", end="01/04/2025"), sw(start="01/04/2025", end="03/04/2025"),
            sw(start="05/04/2025", end="01/04/2025"), sw(start="01/04/2025", end="04/04/2025"),
            sw(start="01/04/2025"), sw(start="2025-04-01", end="2025-04-02"), sw(start="bad", end="01/04/2025")]
    assert run("SW09STG2", year=Y25, SWEpisodes=rows) == {"SWEpisodes": [0, 1, 2, 5]}


def test_sw10_start_within_a_week_of_previous_end():
    rows = [sw("1", start="01/01/1999", end="09/01/2000"), sw("1", start="01/01/2000"),
            sw("2", start="01/01/2000", end="20/01/2000"), sw("2", start="30/01/2000"),
            sw("3", start="01/01/2000"), sw("3", start="05/01/2000"),
            sw("4", start="01/01/2000", end="10/01/2000"), sw("4", start="17/01/2000", end="20/01/2000"),
            sw("5", start="10/01/2000", end="12/01/2000"), sw("5", start="03/01/2000", end="10/01/2000"),
            sw("6", start="01/01/2000", end="10/01/2000"), sw("6", start="bad")]
    # 1: 8 days before the end; 2: 10 days after; 3: previous still open; 6: no valid start.
    assert run("SW10STG2", year=Y23, SWEpisodes=rows) == {"SWEpisodes": [1, 3, 5, 11]}


def test_sw11a_reports_the_episode_after_an_early_end():
    rows = [sw("1", start="01/03/2023", end="01/01/2024"), sw("1", start="bad"),
            sw("2", start="01/04/2023", end="20/03/2024"), sw("2", start="29/03/2024"),
            sw("3", start="01/03/2023", end="01/01/2024"), sw("3", start="04/01/2024"),
            sw("4", start="01/03/2023", end="28/03/2024"), sw("4", start="10/04/2024"),
            sw("5", start="01/03/2023", end="26/03/2024"), sw("5", start="01/04/2024"),
            sw("6", start="01/04/2023", end="01/01/2024")]
    # A last episode with nothing after it (child 6) is not reported: only a following row is.
    assert run("SW11aSTG2", year=Y23, SWEpisodes=rows) == {"SWEpisodes": [1, 3, 9]}


def test_sw11b_flags_episode_in_window_that_is_not_the_earliest():
    # As the spec's notes record, the middle row is flagged although an episode follows it.
    rows = [sw("1", start="01/03/2024", end="20/03/2024"), sw("1", start="21/03/2024", end="27/03/2024"),
            sw("1", start="28/03/2024")]
    assert run("SW11bSTG2", year=Y23, SWEpisodes=rows) == {"SWEpisodes": [1]}
    rows = [sw("1", start="24/03/2025", end="26/03/2025"), sw("1", start="26/03/2025", end="28/03/2025")]
    assert run("SW11bSTG2", year=Y24, SWEpisodes=rows) == {"SWEpisodes": [1]}


def test_sw12_checks_each_social_worker_episode():
    episodes = [ep("1", decom="01/01/2024"),                                 # no SW rows
                ep("2", decom="01/01/2022", rne="P"),                        # open, not starting care
                ep("3", decom="01/01/2024"),                                 # SW 01/06/2023 fails both
                ep("4", decom="01/01/2024"),                                 # SW starts with care
                ep("5", decom="01/05/2023", dec="01/02/2024", rec="E11"),
                ep("6", decom="01/01/2024", ls="V4"),
                ep("7", decom="01/01/2022", dec="01/02/2024", rne="P", rec="X1")]
    rows = [sw("2", start="01/01/2023"), sw("3", start="01/06/2023"), sw("3", start="02/01/2024"),
            sw("4", start="01/01/2024"), sw("5", start="01/06/2023"), sw("5", start="01/03/2024")]
    assert run("SW12STG2", year=Y23, Episodes=episodes, SWEpisodes=rows) == {"Episodes": [0, 1, 2]}


def test_sw12_2024_only_recent_or_open_episodes():
    episodes = [ep("1", decom="01/01/2023", dec="10/04/2023"), ep("2", rne="P", decom="01/01/2022"),
                ep("3", decom="01/01/2025"), ep("4", decom="01/01/2022", dec="10/04/2022"),
                ep("5", decom="01/01/2025", ls="V3"),
                ep("6", decom="01/01/2023", dec="01/04/2023"), ep("7", decom="01/01/2023", dec="02/04/2023")]
    rows = [sw("2", start="01/05/2024"), sw("3", start="01/01/2025")]
    # Episodes ending on 01/04/2023 fall before collection_start minus an average year.
    assert run("SW12STG2", year=Y24, Episodes=episodes, SWEpisodes=rows) == {"Episodes": [0, 1, 6]}


def test_sw10a_after_open_previous_episode_is_flagged():
    rows = [sw("1", start="01/01/2026"), sw("1", start="01/02/2026"),
            sw("2", start="01/01/2026"), sw("2", start="01/02/2026", reason="FCONTA")]
    assert run("SW10aSTG2", year=Y25, SWEpisodes=rows) == {"SWEpisodes": [1]}


def test_sw10b_first_contact_after_open_episode_is_not_flagged():
    rows = [sw("1", start="01/01/2026"), sw("1", start="01/02/2026", reason="FCONTA")]
    assert run("SW10bSTG2", year=Y25, SWEpisodes=rows) == {}


def test_sw17_latest_social_worker_episode_must_be_open():
    rows = [sw("1", start="01/06/2025", end="01/01/2026"), sw("1", start="02/01/2026", end="20/02/2026"),
            sw("2", start="02/01/2026"),
            sw("3", start="01/06/2025"), sw("3", start="02/01/2026", end="20/02/2026"),  # earlier one open
            sw("4", start="02/01/2026", end="10/04/2026"),                               # ends after 31 March
            sw("5", start="02/01/2026", end="20/02/2026"), sw("5", start="02/01/2026"),  # tie: the open one
            sw("6", start="bad"), sw("6", start="01/01/2026", end="05/01/2026"),
            sw("7", start="2026-01-10"), sw("7", start="05/01/2026", end="06/01/2026"),  # ISO read leniently
            sw("8", start="bad", end="01/02/2026")]
    # Runs without Episodes: children who left care are flagged too, as the spec records.
    assert run("SW17STG2", year=Y25, SWEpisodes=rows) == {"SWEpisodes": [1, 4, 5, 9, 12]}


def test_sw19_later_rows_with_the_same_start_text():
    rows = [sw("1", start="01/04/2025"), sw("1", start="1/4/2025"), sw("2", start="01/04/2025"),
            sw("3", start=""), sw("3", start=""), sw("", start="01/04/2025"), sw("", start="01/04/2025"),
            sw("1", start="02/04/2025"),
            sw("4", sw_id="SW2", start="01/04/2025"), sw("4", sw_id="SW1", start="01/04/2025")]
    # Different spellings are not the same; the first of a group is the lower row text (SW1).
    assert run("SW19STG2", year=Y25, SWEpisodes=rows) == {"SWEpisodes": [4, 8]}
