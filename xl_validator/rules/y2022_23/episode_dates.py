"""When care started: episodes begun before this collection year against last year's return,
and the previous permanence option (PrevPerm) against the start of care.

Shared helper (usable by other rules): ``resolve_date_perm`` reads DATE_PERM with its ZZ
placeholders the way rule 632 specifies.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import rule
from ..common import child_in, child_numbers, child_sort_key, once_per_value
from .last_year import final_episodes, first_episodes

PREV_PERM_ITEMS = ("PREV_PERM", "LA_PERM", "DATE_PERM")


@rule("NoE")
def child_in_last_years_episodes(d):
    """An episode begun before collection_start (valid DECOM) of a child absent from last
    year's Episodes. Blank or unparseable DECOM passes."""
    e, last = d["Episodes"], d["Episodes_last"]
    before = e.date("DECOM") < d.collection_start
    return {"Episodes": before & ~child_in(d, "Episodes", "Episodes_last")}


@rule("562")
def carried_over_episode_in_last_year(d):
    """The child's earliest episode begun before collection_start (earliest valid DECOM; on a
    tie the first in the shared order, ``common.episodes_sorted``) must be last year's final
    episode: its DECOM must equal the latest valid DECOM of the child's episodes last year.
    Flagged when it differs or the child has no valid DECOM last year (the spec's notes: the
    known implementation crashes there; such a child has no episode last year)."""
    e, last = d["Episodes"], d["Episodes_last"]
    first = first_episodes(d, "Episodes")
    pos = first["pos"].to_numpy()
    decom = e.date("DECOM").to_numpy()[pos]
    pre = decom < d.collection_start
    final = final_episodes(d, "Episodes_last")
    last_decom = pd.Series(last.date("DECOM").to_numpy()[final["pos"].to_numpy()], index=final["CHILD"].to_numpy())
    expected = last_decom.reindex(first["CHILD"].to_numpy()[pre]).to_numpy()
    return {"Episodes": pos[pre][decom[pre] != expected]}


@rule("630")
def previous_permanence_returned(d):
    """A child starting a period of care this year (RNE 'S', valid DECOM on or after
    collection_start) needs its previous permanence option: flagged when the child has no
    PrevPerm row, a PrevPerm row with PREV_PERM blank, or one with an option other than Z1
    and LA_PERM or DATE_PERM blank."""
    e, p = d["Episodes"], d["PrevPerm"]
    starts = (e["RNE"] == "S") & (e.date("DECOM") >= d.collection_start)
    incomplete = p.blank("PREV_PERM") | ((p["PREV_PERM"] != "Z1") & (p.blank("LA_PERM") | p.blank("DATE_PERM")))
    has_row = child_in(d, "Episodes", "PrevPerm")
    return {"Episodes": starts & (~has_row | child_in(d, "Episodes", "PrevPerm", incomplete))}


@once_per_value
def resolve_date_perm(values: pd.Series) -> pd.Series:
    """DATE_PERM text as dd/mm/yyyy with 'ZZ' for an unknown day or month and 'ZZZZ' for an
    unknown year (no surrounding spaces), resolved as the spec's 632 says: an unknown day is
    the month's last day; an unknown month is January (an unknown day the 1st) plus a year
    less a day (ZZ/ZZ/2019 -> 31/12/2019, 05/ZZ/2020 -> 04/01/2021); an unknown year is 2000.
    NaT where the text does not resolve to a real date."""
    m = values.astype(object).str.extract(r"^(ZZ|\d{1,2})/(ZZ|\d{1,2})/(ZZZZ|\d{4})$")
    year = pd.to_numeric(m[2].where(m[2] != "ZZZZ", "2000"), errors="coerce")
    month_zz, day_zz = m[1] == "ZZ", m[0] == "ZZ"
    month = pd.to_numeric(m[1].where(~month_zz, "1"), errors="coerce")
    day = pd.to_numeric(m[0].where(~day_zz, "1"), errors="coerce")
    date = pd.to_datetime({"year": year, "month": month, "day": day}, errors="coerce")
    date = date.where(~(day_zz & ~month_zz), date + pd.offsets.MonthEnd(0))
    date = date.where(~month_zz, date + pd.DateOffset(years=1) - pd.Timedelta(days=1))
    return date.where(m[0].notna())


@rule("632")
def previous_permanence_date_valid_and_before_care(d):
    """DATE_PERM, when given, must resolve to a date (``resolve_date_perm``, ZZ placeholders
    allowed) before the child's first episode (earliest valid DECOM; on a tie the first in the
    shared order). Both the PrevPerm row and that episode are flagged; PrevPerm rows of
    children without such an episode are not checked."""
    e, p = d["Episodes"], d["PrevPerm"]
    first = first_episodes(d, "Episodes")
    first_decom = pd.Series(e.date("DECOM").to_numpy()[first["pos"].to_numpy()], index=first["CHILD"].to_numpy())
    perm = resolve_date_perm(p["DATE_PERM"])
    decom = pd.Series(first_decom.reindex(p["CHILD"].to_numpy()).to_numpy(), index=p.index)
    bad = decom.notna() & ~p.blank("DATE_PERM") & (perm.isna() | (perm >= decom))
    first_pos = pd.Series(first["pos"].to_numpy(), index=first["CHILD"].to_numpy())
    return {"PrevPerm": bad, "Episodes": np.unique(first_pos.reindex(p["CHILD"][bad].to_numpy()).to_numpy().astype(np.int64))}


@rule("634")
def previous_permanence_only_for_recent_starts(d):
    """Previous permanence entries (any of PREV_PERM, LA_PERM, DATE_PERM) for a child whose
    latest episode (latest valid DECOM) began before collection_start. The spec's logic uses
    collection_start, not the message's 1 April 2016. The PrevPerm row and every episode of
    the child are flagged; children without a valid DECOM are not."""
    e, p = d["Episodes"], d["PrevPerm"]
    decom = e.date("DECOM").to_numpy()
    child = child_numbers(d, "Episodes")
    given = pd.Series(False, index=p.index)
    for col in PREV_PERM_ITEMS:
        given |= ~p.blank(col)
    mine = child_numbers(d, "PrevPerm")
    # Each child's latest valid DECOM, by CHILD number (a missing CHILD is nobody's).
    known = ~np.isnat(decom) & ~np.isnan(child_sort_key(d, "Episodes"))
    order = np.lexsort((decom[known].view(np.int64), child[known]))
    c, v = child[known][order], decom[known][order]
    last = np.ones(len(c), dtype=bool)
    last[:-1] = c[1:] != c[:-1]
    latest = np.full(max(child.max(initial=-1), mine.max(initial=-1)) + 1, np.datetime64("NaT"), dtype=decom.dtype)
    latest[c[last]] = v[last]
    flagged = given & (latest[mine] < d.collection_start.to_datetime64())
    return {"PrevPerm": flagged, "Episodes": child_in(d, "Episodes", "PrevPerm", flagged)}
