"""Social worker episodes (SWEpisodes), first collected in 2023/24.

Shared helpers other social worker rules (and later years' versions) import:
``sw_neighbours`` (previous/next episode of the same child in a chosen order),
``at`` (values of those neighbours), ``open_care_episodes`` / ``looked_after_at_end``
(episodes open / children in care on 31 March), ``placeholder_date_valid`` (dd/mm/yyyy allowing ZZ parts) and
``no_follow_on`` (ended episodes with no next episode starting close to the end).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...prepare.dates import parse_dates
from .. import rule
from ..common import isin

SW_REASONS = ("MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "SWDIED", "OTHERS")


# --- helpers -----------------------------------------------------------------------------

def sw_neighbours(child: pd.Series, *keys: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of the previous and next row of the same CHILD when each child's rows
    are ordered by ``keys`` (missing values after dates at each level, ties in file order);
    -1 where there is none. Rows with a blank CHILD are linked to nothing."""
    n = len(child)
    cols = {"c": child.to_numpy()}
    cols.update({f"k{i}": k.to_numpy() for i, k in enumerate(keys)})
    cols["pos"] = np.arange(n)
    df = pd.DataFrame(cols).sort_values(list(cols), na_position="last", kind="stable")
    c, pos = df["c"].to_numpy(), df["pos"].to_numpy()
    same = (c[1:] == c[:-1]) & (c[1:] != "")
    prev = np.full(n, -1, dtype=np.int64)
    nxt = np.full(n, -1, dtype=np.int64)
    prev[pos[1:][same]] = pos[:-1][same]
    nxt[pos[:-1][same]] = pos[1:][same]
    return prev, nxt


def at(values: pd.Series, rows: np.ndarray) -> pd.Series:
    """``values`` of the rows at positions ``rows`` (NaN/NaT where the position is -1)."""
    arr = values.to_numpy()
    return pd.Series(arr[np.maximum(rows, 0)], index=values.index).where(rows >= 0)


def open_care_episodes(d) -> pd.Series:
    """Episodes that are open at 31 March: DEC blank (any non-blank DEC, even unparseable,
    means the episode ended) and LS not V3/V4 (short breaks are not continuous care)."""
    e = d["Episodes"]
    return e.blank("DEC") & ~isin(e["LS"], ("V3", "V4"))


def looked_after_at_end(d) -> set[str]:
    """CHILDs with an episode open at 31 March (see ``open_care_episodes``)."""
    e = d["Episodes"]
    return set(e["CHILD"][open_care_episodes(d)]) - {""}


def placeholder_date_valid(text: pd.Series) -> pd.Series:
    """True where ``text`` is dd/mm/yyyy in which the day or month may be 'ZZ' and the year
    'ZZZZ' and, with a real value put in each placeholder, a real calendar date."""
    m = text.str.extract(r"^(ZZ|\d{1,2})/(ZZ|\d{1,2})/(ZZZZ|\d{4})$")
    # January and the leap year 2000 make every day number that can exist valid.
    filled = (m[0].where(m[0] != "ZZ", "01") + "/" + m[1].where(m[1] != "ZZ", "01") + "/"
              + m[2].where(m[2] != "ZZZZ", "2000"))
    return parse_dates(filled.fillna("")).notna()


def no_follow_on(d, ended: pd.Series, days: int = 5) -> pd.Series:
    """Among rows in ``ended`` (with a valid SW_DEC), those for which no other row of the
    same (non-blank) CHILD has a valid SW_DECOM within ``days`` days either side of it.
    Only a later episode can follow: the other row must start on or after this row's own
    SW_DECOM (any row, when this row's start is missing), so a short earlier episode that
    began shortly before this one ended does not count as its successor."""
    t = d["SWEpisodes"]
    child, start, end = t["CHILD"], t.date("SW_DECOM"), t.date("SW_DEC")
    keep = ended & end.notna() & (child != "")
    left = pd.DataFrame({"CHILD": child[keep], "END": end[keep], "OWN": start[keep], "pos": t.index[keep]})
    has_start = start.notna() & (child != "")
    right = pd.DataFrame({"CHILD": child[has_start], "START": start[has_start], "pos2": t.index[has_start]})
    pairs = left.merge(right, on="CHILD")
    gap = (pairs["START"] - pairs["END"]).abs()
    later = pairs["OWN"].isna() | (pairs["START"] >= pairs["OWN"])
    followed = pairs["pos"][(pairs["pos"] != pairs["pos2"]) & (gap <= pd.Timedelta(days=days)) & later]
    return keep & ~pd.Series(t.index.isin(followed.to_numpy()), index=t.index)


# --- completeness and codes --------------------------------------------------------------

@rule("SW01STG1")
def social_worker_info_for_child_in_care(d):
    """A child in care on 31 March must have some social worker information: at least one
    SW_ID, one SW_DECOM and one SW_REASON among its SWEpisodes rows.

    Follows the DfE message rather than the known implementation, which (a) labels
    Episodes row numbers as SWEpisodes rows, and (b) also fires when a child has complete
    information plus one incomplete row (SW03STG1's job). We report the open Episodes row,
    once, and only when one of the three items is absent from all the child's rows."""
    e, sw = d["Episodes"], d["SWEpisodes"]
    children = sw["CHILD"]
    has_all = (set(children[~sw.blank("SW_ID")]) & set(children[~sw.blank("SW_DECOM")])
               & set(children[~sw.blank("SW_REASON")]))
    return {"Episodes": open_care_episodes(d) & ~isin(e["CHILD"], has_all)}


@rule("SW02STG1")
def sw_id_prefix(d):
    """SW_ID must start with SW or XX. Values are upper-cased on loading, so 'sw123' passes
    (the spec's lower-case example is flagged only before that step)."""
    sw = d["SWEpisodes"]
    return {"SWEpisodes": ~isin(sw["SW_ID"].str[:2], ("SW", "XX"))}


@rule("SW03STG1")
def sw_episode_complete(d):
    """Every social worker episode needs its ID, start date and reason (values not checked)."""
    sw = d["SWEpisodes"]
    return {"SWEpisodes": sw.blank("SW_ID") | sw.blank("SW_DECOM") | sw.blank("SW_REASON")}


@rule("SW04STG1")
def sw_start_date_valid(d):
    """A non-blank SW_DECOM must be a date; 'ZZ'/'ZZZZ' placeholders for unknown parts are
    accepted. Input is upper-cased on loading, so 'zz/zz/zzzz' is accepted too."""
    sw = d["SWEpisodes"]
    return {"SWEpisodes": ~sw.blank("SW_DECOM") & ~placeholder_date_valid(sw["SW_DECOM"])}


@rule("SW05STG1")
def sw_end_date_valid(d):
    """A non-blank SW_DEC must be a date; 'ZZ'/'ZZZZ' placeholders are accepted (upper-cased
    on loading, so lower-case 'zz' parts too). Blank means the episode is still open."""
    sw = d["SWEpisodes"]
    return {"SWEpisodes": ~sw.blank("SW_DEC") & ~placeholder_date_valid(sw["SW_DEC"])}


@rule("SW13STG1")
def sw_reason_code(d):
    """SW_REASON must be one of the DfE's reason codes (the list the rule hard-codes);
    blank is invalid. Upper-cased on loading, so 'chchan' passes."""
    sw = d["SWEpisodes"]
    return {"SWEpisodes": ~isin(sw["SW_REASON"], SW_REASONS)}


# --- dates against the year ---------------------------------------------------------------

@rule("SW06STG2")
def sw_start_not_after_year(d):
    """A social worker episode cannot start after the collection year; earlier is fine."""
    sw = d["SWEpisodes"]
    return {"SWEpisodes": sw.date("SW_DECOM") > d.collection_end}


@rule("SW07STG2")
def sw_end_within_year(d):
    """An episode's end date must fall inside the collection year (both ends inclusive)."""
    sw = d["SWEpisodes"]
    end = sw.date("SW_DEC")
    return {"SWEpisodes": (end < d.collection_start) | (end > d.collection_end)}


# --- sequences of episodes -----------------------------------------------------------------

def open_before_latest(d) -> pd.Series:
    """Rows open (SW_DEC missing) that are not their child's latest episode by SW_DECOM."""
    sw = d["SWEpisodes"]
    _, nxt = sw_neighbours(sw["CHILD"], sw.date("SW_DECOM"))
    return pd.Series((nxt >= 0), index=sw.index) & sw.date("SW_DEC").isna()


@rule("SW08STG2")
def previous_sw_episode_ended(d):
    """Every episode but the child's latest (by start date) must have ended. A row with a
    missing start date sorts last, so it counts as the latest; such a row is never flagged
    itself (its place in the sequence is unknown)."""
    sw = d["SWEpisodes"]
    return {"SWEpisodes": open_before_latest(d) & sw.date("SW_DECOM").notna()}


@rule("SW09STG2")
def sw_episode_same_day(d):
    """An episode that ends on the day it starts lasted under 24 hours.

    The known implementation compares the two cells as text; the DfE message is about the
    dates, so we compare parsed dates: '1/1/2024' and '01/01/2024' are the same day, and
    two identical non-dates are not flagged (SW04/SW05 report them)."""
    sw = d["SWEpisodes"]
    return {"SWEpisodes": sw.date("SW_DEC") == sw.date("SW_DECOM")}


def overlaps_previous(d) -> pd.Series:
    """Rows whose SW_DECOM is before the SW_DEC of the child's previous episode (order:
    SW_DECOM then SW_DEC). Missing dates never count as an overlap."""
    sw = d["SWEpisodes"]
    start, end = sw.date("SW_DECOM"), sw.date("SW_DEC")
    prev, _ = sw_neighbours(sw["CHILD"], start, end)
    return start < at(end, prev)


@rule("SW10STG2")
def sw_episode_starts_after_previous_ended(d):
    """A new episode must not start before the previous one ended.

    Follows the DfE message, not the known implementation (which checks that the start is
    within 7 days either side of the previous end, so it also flags gaps, lets overlaps of
    up to 7 days pass and flags every row after an open episode). We flag a start strictly
    before the previous episode's end date; starting on the end day is a handover. A
    previous episode with no end is left to SW08STG2, a missing start to SW04STG1."""
    return {"SWEpisodes": overlaps_previous(d)}


@rule("SW11aSTG2")
def sw_episode_ended_early_without_successor(d):
    """An episode that ended on or before 26 March (collection_end - 5 days) needs a next
    episode for the child starting within 5 days of that end.

    Follows the DfE message: the known implementation reports only the row *after* such an
    episode, so a child whose last episode simply ended (nothing after it) was never
    reported. We report the ended episode itself, when no other episode of the child starts
    within 5 days either side of its SW_DEC."""
    sw = d["SWEpisodes"]
    ended = sw.date("SW_DEC") <= d.collection_end - pd.Timedelta(days=5)
    return {"SWEpisodes": no_follow_on(d, ended)}


@rule("SW11bSTG2")
def sw_episode_ended_late_without_successor(d):
    """An episode that ended in the last days of the year (26-30 March) needs a next episode
    for the child starting within 5 days of that end.

    Follows the DfE message (and the evident intent the spec describes) instead of the
    known implementation's three-part union, which flags any episode ending in the window
    that is not the child's earliest, even when an episode follows it. An episode ending on
    31 March itself is not flagged: the message says "before 31 March"."""
    sw = d["SWEpisodes"]
    end = sw.date("SW_DEC")
    ended = (end >= d.collection_end - pd.Timedelta(days=5)) & (end < d.collection_end)
    return {"SWEpisodes": no_follow_on(d, ended)}


@rule("SW14STG2")
def only_latest_sw_episode_open(d):
    """Only the child's latest episode (by SW_DECOM, missing last, ties in file order) may
    have no valid end date; an unparseable SW_DEC counts as blank."""
    return {"SWEpisodes": open_before_latest(d)}


# --- social work while in care ---------------------------------------------------------------

def sw_cover_care_in_year(d) -> pd.Series:
    """Open (31 March) Episodes rows of children whose social worker episodes do not reach
    back to the first day the child was looked after in the year (collection_start when
    that day is unknown, e.g. an unparseable DECOM)."""
    e, sw = d["Episodes"], d["SWEpisodes"]
    in_year = (~isin(e["LS"], ("V3", "V4")) & (e.date("DECOM") <= d.collection_end)
               & (e.date("DEC").isna() | (e.date("DEC") >= d.collection_start)))
    care_from = (e.date("DECOM")[in_year].groupby(e["CHILD"][in_year]).min()
                 .clip(lower=d.collection_start))
    sw_from = sw.date("SW_DECOM").groupby(sw["CHILD"]).min()
    # A child in care on 31 March whose start of care in the year is unknown (no in-year
    # episode with a valid DECOM) needs social work from collection_start.
    needed = care_from.reindex(e["CHILD"].to_numpy()).fillna(d.collection_start).to_numpy()
    earliest = sw_from.reindex(e["CHILD"].to_numpy()).to_numpy()
    covered = pd.Series(earliest <= needed, index=e.index)  # NaT compares False
    return open_care_episodes(d) & ~covered


@rule("SW12STG2")
def sw_episodes_cover_year_in_care(d):
    """A child in care on 31 March must have social worker episodes reported from (at
    least) the first day it was looked after in the year: its earliest valid SW_DECOM must
    be on or before max(collection_start, earliest DECOM of its episodes in the year).

    The known implementation does not check that the child is in care on 31 March and
    tests each social worker episode against each episode that starts or ends care, so an
    open episode whose RNE is not 'S' is always flagged and an SW episode from before care
    counts against the child (contrary to "even those whilst they were not looked after").
    Following the DfE message we flag the child's open Episodes row(s) when it has no
    social worker episode, or its social worker history starts after it was already
    looked after in the year (some of the year's episodes are missing)."""
    return {"Episodes": sw_cover_care_in_year(d)}
