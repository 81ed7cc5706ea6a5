"""Events in a child's care checked against the episodes: outcomes of children in care all
year (OC2), missing periods, motherhood, and the provider of P1 placements.

Shared helpers (usable by other rules): ``periods_of_care`` (each child's periods of care
built from its episodes) and ``latest_starting_by`` (for each row, the child's latest
interval that started on or before a date, without a cross join).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import rule
from ..common import add_years, isin
from .last_year import final_episodes
from .outcomes import birthday, is_cla


@rule("543")
def conviction_given_from_age_10(d):
    """A child in care all year (``common.continuously_looked_after``) who is 10 or over on
    collection_end needs CONVICTED. Follows the DfE message ('aged 10 or over at 31 March'): a
    10th birthday on collection_end itself is flagged (the known implementation requires it
    strictly before, unlike its rule 542). Unusable DOB passes."""
    oc2 = d["OC2"]
    flag = (birthday(oc2, 10) <= d.collection_end) & oc2.blank("CONVICTED") & is_cla(d, oc2)
    return {"OC2": flag}


@rule("546")
def no_health_check_from_age_5(d):
    """HEALTH_CHECK (any value, '0' included) given for a child 5 or over on collection_end.
    Follows the DfE message, which covers every child aged 5 or over: the known implementation
    only flags children in care all year, so it needed Episodes; here Episodes is not read and
    the rule runs on OC2 alone. Unusable DOB passes."""
    oc2 = d["OC2"]
    return {"OC2": (birthday(oc2, 5) <= d.collection_end) & ~oc2.blank("HEALTH_CHECK")}


@rule("550")
def pr0_only_with_p1(d):
    """Provider PR0 (the child's parent) goes with placement P1 only; blank PLACE flagged."""
    e = d["Episodes"]
    return {"Episodes": (e["PLACE_PROVIDER"] == "PR0") & (e["PLACE"] != "P1")}


# --- missing periods against episodes and periods of care -----------------------------------

def periods_of_care(d) -> pd.DataFrame:
    """Each child's periods of care from its episodes with a valid DECOM, in DECOM order: an
    episode starts a new period when it is the child's first or its DECOM is after the previous
    episode's DEC (a same-day start, an overlap or a missing previous DEC continues the period).
    Columns: CHILD, start (first DECOM), end (DEC of the period's last episode; NaT if open or
    unparseable). Blank CHILD left out."""
    def compute():
        e = d["Episodes"]
        decom, dec = e.date("DECOM"), e.date("DEC")
        rows = np.flatnonzero((decom.notna() & ~e.blank("CHILD")).to_numpy())
        df = pd.DataFrame({"CHILD": pd.Series(e["CHILD"].to_numpy()[rows], dtype=object),
                           "start": decom.to_numpy()[rows], "end": dec.to_numpy()[rows], "pos": rows})
        df = df.sort_values(["CHILD", "start", "pos"], kind="stable").reset_index(drop=True)
        first = ~df["CHILD"].eq(df["CHILD"].shift())
        new = first | (df["start"] > df["end"].shift())
        pid = new.cumsum()
        starts = df.loc[new.to_numpy(), ["CHILD", "start"]].reset_index(drop=True)
        ends = df["end"][~pid.eq(pid.shift(-1)).to_numpy()].reset_index(drop=True)
        return starts.assign(end=ends)
    return d.memo("care_events:periods_of_care", compute)


def latest_starting_by(keys: pd.Series, when: pd.Series, intervals: pd.DataFrame) -> pd.DataFrame:
    """For each row (CHILD ``keys``, date ``when``), the child's interval of ``intervals``
    (CHILD, start, other columns) with the latest start on or before ``when``. Returns the
    interval's other columns plus ``found``, indexed like ``keys``; rows with a blank CHILD or
    no valid ``when`` find nothing."""
    rows = np.flatnonzero((when.notna() & (keys != "")).to_numpy())
    left = pd.DataFrame({"CHILD": pd.Series(keys.to_numpy()[rows], dtype=object),
                         "start": when.to_numpy()[rows], "row": rows}).sort_values("start", kind="stable")
    right = intervals.assign(CHILD=intervals["CHILD"].astype(object), found=True).sort_values("start", kind="stable")
    matched = pd.merge_asof(left, right, on="start", by="CHILD", direction="backward")
    out = matched.drop(columns=["CHILD", "start"]).set_index("row").reindex(np.arange(len(keys)))
    out["found"] = out["found"].eq(True)
    return out.set_index(keys.index)


def _episode_intervals(d) -> pd.DataFrame:
    """Episodes with a valid DECOM as intervals: CHILD, start (DECOM), end (DEC, NaT if open or
    unparseable)."""
    e = d["Episodes"]
    decom = e.date("DECOM")
    rows = np.flatnonzero((decom.notna() & ~e.blank("CHILD")).to_numpy())
    return pd.DataFrame({"CHILD": pd.Series(e["CHILD"].to_numpy()[rows], dtype=object),
                         "start": decom.to_numpy()[rows], "end": e.date("DEC").to_numpy()[rows]})


@rule("575")
def missing_ends_when_placement_ends(d):
    """A missing period with no end (MIS_END blank) that began during a placement which has
    since ended (valid DEC on or after MIS_START). The placement the child went missing from
    is the child's episode with the latest DECOM on or before MIS_START.

    The known implementation matches any episode containing MIS_START with DEC inclusive, so
    a child going missing on the day of a change of placement is flagged through the episode
    that ended that day; following the DfE message ('the placement from which the child goes
    missing'), the new, open placement is the one the child went missing from and that case
    passes. An unparseable DEC counts as open."""
    m = d["Missing"]
    start = m.date("MIS_START")
    placement = latest_starting_by(m["CHILD"], start, _episode_intervals(d))
    ended = placement["found"] & (placement["end"] >= start)
    return {"Missing": ended & m.blank("MIS_END")}


@rule("577")
def missing_ends_when_care_ceases(d):
    """A missing period with no end (MIS_END blank, valid MIS_START) when the child has ceased
    to be looked after: the period of care in which it began (the child's latest period
    starting on or before MIS_START, see ``periods_of_care``) has an end date.

    Follows the DfE message, which is only about open missing periods after care ceased: the
    known implementation also flags closed missing periods ending outside every period of care
    and open ones starting before any care (covered by 578, 581 and others); those pass here.
    An unparseable MIS_END is not blank and is left to 1005."""
    m = d["Missing"]
    period = latest_starting_by(m["CHILD"], m.date("MIS_START"), periods_of_care(d))
    return {"Missing": period["found"] & period["end"].notna() & m.blank("MIS_END")}


@rule("578")
def missing_starts_before_care_ceases(d):
    """MIS_START after the end of the child's period of care in which it falls (the latest
    period starting on or before it): the child had ceased to be looked after. A start on the
    end date passes.

    Follows the DfE message ('after the child ceased to be looked after'): a start before the
    child's first period of care, which the known implementation also flags, is left to 581.
    Blank or unparseable MIS_START and children with no episodes are not flagged."""
    m = d["Missing"]
    start = m.date("MIS_START")
    period = latest_starting_by(m["CHILD"], start, periods_of_care(d))
    return {"Missing": period["found"] & (start > period["end"])}


@rule("581")
def missing_after_care_started(d):
    """A missing period of a child who had not yet started to be looked after: MIS_START
    before the child's earliest valid DECOM, or the child has no episode at all.

    Follows the DfE message. The known implementation flags instead any MIS_START outside
    every episode, including gaps between episodes and after care ended (578's business) and a
    blank MIS_START (1004/564's business), and never flags a child with no episodes; here
    blank/unparseable MIS_START and gaps pass and a child absent from Episodes is flagged.
    A child whose episodes all lack a valid DECOM passes. Blank CHILD is not checked."""
    m, e = d["Missing"], d["Episodes"]
    decom = e.date("DECOM")
    keep = ~e.blank("CHILD")
    first = decom[keep].groupby(e["CHILD"][keep].to_numpy()).min()
    first_start = pd.Series(first.reindex(m["CHILD"].to_numpy()).to_numpy(), index=m.index)
    no_episodes = ~m["CHILD"].isin(set(e["CHILD"][keep]))
    return {"Missing": ~m.blank("CHILD") & (no_episodes | (m.date("MIS_START") < first_start))}


@rule("580")
def missing_at_end_of_care_is_e8(d):
    """An episode that ended care (valid DEC, REC not E8 and not X1; blank REC flagged) while
    one of the child's missing periods covered DEC: it started on or before DEC and is still
    open (MIS_END blank) or ended after DEC, or it ended on DEC which was the child's 18th
    birthday (DOB of the Missing row), the case the known implementation checks (MIS_START not
    considered there).

    Follows the DfE message, which speaks of any child missing when care ceased; the known
    implementation only catches the 18th birthday case. A missing period ending on DEC other
    than on the 18th birthday passes (the child was found that day). X1 is excluded: care did
    not cease."""
    e, m = d["Episodes"], d["Missing"]
    dec = e.date("DEC")
    ceased = dec.notna() & ~isin(e["REC"], ("E8", "X1")) & ~e.blank("CHILD")
    rows = np.flatnonzero(ceased.to_numpy())
    eps = pd.DataFrame({"CHILD": pd.Series(e["CHILD"].to_numpy()[rows], dtype=object),
                        "DEC": dec.to_numpy()[rows], "pos": rows})
    mis = pd.DataFrame({"CHILD": pd.Series(m["CHILD"].to_numpy(), dtype=object),
                        "START": m.date("MIS_START").to_numpy(), "END": m.date("MIS_END").to_numpy(),
                        "open": m.blank("MIS_END").to_numpy(), "B18": add_years(m.date("DOB"), 18).to_numpy()})
    pairs = eps.merge(mis, on="CHILD", how="inner")
    covers = (pairs["START"] <= pairs["DEC"]) & (pairs["open"] | (pairs["END"] > pairs["DEC"]))
    at_18 = (pairs["END"] == pairs["DEC"]) & (pairs["END"] == pairs["B18"])
    return {"Episodes": np.unique(pairs.loc[(covers | at_18).to_numpy(), "pos"].to_numpy())}


# --- motherhood --------------------------------------------------------------------------

def ceased_mother_blank(d, female: str):
    """607: a girl (Header SEX ``female``) who ceased to be looked after in the year (DEC
    within the year, REC filled and not X1, LS not V3/V4) needs MOTHER. Every such episode
    and the Header row (once) are flagged."""
    e, h = d["Episodes"], d["Header"]
    dec = e.date("DEC")
    ceased = ((dec >= d.collection_start) & (dec <= d.collection_end) & ~e.blank("REC")
              & (e["REC"] != "X1") & ~isin(e["LS"], ("V3", "V4")) & ~e.blank("CHILD"))
    girl_no_mother = (h["SEX"] == female) & h.blank("MOTHER") & ~h.blank("CHILD")
    return {"Episodes": ceased & e["CHILD"].isin(set(h["CHILD"][girl_no_mother])),
            "Header": girl_no_mother & h["CHILD"].isin(set(e["CHILD"][ceased]))}


@rule("607")
def mother_given_when_care_ceased(d):
    """Female is SEX '2' before 2024/25."""
    return ceased_mother_blank(d, "2")


@rule("625")
def first_child_born_by_year_end_or_dec(d):
    """The mother's first child's birth (MC_DOB) cannot be after collection_end, nor after the
    child ceased to be looked after.

    Follows the DfE message. The known implementation only checks children with a closed
    episode and compares with the latest DEC even when the child came back into care. Here the
    Header row is flagged whenever MC_DOB is after collection_end (episodes or not), and the
    DEC test uses the child's final episode (latest valid DECOM) only when it is closed with a
    valid DEC: then that episode is flagged with the Header row. Unusable MC_DOB passes."""
    e, h = d["Episodes"], d["Header"]
    mc_dob = h.date("MC_DOB")
    final = final_episodes(d, "Episodes")
    final_dec = pd.Series(e.date("DEC").to_numpy()[final["pos"].to_numpy()], index=final["CHILD"].to_numpy())
    dec_for_header = pd.Series(final_dec.reindex(h["CHILD"].to_numpy()).to_numpy(), index=h.index)
    after_dec = (mc_dob > dec_for_header) & ~h.blank("CHILD")
    mc_for_final = pd.Series(mc_dob[after_dec].groupby(h["CHILD"][after_dec].to_numpy()).max()
                             .reindex(final["CHILD"].to_numpy()).to_numpy())
    final_flag = (mc_for_final > final_dec.reset_index(drop=True)).to_numpy()
    return {"Header": after_dec | (mc_dob > d.collection_end),
            "Episodes": final["pos"].to_numpy()[final_flag]}


@rule("628")
def no_motherhood_for_care_leavers_only(d):
    """MOTHER (any value) for a care leaver (OC3 row with IN_TOUCH, ACTIV or ACCOM filled)
    who has no episode in the return."""
    e, h, oc3 = d["Episodes"], d["Header"], d["OC3"]
    leaver = (~oc3.blank("IN_TOUCH") | ~oc3.blank("ACTIV") | ~oc3.blank("ACCOM")) & ~oc3.blank("CHILD")
    child = h["CHILD"]
    return {"Header": ~h.blank("MOTHER") & ~child.isin(set(e["CHILD"])) & child.isin(set(oc3["CHILD"][leaver]))}
