"""Social worker episode rules new or changed in 2025/26."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import rule
from ..common import child_numbers, isin, once_per_value, row_rank
from ..y2023_24.social_workers import at, lenient_column, neighbours, outside_week_of_previous_end


@rule("SW02STG1")
def sw_id_prefix_and_length(d):
    """SW_ID must start with SW or XX and have at least 4 characters (blank fails both).
    Upper-cased on loading, so 'sw12' passes; a leading space is kept and fails."""
    sw = d["SWEpisodes"]
    fails = once_per_value(lambda ids: ~isin(ids.str[:2], ("SW", "XX")) | (ids.str.len() < 4))
    return {"SWEpisodes": fails(sw["SW_ID"])}


@rule("SW04STG1")
def sw_start_date_valid(d):
    """A non-blank SW_DECOM must be a real dd/mm/yyyy date; from 2025/26 'ZZ' placeholders
    are no longer accepted."""
    sw = d["SWEpisodes"]
    return {"SWEpisodes": ~sw.blank("SW_DECOM") & sw.date("SW_DECOM").isna()}


@rule("SW05STG1")
def sw_end_date_valid(d):
    """A non-blank SW_DEC must be a real dd/mm/yyyy date (no placeholders from 2025/26)."""
    sw = d["SWEpisodes"]
    return {"SWEpisodes": ~sw.blank("SW_DEC") & sw.date("SW_DEC").isna()}


@rule("SW09STG2")
def sw_episode_under_three_days(d):
    """An episode lasting less than 3 days (SW_DEC minus SW_DECOM under 3 days, an end before
    the start included), as the spec's logic says; both dates read leniently (day first,
    any layout), a row with either unreadable is not flagged."""
    sw = d["SWEpisodes"]
    days = lenient_column(d, "SWEpisodes", "SW_DEC") - lenient_column(d, "SWEpisodes", "SW_DECOM")
    return {"SWEpisodes": days < pd.Timedelta(days=3)}


@rule("SW10aSTG2")
def sw_episode_within_week_of_previous_end(d):
    """Each episode after the child's first (order: SW_DECOM then SW_DEC), unless its
    reason is first contact, must start within 7 days either side of the previous
    episode's end; a missing start or previous end (an open previous episode) fails."""
    sw = d["SWEpisodes"]
    return {"SWEpisodes": outside_week_of_previous_end(d) & (sw["SW_REASON"] != "FCONTA")}


@rule("SW10bSTG2")
def first_contact_after_previous_ended(d):
    """A first-contact (FCONTA) episode must start after the previous episode's end date
    (order: SW_DECOM then SW_DEC); the same day is flagged. With either date missing (an
    open previous episode included) it is not flagged, as the spec's logic says."""
    sw = d["SWEpisodes"]
    start, end = sw.date("SW_DECOM"), sw.date("SW_DEC")
    prev, _ = neighbours(d, "SWEpisodes", start, end)
    return {"SWEpisodes": (sw["SW_REASON"] == "FCONTA") & (start <= at(end, prev))}


@rule("SW17STG2")
def latest_sw_episode_open(d):
    """Each child's latest social worker episode (by SW_DECOM read leniently; a row without
    a readable start only when the child has no other) must have a blank SW_DEC. Among
    episodes sharing the latest start an open one counts as the latest (the later state),
    then the rows' text decides, never file order. Episodes is not read."""
    sw = d["SWEpisodes"]
    start = lenient_column(d, "SWEpisodes", "SW_DECOM").fillna(pd.Timestamp.min)
    _, nxt = neighbours(d, "SWEpisodes", start, sw.blank("SW_DEC"))
    return {"SWEpisodes": pd.Series(nxt < 0, index=sw.index) & ~sw.blank("SW_DEC")}


@rule("SW18STG2")
def sw_end_after_start(d):
    """SW_DEC must be later than SW_DECOM; the same day is flagged too. Both read leniently
    (day first, any layout); a row with either unreadable is not flagged."""
    sw = d["SWEpisodes"]
    return {"SWEpisodes": lenient_column(d, "SWEpisodes", "SW_DEC") <= lenient_column(d, "SWEpisodes", "SW_DECOM")}


@rule("SW19STG2")
def sw_episodes_same_start(d):
    """A second episode of one child with the same SW_DECOM text (not parsed; two blanks
    are the same) is flagged; the first of each group is not. "First" is by the rows' text
    (``row_rank``), not file order, so the outcome does not depend on row order."""
    sw = d["SWEpisodes"]
    if len(sw) == 0:
        return {}
    child = child_numbers(d, "SWEpisodes")
    start = pd.factorize(sw["SW_DECOM"].to_numpy(dtype=object), use_na_sentinel=False)[0]
    order = np.lexsort((np.arange(len(sw)), row_rank(d, "SWEpisodes"), start, child))
    later = np.zeros(len(sw), dtype=bool)
    later[1:] = (child[order][1:] == child[order][:-1]) & (start[order][1:] == start[order][:-1])
    out = np.zeros(len(sw), dtype=bool)
    out[order[later]] = True
    return {"SWEpisodes": out}
