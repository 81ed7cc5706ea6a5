"""Social worker episodes (SWEpisodes), first collected in 2023/24.

Shared helpers other social worker rules (and later years' versions) import:
``neighbours`` (previous/next row of the same child in a chosen order),
``at`` (values of those neighbours), ``open_care_episodes`` (episodes open on
31 March), ``placeholder_date_valid`` (dd/mm/yyyy allowing ZZ parts) and
``lenient_dates`` (day-first dates in any layout, where a rule's spec reads them so).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...prepare.dates import parse_dates
from .. import rule
from ..common import child_codes, child_in, child_numbers, isin, once_per_value, pairs_by_number, row_rank

SW_REASONS = ("MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "SWDIED", "OTHERS")


# --- helpers -----------------------------------------------------------------------------

def neighbours(d, name: str, *keys: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of the previous and next row of the same CHILD when each child's rows
    of table ``name`` are ordered by ``keys`` (missing values after dates at each level),
    then by the rows' text (``row_rank``), so ties never depend on file order; -1 where
    there is none. A blank CHILD is its own child (see ``Table``), so it has no neighbours."""
    t = d[name]
    n = len(t)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    arrays = [k.to_numpy() for k in keys]
    if all(a.dtype.kind in "Mbiuf" for a in arrays):  # dates or numbers: missing ones sort last, as below
        pos = np.lexsort((np.arange(n), row_rank(d, name), *reversed(arrays), child_codes(d, name)))
        c = child_codes(d, name)[pos]
    else:
        cols = {"c": t["CHILD"].to_numpy()}
        cols.update({f"k{i}": k for i, k in enumerate(arrays)})
        cols["rank"] = row_rank(d, name)
        cols["pos"] = np.arange(n)
        df = pd.DataFrame(cols).sort_values(list(cols), na_position="last", kind="stable")
        c, pos = df["c"].to_numpy(), df["pos"].to_numpy()
    same = c[1:] == c[:-1]
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


@once_per_value
def placeholder_date_valid(text: pd.Series) -> pd.Series:
    """True where ``text`` is dd/mm/yyyy in which the day or month may be 'ZZ' and the year
    'ZZZZ' and, with a real value put in each placeholder, a real calendar date."""
    m = text.str.extract(r"^(ZZ|\d{1,2})/(ZZ|\d{1,2})/(ZZZZ|\d{4})$")
    # January and the leap year 2000 make every day number that can exist valid.
    filled = (m[0].where(m[0] != "ZZ", "01") + "/" + m[1].where(m[1] != "ZZ", "01") + "/"
              + m[2].where(m[2] != "ZZZZ", "2000"))
    return parse_dates(filled.fillna("")).notna()


@once_per_value
def lenient_dates(text: pd.Series) -> pd.Series:
    """Dates read day first in any layout pandas recognises (dd/mm/yyyy, yyyy-mm-dd, ...),
    for the rules whose spec reads them so; what cannot be read is NaT."""
    out = parse_dates(text).copy()
    for fmt, dayfirst in (("%Y-%m-%d", False), ("mixed", True)):  # ISO first: never day-first
        rest = out.isna() & (text.str.strip() != "")
        if rest.any():
            out[rest] = pd.to_datetime(text[rest].str.strip(), format=fmt, dayfirst=dayfirst, errors="coerce")
    return out


def lenient_column(d, name: str, col: str) -> pd.Series:
    """``lenient_dates`` of a column of table ``name``, once per run."""
    return d.memo(f"lenient_dates:{name}:{col}", lambda: lenient_dates(d[name][col]))


# --- completeness and codes --------------------------------------------------------------

@rule("SW01STG1")
def social_worker_info_for_child_in_care(d):
    """A child in care on 31 March (an open, non-short-break episode) needs complete social
    worker rows: its open episode is reported when the child has no SWEpisodes row, or any
    of its rows lacks SW_ID, SW_DECOM or SW_REASON. The Episodes row is what is reported,
    as the spec's logic says (the known implementation mislabels it as an SWEpisodes row)."""
    e, sw = d["Episodes"], d["SWEpisodes"]
    incomplete = sw.blank("SW_ID") | sw.blank("SW_DECOM") | sw.blank("SW_REASON")
    lacking = ~child_in(d, "Episodes", "SWEpisodes") | child_in(d, "Episodes", "SWEpisodes", incomplete)
    return {"Episodes": open_care_episodes(d) & lacking}


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
    """Rows with no valid SW_DEC that are not their child's latest episode by SW_DECOM
    (missing starts last; ties by the rows' text, not file order)."""
    sw = d["SWEpisodes"]
    _, nxt = neighbours(d, "SWEpisodes", sw.date("SW_DECOM"))
    return pd.Series(nxt >= 0, index=sw.index) & sw.date("SW_DEC").isna()


@rule("SW08STG2")
def previous_sw_episode_ended(d):
    """Every episode but the child's latest (by SW_DECOM, missing starts last, so such a
    row counts as the latest) must have ended; a row whose own start is missing is never
    flagged. Ties on SW_DECOM are ordered by the rows' text instead of file order."""
    sw = d["SWEpisodes"]
    return {"SWEpisodes": open_before_latest(d) & sw.date("SW_DECOM").notna()}


@rule("SW09STG2")
def sw_episode_same_day(d):
    """SW_DEC and SW_DECOM both given and identical as text (not parsed: '1/1/2024' and
    '01/01/2024' differ, two identical non-dates are flagged), as the spec's logic says."""
    sw = d["SWEpisodes"]
    both = ~sw.blank("SW_DEC") & ~sw.blank("SW_DECOM")
    return {"SWEpisodes": both & (sw["SW_DEC"] == sw["SW_DECOM"])}


def outside_week_of_previous_end(d) -> pd.Series:
    """Rows that have a previous row of the same child (order: SW_DECOM, then SW_DEC,
    missing last) and do not start within 7 days either side of its SW_DEC; a missing
    start or previous end fails the test."""
    sw = d["SWEpisodes"]
    start, end = sw.date("SW_DECOM"), sw.date("SW_DEC")
    prev, _ = neighbours(d, "SWEpisodes", start, end)
    prev_end = at(end, prev)
    week = pd.Timedelta(days=7)
    inside = (start >= prev_end - week) & (start <= prev_end + week)
    return pd.Series(prev >= 0, index=sw.index) & ~inside


@rule("SW10STG2")
def sw_episode_starts_near_previous_end(d):
    """Each episode after the child's first must start within 7 days either side of the
    previous episode's end (so gaps over a week, longer overlaps and episodes after an
    open one are flagged), as the spec's logic says."""
    return {"SWEpisodes": outside_week_of_previous_end(d)}


def previous_by_start(d):
    """(SW_DECOM, SW_DEC, previous row's position) with rows ordered by SW_DECOM alone."""
    sw = d["SWEpisodes"]
    start, end = sw.date("SW_DECOM"), sw.date("SW_DEC")
    prev, _ = neighbours(d, "SWEpisodes", start)
    return start, end, prev


@rule("SW11aSTG2")
def sw_episode_after_early_end(d):
    """When the child's previous episode (by SW_DECOM) ended on or before collection_end
    minus 5 days, the next episode must start within 5 days either side of that end. The
    next episode is the one reported; a last episode with nothing after it is not."""
    start, end, prev = previous_by_start(d)
    prev_end = at(end, prev)
    days = pd.Timedelta(days=5)
    ended_early = prev_end <= d.collection_end - days
    near = (start >= prev_end - days) & (start <= prev_end + days)
    return {"SWEpisodes": ended_early & ~near}


@rule("SW11bSTG2")
def sw_episode_ending_late(d):
    """Episodes ending in the last 6 days of the year (collection_end minus 5 days to
    collection_end), the union of the spec's three cases: (a) the next episode (by
    SW_DECOM) after one ending then has no valid start; (b) a child's only episode ends
    then; (c) an episode ending then is not the child's earliest-starting one (its
    predecessor starts before that end). Ties on SW_DECOM are ordered by the rows' text."""
    sw = d["SWEpisodes"]
    start, end, prev = previous_by_start(d)
    in_window = (end >= d.collection_end - pd.Timedelta(days=5)) & (end <= d.collection_end)
    after_window_end = at(in_window, prev).fillna(False).astype(bool) & start.isna()
    only_row = ~sw["CHILD"].duplicated(keep=False) & in_window
    not_earliest = in_window & start.notna() & (at(start, prev) < end)
    return {"SWEpisodes": after_window_end | only_row | not_earliest}


@rule("SW14STG2")
def only_latest_sw_episode_open(d):
    """Only the child's latest episode (by SW_DECOM, missing last, ties by the rows' text)
    may have no valid end date; an unparseable SW_DEC counts as blank."""
    return {"SWEpisodes": open_before_latest(d)}


# --- social work while in care ---------------------------------------------------------------

def sw_history_fails(d, candidates: pd.Series) -> np.ndarray:
    """Positions of candidate Episodes rows for which some social worker episode of the
    child (or the lack of any) passes neither test: (i) REC not 'X1' and SW_DECOM on or
    before DEC, (ii) RNE 'S' and SW_DECOM on or after DECOM. Missing dates fail a test."""
    e, sw = d["Episodes"], d["SWEpisodes"]
    child, decom, dec = child_numbers(d, "Episodes"), e.date("DECOM").to_numpy(), e.date("DEC").to_numpy()
    starts, ends = (e["RNE"] == "S").to_numpy(), (e["REC"] != "X1").to_numpy()
    pos = np.flatnonzero(candidates.to_numpy())
    i, j = pairs_by_number(child[pos], child_numbers(d, "SWEpisodes"), keep_left=True)
    pos = pos[i]
    started = np.full(len(j), np.datetime64("NaT"), dtype="datetime64[ns]")  # no social worker episode: NaT
    started[j >= 0] = sw.date("SW_DECOM").to_numpy()[j[j >= 0]]
    ok = (ends[pos] & (started <= dec[pos])) | (starts[pos] & (started >= decom[pos]))
    return np.unique(pos[~ok])


def sw12_candidates(d) -> pd.Series:
    """Episodes that start or end care (RNE 'S', or REC other than 'X1', blank included),
    short breaks (LS V3/V4) excepted."""
    e = d["Episodes"]
    return ~isin(e["LS"], ("V3", "V4")) & ((e["RNE"] == "S") | (e["REC"] != "X1"))


@rule("SW12STG2")
def sw_episodes_cover_care(d):
    """Each episode that starts or ends care (RNE 'S' or REC not 'X1'; not a short break)
    is checked against every social worker episode of the child, as the spec's logic says:
    one that neither starts by the episode's end (REC not X1) nor starts on or after its
    start (RNE S) flags it, and so does having none. An open episode not starting care
    therefore always fails, which the spec records."""
    return {"Episodes": sw_history_fails(d, sw12_candidates(d))}
