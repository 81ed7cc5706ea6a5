"""This year's first episode against the episode left open at the end of last year's return.

Shared helpers (usable by other rules): ``first_episodes`` / ``final_episodes`` pick one
episode per child, ``carried_over`` pairs this year's first episode with last year's final one,
and ``open_episode_differs`` is the whole 503 family.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import rule
from ..common import episodes_sorted

# Pairs (last year's PLACE, this year's PLACE) the DfE accepted for one collection year only,
# when placement codes were re-coded: H5 became K3 in 2023/24 (accepted 2023/24 and 2024/25)
# and Z1 was split into Z11-Z14 in 2025/26.
PLACE_RECODED = {
    "2023/24": {("H5", "K3")},
    "2024/25": {("H5", "K3")},
    "2025/26": {("Z1", "Z11"), ("Z1", "Z12"), ("Z1", "Z13"), ("Z1", "Z14")},
}
_SEP = "\x1f"


def _one_per_child(d, name: str, latest: bool) -> pd.DataFrame:
    """CHILD and row position of each child's episode with the earliest (or latest) valid DECOM;
    children with no valid DECOM are left out. Ties on DECOM follow the shared episode order
    (``common.episodes_sorted``: DEC, an open episode last, then the rows' text), never file
    order: the first of that order is the first episode, the last of it the final one."""
    t = d[name]
    order = episodes_sorted(d, name)
    valid = t.date("DECOM").notna().to_numpy()[order["pos"].to_numpy()]
    return order.loc[valid, ["CHILD", "pos"]].drop_duplicates("CHILD", keep="last" if latest else "first")


def first_episodes(d, name: str = "Episodes") -> pd.DataFrame:
    """Each child's first episode of the table (earliest valid DECOM): columns CHILD, pos."""
    return d.memo(f"last_year:first:{name}", lambda: _one_per_child(d, name, latest=False))


def final_episodes(d, name: str = "Episodes_last") -> pd.DataFrame:
    """Each child's final episode of the table (latest valid DECOM): columns CHILD, pos."""
    return d.memo(f"last_year:final:{name}", lambda: _one_per_child(d, name, latest=True))


def carried_over(d) -> pd.DataFrame:
    """For each child in both years: ``cur`` (position of this year's first episode), ``prev``
    (position of last year's final episode), ``dec_missing`` (that final episode's DEC blank or
    unparseable) and ``dec_blank`` (its DEC text blank)."""
    def compute():
        last = d["Episodes_last"]
        pairs = first_episodes(d).merge(final_episodes(d), on="CHILD", suffixes=("_cur", "_prev"))
        prev = pairs["pos_prev"].to_numpy()
        return pd.DataFrame({"CHILD": pairs["CHILD"].to_numpy(), "cur": pairs["pos_cur"].to_numpy(),
                             "prev": prev, "dec_missing": last.date("DEC").isna().to_numpy()[prev],
                             "dec_blank": last.blank("DEC").to_numpy()[prev]})
    return d.memo("last_year:carried_over", compute)


def pair_values(d, col: str, pairs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """``col`` of this year's first episode and of last year's final episode, for each pair."""
    return (d["Episodes"][col].to_numpy()[pairs["cur"].to_numpy()],
            d["Episodes_last"][col].to_numpy()[pairs["prev"].to_numpy()])


def open_episode_differs(d, col: str, accepted: set[tuple[str, str]] = frozenset()) -> dict:
    """The 503 family: flag this year's first episode when last year's final episode was still
    open (DEC blank or unparseable) and ``col`` differs as text (blank equals blank). A child
    with no valid DECOM in either year is skipped (the spec's notes: the known implementation
    fails the whole rule there).
    ``accepted`` holds (last year, this year) value pairs that are not a mismatch."""
    pairs = carried_over(d)
    pairs = pairs[pairs["dec_missing"].to_numpy()]
    cur, prev = pair_values(d, col, pairs)
    bad = cur != prev
    if accepted:
        keys = pd.Series(prev, dtype=object) + _SEP + pd.Series(cur, dtype=object)
        bad &= ~keys.isin([a + _SEP + b for a, b in accepted]).to_numpy()
    return {"Episodes": pairs["cur"].to_numpy()[bad]}


def tenths(miles: np.ndarray) -> np.ndarray:
    """Distances as whole tenths of a mile, so 0.2 differences are exact (NaN stays NaN)."""
    return np.round(np.asarray(miles, dtype=float) * 10)


@rule("502")
def open_episode_start_matches(d):
    """Every episode left open (DEC blank) in last year's return must have started on the day
    this year's first episode starts. Any DEC text, even an invalid date, counts as closed; an
    unparseable last-year DECOM counts as different."""
    last = d["Episodes_last"]
    open_rows = last.blank("DEC").to_numpy()
    prev = pd.DataFrame({"CHILD": last["CHILD"].to_numpy()[open_rows],
                         "DECOM_prev": last.date("DECOM").to_numpy()[open_rows]})
    first = first_episodes(d).merge(prev, on="CHILD")
    decom = d["Episodes"].date("DECOM").to_numpy()[first["pos"].to_numpy()]
    bad = ~(decom == first["DECOM_prev"].to_numpy())
    return {"Episodes": first["pos"].to_numpy()[bad]}


@rule("503A")
def open_episode_rne_matches(d):
    """RNE of this year's first episode must carry on from last year's open episode."""
    return open_episode_differs(d, "RNE")


@rule("503B")
def open_episode_ls_matches(d):
    """LS of this year's first episode must carry on from last year's open episode."""
    return open_episode_differs(d, "LS")


@rule("503C")
def open_episode_cin_matches(d):
    """CIN of this year's first episode must carry on from last year's open episode."""
    return open_episode_differs(d, "CIN")


def open_episode_place_differs(d) -> dict:
    """503D in every version: PLACE must carry on, except the re-coding the DfE accepted in the
    collection year (H5 -> K3 in 2023/24 and 2024/25, Z1 -> Z11-Z14 in 2025/26, none otherwise)."""
    return open_episode_differs(d, "PLACE", PLACE_RECODED.get(d.year, set()))


@rule("503D")
def open_episode_place_matches(d):
    """PLACE of this year's first episode must carry on from last year's open episode. The 2022/23
    version has no exception in 2022/23; it is still the version in force in 2023/24, when the
    shared logic accepts H5 -> K3 (that year's re-coding)."""
    return open_episode_place_differs(d)


@rule("503E")
def open_episode_provider_matches(d):
    """PLACE_PROVIDER of this year's first episode must carry on from last year's open episode."""
    return open_episode_differs(d, "PLACE_PROVIDER")


@rule("503F")
def open_episode_urn_matches(d):
    """URN of this year's first episode must carry on from last year's open episode."""
    return open_episode_differs(d, "URN")


def distance_disagrees(d, pairs: pd.DataFrame) -> np.ndarray:
    """503G and 453: both distances present and 0.2 miles or more apart, or last year's blank
    and this year's present (this year's blank against last year's value passes, as the rules
    say). Distances are compared in whole tenths, so exactly 0.2 always counts."""
    cur, prev = (tenths(v) for v in pair_values(d, "PL_DISTANCE", pairs))
    return (np.abs(cur - prev) >= 2) | (np.isnan(prev) & ~np.isnan(cur))


@rule("503G")
def open_episode_distance_matches(d):
    """The placement distance (derived from HOME_POST and PL_POST) must carry on from last year's
    open episode (see ``distance_disagrees``)."""
    pairs = carried_over(d)
    pairs = pairs[pairs["dec_missing"].to_numpy()]
    return {"Episodes": pairs["cur"].to_numpy()[distance_disagrees(d, pairs)]}


@rule("503H")
def open_episode_placement_la_matches(d):
    """PL_LA (derived from PL_POST) of this year's first episode must carry on from last year's
    open episode; a postcode not found gives a blank PL_LA, which differs from any value."""
    return open_episode_differs(d, "PL_LA")


@rule("503J")
def open_episode_placement_location_matches(d):
    """PL_LOCATION (IN/OUT, derived from PL_POST and the local authority) of this year's first
    episode must carry on from last year's open episode."""
    return open_episode_differs(d, "PL_LOCATION")


def same_episode_carried_over(d, open_col: str) -> pd.DataFrame:
    """Pairs where last year's final episode was open (``open_col``) and both have the same
    non-blank RNE: the same episode seen in both returns (rules 452, 453)."""
    pairs = carried_over(d)
    pairs = pairs[pairs[open_col].to_numpy()]
    cur, prev = pair_values(d, "RNE", pairs)
    same = (cur == prev) & (cur != "")
    return pairs[same]


@rule("452")
def carried_over_placement_la_agrees(d):
    """An episode carried over from last year (last year's final episode had a blank DEC, same
    RNE) must keep its placement LA (PL_LA, derived from PL_POST; blank equals blank).
    As the rule says, an unparseable last-year DEC counts as closed here (unlike rule 453).
    Ties on DECOM are broken by the shared order (``first_episodes``), not by file order as
    the spec says, so findings do not depend on row order (issue 8)."""
    pairs = same_episode_carried_over(d, "dec_blank")
    cur, prev = pair_values(d, "PL_LA", pairs)
    return {"Episodes": pairs["cur"].to_numpy()[cur != prev]}


@rule("453")
def carried_over_distance_agrees(d):
    """An episode carried over from last year (last year's final episode open, DEC blank or
    unparseable, same non-blank RNE) must keep its placement distance (see
    ``distance_disagrees``). Ties on DECOM are broken by the shared order
    (``first_episodes``), not by file order as the spec says (issue 8)."""
    pairs = same_episode_carried_over(d, "dec_missing")
    return {"Episodes": pairs["cur"].to_numpy()[distance_disagrees(d, pairs)]}
