"""When care started: episodes begun before this collection year against last year's return,
and the previous permanence option (PrevPerm) against the start of care.

Shared helper (usable by other rules): ``resolve_date_perm`` reads DATE_PERM with its ZZ
placeholders as the latest date it can mean, telling whether the year is known.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import rule
from .last_year import final_episodes, first_episodes

# Previous permanence options are only collected for children who started to be looked after
# from this date (the DfE message of 634).
PREV_PERM_FROM = pd.Timestamp(2016, 4, 1)
PREV_PERM_ITEMS = ("PREV_PERM", "LA_PERM", "DATE_PERM")


@rule("NoE")
def child_in_last_years_episodes(d):
    """An episode begun before collection_start (valid DECOM) of a child absent from last
    year's Episodes. Blank or unparseable DECOM passes."""
    e, last = d["Episodes"], d["Episodes_last"]
    before = e.date("DECOM") < d.collection_start
    return {"Episodes": before & ~e["CHILD"].isin(set(last["CHILD"]))}


@rule("562")
def carried_over_episode_in_last_year(d):
    """The child's latest episode begun before collection_start (latest valid DECOM, first in
    file order on a tie) must be last year's final episode: its DECOM must equal the latest
    valid DECOM of the child's episodes last year. Flagged when it differs or the child has no
    valid DECOM last year.

    The known implementation tests the earliest such episode, so when the file also holds an
    older episode that began before the year, the correct carried-over episode is flagged
    (the DfE message is about the continuous episode missing last year); the latest one is the
    one continuing into this year, so that case passes here."""
    e, last = d["Episodes"], d["Episodes_last"]
    decom = e.date("DECOM")
    rows = np.flatnonzero((decom < d.collection_start).to_numpy())
    pre = (pd.DataFrame({"CHILD": e["CHILD"].to_numpy()[rows], "DECOM": decom.to_numpy()[rows], "pos": rows})
           .sort_values(["CHILD", "DECOM", "pos"], ascending=[True, False, True], kind="stable")
           .drop_duplicates("CHILD"))
    final = final_episodes(d, "Episodes_last")
    last_decom = pd.Series(last.date("DECOM").to_numpy()[final["pos"].to_numpy()], index=final["CHILD"].to_numpy())
    expected = last_decom.reindex(pre["CHILD"].to_numpy()).to_numpy()
    return {"Episodes": pre["pos"].to_numpy()[pre["DECOM"].to_numpy() != expected]}


@rule("630")
def previous_permanence_returned(d):
    """A child starting a period of care this year (RNE 'S', valid DECOM on or after
    collection_start) needs its previous permanence option: flagged when the child has no
    PrevPerm row or a PrevPerm row with PREV_PERM blank.

    Follows the DfE message, which only asks for the option: the known implementation also
    demands LA_PERM and DATE_PERM for options other than Z1 (overlapping the rules on those
    items, and LA_PERM is often legitimately blank); that case passes here."""
    e, p = d["Episodes"], d["PrevPerm"]
    starts = (e["RNE"] == "S") & (e.date("DECOM") >= d.collection_start)
    known = ~p.blank("CHILD")
    has_row = e["CHILD"].isin(set(p["CHILD"][known]))
    option_blank = e["CHILD"].isin(set(p["CHILD"][known & p.blank("PREV_PERM")]))
    return {"Episodes": starts & (~has_row | option_blank)}


def resolve_date_perm(values: pd.Series) -> pd.DataFrame:
    """DATE_PERM text as dd/mm/yyyy with 'ZZ' for an unknown day or month and 'ZZZZ' for an
    unknown year (no surrounding spaces). Columns: ``valid`` (the text reads as such a date),
    ``date`` (the latest day it can mean: unknown day -> last day of the month, unknown month
    -> December, unknown year -> 2000, a leap year), ``year_known``."""
    m = values.astype(object).str.extract(r"^(ZZ|\d{1,2})/(ZZ|\d{1,2})/(ZZZZ|\d{4})$")
    year_known = m[2].notna() & (m[2] != "ZZZZ")
    year = pd.to_numeric(m[2].where(year_known, "2000"), errors="coerce")
    month = pd.to_numeric(m[1].where(m[1] != "ZZ", "12"), errors="coerce")
    day_zz = m[0] == "ZZ"
    day = pd.to_numeric(m[0].where(~day_zz, "1"), errors="coerce")
    date = pd.to_datetime({"year": year, "month": month, "day": day}, errors="coerce")
    date = date.where(~day_zz, date + pd.offsets.MonthEnd(0))
    date = date.where(m[0].notna())
    return pd.DataFrame({"valid": date.notna(), "date": date, "year_known": year_known}, index=values.index)


@rule("632")
def previous_permanence_date_valid_and_before_care(d):
    """DATE_PERM, when given, must read as a date (ZZ placeholders allowed) before the child's
    first episode (earliest valid DECOM). Both the PrevPerm row and that episode are flagged;
    PrevPerm rows of children without such an episode are not checked.

    Departs from the known implementation's placeholder reading, as its notes suggest: a known
    day with an unknown month (05/ZZ/2020) is read as the latest date it can mean (05/12/2020,
    not 04/01/2021), and when the year is unknown (ZZZZ) the value is valid but not compared
    with DECOM (the implementation substitutes 2000 and compares)."""
    e, p = d["Episodes"], d["PrevPerm"]
    first = first_episodes(d, "Episodes")
    first = first[first["CHILD"] != ""]
    first_decom = pd.Series(e.date("DECOM").to_numpy()[first["pos"].to_numpy()], index=first["CHILD"].to_numpy())
    perm = resolve_date_perm(p["DATE_PERM"])
    decom = pd.Series(first_decom.reindex(p["CHILD"].to_numpy()).to_numpy(), index=p.index)
    bad = decom.notna() & ~p.blank("DATE_PERM") & (
        ~perm["valid"] | (perm["year_known"] & (perm["date"] >= decom)))
    first_pos = pd.Series(first["pos"].to_numpy(), index=first["CHILD"].to_numpy())
    return {"PrevPerm": bad, "Episodes": np.unique(first_pos.reindex(p["CHILD"][bad].to_numpy()).to_numpy().astype(np.int64))}


@rule("634")
def previous_permanence_only_since_2016(d):
    """Previous permanence entries (any of PREV_PERM, LA_PERM, DATE_PERM) for a child whose
    latest episode (latest valid DECOM) began before 1 April 2016: the child has not started to
    be looked after since then. The PrevPerm row and every episode of the child are flagged.

    Follows the DfE message's date: the known implementation compares with collection_start
    instead, flagging every child whose episodes all began before this collection year.
    Children without a valid DECOM are not flagged."""
    e, p = d["Episodes"], d["PrevPerm"]
    decom = e.date("DECOM")
    keep = ~e.blank("CHILD")
    latest = decom[keep].groupby(e["CHILD"][keep].to_numpy()).max()
    old = set(latest.index[(latest < PREV_PERM_FROM).to_numpy()])
    given = pd.Series(False, index=p.index)
    for col in PREV_PERM_ITEMS:
        given |= ~p.blank(col)
    flagged = given & p["CHILD"].isin(old)
    return {"PrevPerm": flagged, "Episodes": keep & e["CHILD"].isin(set(p["CHILD"][flagged]))}
