"""Episodes against the adoption tables: placements for adoption, placement and freeing orders
and adoptions checked against the decisions in PlacedAdoption and the details in AD1.

Shared helpers (usable by other rules): ``children_with`` (set-membership of CHILD against
another table's rows), ``per_child`` (a per-child aggregate mapped back onto the rows of a
table). A blank CHILD is its own key (see ``prepare.Table``), so it never matches.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import rule
from ..common import episodes_sorted, isin, row_rank
from .adoption import AD1_ITEMS, any_adoption_item
from .placed_adoption import latest_decision

ADOPTION_PLACEMENTS = ("A3", "A4", "A5", "A6")
ADOPTED = ("E11", "E12")


def children_with(keys: pd.Series, table, mask=None) -> pd.Series:
    """For each value of ``keys`` (CHILD), whether ``table`` has a row of that child (restricted
    to the rows where ``mask`` is true, if given)."""
    child = table["CHILD"]
    return keys.isin(set(child if mask is None else child[mask]))


def per_child(keys: pd.Series, child: pd.Series, values: pd.Series, how: str) -> pd.Series:
    """``values`` aggregated per ``child`` (``how``: 'min', 'max', 'sum'...), read back for each
    value of ``keys``; NaN/NaT where the child has none."""
    agg = values.groupby(child.to_numpy()).agg(how)
    return pd.Series(agg.reindex(keys.to_numpy()).to_numpy(), index=keys.index)


@rule("551")
def adoption_placement_has_decision_date(d):
    """A placement for adoption (A3-A6) needs the date of the decision that the child should be
    placed for adoption: the episode is flagged when its child has no PlacedAdoption row, or
    has one with DATE_PLACED blank (presence only; 115 checks the date). As the spec's logic,
    a blank row flags even beside a dated one."""
    e, pa = d["Episodes"], d["PlacedAdoption"]
    adoption = isin(e["PLACE"], ADOPTION_PLACEMENTS)
    missing = ~children_with(e["CHILD"], pa) | children_with(e["CHILD"], pa, pa.blank("DATE_PLACED"))
    return {"Episodes": adoption & missing}


@rule("552")
def placed_for_adoption_after_decision(d):
    """Each placement for adoption (A3-A6 episode with a valid DECOM) must follow a decision
    that the child should be placed for adoption: it is flagged when every one of the child's
    dated decisions (valid DATE_PLACED) is after its DECOM, together with the earliest of
    them (of two on that day, the first by row text: ``row_rank``). A child with no dated
    decision is 551's case and passes; whether a decision later ceased is not examined.
    Same day passes."""
    e, pa = d["Episodes"], d["PlacedAdoption"]
    decom = e.date("DECOM")
    ep_rows = np.flatnonzero((isin(e["PLACE"], ADOPTION_PLACEMENTS) & decom.notna()).to_numpy())
    eps = pd.DataFrame({"CHILD": pd.Series(e["CHILD"].to_numpy()[ep_rows], dtype=object), "DATE": decom.to_numpy()[ep_rows],
                        "pos": ep_rows}).sort_values("DATE", kind="stable")
    placed = pa.date("DATE_PLACED")
    pa_rows = np.flatnonzero(placed.notna().to_numpy())
    decisions = (pd.DataFrame({"CHILD": pd.Series(pa["CHILD"].to_numpy()[pa_rows], dtype=object),
                               "DATE": placed.to_numpy()[pa_rows], "rank": row_rank(d, "PlacedAdoption")[pa_rows],
                               "pa": pa_rows})
                 .sort_values(["DATE", "rank"], kind="stable").drop_duplicates(["CHILD", "DATE"]))
    decisions = decisions[["CHILD", "DATE", "pa"]]
    before = pd.merge_asof(eps, decisions, on="DATE", by="CHILD", direction="backward")
    after = pd.merge_asof(eps, decisions, on="DATE", by="CHILD", direction="forward", allow_exact_matches=False)
    bad = (before["pa"].isna() & after["pa"].notna()).to_numpy()
    return {"Episodes": eps["pos"].to_numpy()[bad],
            "PlacedAdoption": np.unique(after["pa"].to_numpy()[bad].astype(np.int64))}


def order_has_decision(d, ls: str):
    """553/555: an episode under legal status ``ls`` (E1 placement order, D1 freeing order)
    needs a decision that the child should be placed for adoption. Two checks, as the spec's
    logic: the episode is flagged when its child has no PlacedAdoption row at all; and while
    such an episode is open (DEC blank), every PlacedAdoption row of the child with
    DATE_PLACED_CEASED or REASON_PLACED_CEASED filled in is flagged, even beside a newer open
    decision."""
    e, pa = d["Episodes"], d["PlacedAdoption"]
    order = e["LS"] == ls
    ceased = ~pa.blank("DATE_PLACED_CEASED") | ~pa.blank("REASON_PLACED_CEASED")
    open_order = order & e.blank("DEC")
    return {"Episodes": order & ~children_with(e["CHILD"], pa),
            "PlacedAdoption": ceased & children_with(pa["CHILD"], e, open_order)}


@rule("553")
def placement_order_has_decision(d):
    """Placement order (LS E1): see ``order_has_decision``."""
    return order_has_decision(d, "E1")


@rule("555")
def freeing_order_has_decision(d):
    """Freeing order (LS D1): see ``order_has_decision``."""
    return order_has_decision(d, "D1")


@rule("554")
def decision_not_after_placement_order(d):
    """The child's first placement order episode (LS E1 with the earliest valid DECOM; on a
    tie the first in the shared episode order, ``episodes_sorted``) cannot start before a
    decision that the child should be placed for adoption: every PlacedAdoption row dated
    after it is flagged with the episode. Children whose E1 episodes all lack a valid DECOM
    are not checked; same day passes."""
    e, pa = d["Episodes"], d["PlacedAdoption"]
    order = episodes_sorted(d)
    pos = order["pos"].to_numpy()
    e1 = ((e["LS"] == "E1").to_numpy()[pos]) & order["DECOM"].notna().to_numpy()
    first = order[e1].drop_duplicates("CHILD")
    placed = pa.date("DATE_PLACED")
    pa_first = pd.Series(first.set_index("CHILD")["DECOM"].reindex(pa["CHILD"].to_numpy()).to_numpy(),
                         index=pa.index)
    pa_flag = placed > pa_first
    latest = per_child(pd.Series(first["CHILD"].to_numpy()), pa["CHILD"], placed, "max")
    ep_flag = (latest > first["DECOM"].reset_index(drop=True)).to_numpy()
    return {"Episodes": first["pos"].to_numpy()[ep_flag], "PlacedAdoption": pa_flag}


@rule("556")
def decision_not_after_freeing_order(d):
    """Every freeing order episode (LS D1) is flagged when one of the child's decisions
    (DATE_PLACED) is after its DECOM; only the episode is flagged. Same day passes."""
    e, pa = d["Episodes"], d["PlacedAdoption"]
    latest = per_child(e["CHILD"], pa["CHILD"], pa.date("DATE_PLACED"), "max")
    return {"Episodes": (e["LS"] == "D1") & (e.date("DECOM") < latest)}


def left_care_not_adopted_needs_ceased(d, scope: pd.Series):
    """557: an episode in ``scope`` that ended care other than by adoption (REC filled, not
    X1/E11/E12) means the decision to place for adoption must have been reversed. Flagged: the
    episode when the child has no PlacedAdoption row; otherwise the episode and every row of
    the child with DATE_PLACED_CEASED or REASON_PLACED_CEASED blank."""
    e, pa = d["Episodes"], d["PlacedAdoption"]
    rec = e["REC"]
    candidate = scope & ~e.blank("REC") & ~isin(rec, ("X1",) + ADOPTED)
    incomplete = pa.blank("DATE_PLACED_CEASED") | pa.blank("REASON_PLACED_CEASED")
    has_row = children_with(e["CHILD"], pa)
    has_incomplete = children_with(e["CHILD"], pa, incomplete)
    return {"Episodes": candidate & (~has_row | has_incomplete),
            "PlacedAdoption": incomplete & children_with(pa["CHILD"], e, candidate)}


@rule("557")
def left_care_not_adopted_decision_ceased(d):
    """Placements for adoption (A3-A6) and placement or freeing orders (LS E1, D1)."""
    e = d["Episodes"]
    scope = isin(e["PLACE"], ADOPTION_PLACEMENTS) | isin(e["LS"], ("D1", "E1"))
    return left_care_not_adopted_needs_ceased(d, scope)


@rule("558")
def adopted_decision_not_ceased(d):
    """An adopted child's decision to be placed for adoption cannot have ceased (DfE coding):
    when the child's latest episode (latest valid DECOM, ties in the shared episode order)
    ends in adoption (REC E11/E12) and the child has more than one PlacedAdoption row, the
    latest dated decision (see ``placed_adoption.latest_decision``) must have
    DATE_PLACED_CEASED blank, else that episode is flagged. A single decision is never
    flagged here; a child with no validly dated decision passes."""
    e, pa = d["Episodes"], d["PlacedAdoption"]
    order = episodes_sorted(d)
    latest = order[order["DECOM"].notna()].drop_duplicates("CHILD", keep="last")["pos"].to_numpy()
    latest_episode = np.zeros(len(e), dtype=bool)
    latest_episode[latest] = True
    several = pa["CHILD"].duplicated(keep=False).to_numpy()
    latest_ceased = latest_decision(d, dated_only=True) & several & ~pa.blank("DATE_PLACED_CEASED").to_numpy()
    return {"Episodes": latest_episode & isin(e["REC"], ADOPTED) & children_with(e["CHILD"], pa, latest_ceased)}


@rule("582")
def adoption_date_differs_from_match(d):
    """Query: an adoption (REC E11/E12) on the very day the child was matched with adopters.
    As the spec's logic, DEC and DATE_MATCH are compared as text, so '1/1/2023' and
    '01/01/2023' do not match; blank never matches. Only the episode is flagged."""
    e, ad1 = d["Episodes"], d["AD1"]
    rows = np.flatnonzero((isin(e["REC"], ADOPTED) & ~e.blank("DEC")).to_numpy())
    eps = pd.DataFrame({"CHILD": e["CHILD"].to_numpy()[rows], "DATE": e["DEC"].to_numpy()[rows], "pos": rows})
    matched = ~ad1.blank("DATE_MATCH")
    match = pd.DataFrame({"CHILD": ad1["CHILD"][matched], "DATE": ad1["DATE_MATCH"][matched]}).drop_duplicates()
    same = eps.merge(match, on=["CHILD", "DATE"], how="inner")
    return {"Episodes": np.unique(same["pos"].to_numpy())}


def adopted_this_year(d) -> pd.Series:
    """Episodes ending in adoption (REC E11/E12) with DEC within the collection year."""
    e = d["Episodes"]
    dec = e.date("DEC")
    return isin(e["REC"], ADOPTED) & (dec >= d.collection_start) & (dec <= d.collection_end)


@rule("601")
def adoption_details_completed(d):
    """A child adopted this year needs all six AD1 adoption items: each AD1 row of the child
    with one of them blank is flagged with the adoption episode. As the spec's logic, a child
    with no AD1 row at all is not flagged here."""
    e, ad1 = d["Episodes"], d["AD1"]
    adopted = adopted_this_year(d)
    incomplete = pd.Series(False, index=ad1.index)
    for col in AD1_ITEMS:
        incomplete |= ad1.blank(col)
    return {"Episodes": adopted & children_with(e["CHILD"], ad1, incomplete),
            "AD1": incomplete & children_with(ad1["CHILD"], e, adopted)}


@rule("602")
def adoption_details_need_adoption(d):
    """AD1 details (any of the six items) for a child with no adoption episode (REC E11/E12,
    DEC within the year)."""
    e, ad1 = d["Episodes"], d["AD1"]
    return {"AD1": any_adoption_item(ad1) & ~children_with(ad1["CHILD"], e, adopted_this_year(d))}
