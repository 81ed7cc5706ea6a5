"""Social worker episode rules new or changed in 2024/25."""
from __future__ import annotations

import pandas as pd

from .. import rule
from ..common import isin
from ..y2023_24.social_workers import (SW_REASONS, lenient_column, outside_week_of_previous_end,
                                       sw12_candidates, sw_history_fails)

# The completeness rules split on a fixed date, not on the collection year.
SW_RECORDING_START = pd.Timestamp(2023, 4, 1)
# The reference steps back one average year (365 days 5 h 49 min 12 s) from collection_start
# and compares with dates at midnight, so the bound's day depends on a 29 February between.
AVERAGE_YEAR = pd.Timedelta(days=365.2425)


@rule("SW01aSTG1")
def sw_older_episode_complete(d):
    """Episodes that began before 1 April 2023 need a valid start date and an SW_ID (no
    reason). A missing or unparseable start (placeholders included) is flagged here and by
    SW01bSTG1, since we cannot tell which side of the date the episode falls."""
    sw = d["SWEpisodes"]
    start = sw.date("SW_DECOM")
    return {"SWEpisodes": start.isna() | ((start < SW_RECORDING_START) & sw.blank("SW_ID"))}


@rule("SW01bSTG1")
def sw_recent_episode_complete(d):
    """Episodes that began on or after 1 April 2023 need a valid start date, an SW_ID and a
    reason."""
    sw = d["SWEpisodes"]
    start = sw.date("SW_DECOM")
    incomplete = sw.blank("SW_ID") | sw.blank("SW_REASON")
    return {"SWEpisodes": start.isna() | ((start >= SW_RECORDING_START) & incomplete)}


@rule("SW07STG2")
def sw_end_within_reporting_period(d):
    """An episode's end date must lie between collection_start minus one average year and
    collection_end, as the spec's logic says: in 2024/25 (a span with 29 February)
    01/04/2023 is flagged and 02/04/2023 passes."""
    sw = d["SWEpisodes"]
    end = sw.date("SW_DEC")
    return {"SWEpisodes": (end < d.collection_start - AVERAGE_YEAR) | (end > d.collection_end)}


@rule("SW10STG2")
def sw_episode_starts_near_previous_end(d):
    """As in 2023/24 (start within 7 days either side of the previous episode's end), but an
    episode whose own reason is first contact (FCONTA) is exempt from 2024/25."""
    sw = d["SWEpisodes"]
    return {"SWEpisodes": outside_week_of_previous_end(d) & (sw["SW_REASON"] != "FCONTA")}


@rule("SW12STG2")
def sw_episodes_cover_care(d):
    """As in 2023/24, but only episodes still open or whose DEC lies between collection_start
    minus one average year and collection_end are checked."""
    e = d["Episodes"]
    dec = e.date("DEC")
    recent = dec.isna() | ((dec >= d.collection_start - AVERAGE_YEAR) & (dec <= d.collection_end))
    return {"Episodes": sw_history_fails(d, sw12_candidates(d) & recent)}


@rule("SW13STG1")
def sw_reason_code(d):
    """A non-blank SW_REASON must be a DfE reason code; a blank reason is an error only for
    episodes that began on or after 1 April 2023. SW_DECOM is read leniently (day first, any
    layout); one that cannot be read counts as missing (the known implementation stops
    with an error and reports nothing)."""
    sw = d["SWEpisodes"]
    blank = sw.blank("SW_REASON")
    recent = lenient_column(d, "SWEpisodes", "SW_DECOM") >= SW_RECORDING_START
    return {"SWEpisodes": (~blank & ~isin(sw["SW_REASON"], SW_REASONS)) | (blank & recent)}
