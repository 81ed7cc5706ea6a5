"""Episodes against the adoption tables: placements for adoption, placement and freeing orders
and adoptions checked against the decisions in PlacedAdoption and the details in AD1.

Shared helpers (usable by other rules): ``children_with`` (set-membership of CHILD against
another table's rows, blank CHILD never matching), ``per_child`` (a per-child aggregate mapped
back onto the rows of a table).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import rule
from ..common import isin
from .adoption import AD1_ITEMS, any_adoption_item
from .placed_adoption import latest_decision

ADOPTION_PLACEMENTS = ("A3", "A4", "A5", "A6")
ADOPTED = ("E11", "E12")


def children_with(keys: pd.Series, table, mask=None) -> pd.Series:
    """For each value of ``keys`` (CHILD), whether ``table`` has a row of that child (restricted
    to the rows where ``mask`` is true, if given). A blank CHILD never matches."""
    child = table["CHILD"]
    ok = ~table.blank("CHILD")
    if mask is not None:
        ok &= mask
    return keys.isin(set(child[ok]))


def per_child(keys: pd.Series, child: pd.Series, values: pd.Series, how: str) -> pd.Series:
    """``values`` aggregated per ``child`` (``how``: 'min', 'max', 'sum'...), read back for each
    value of ``keys``; NaN/NaT where the child has none. Blank children are ignored."""
    keep = (child != "").to_numpy()
    agg = values[keep].groupby(child[keep].to_numpy()).agg(how)
    return pd.Series(agg.reindex(keys.to_numpy()).to_numpy(), index=keys.index)


def _decision_text_given(d, keys: pd.Series) -> pd.Series:
    """Whether each CHILD of ``keys`` has a PlacedAdoption row with DATE_PLACED filled in."""
    pa = d["PlacedAdoption"]
    return children_with(keys, pa, ~pa.blank("DATE_PLACED"))


@rule("551")
def adoption_placement_has_decision_date(d):
    """A placement for adoption (A3-A6) needs a date of the decision that the child should be
    placed for adoption: the child must have a PlacedAdoption row with DATE_PLACED filled
    (presence only; 115 checks the date).

    Follows the DfE message: a child with one dated decision and another row with DATE_PLACED
    blank has a decision date and passes (the known implementation flags it because of the
    blank row)."""
    e = d["Episodes"]
    adoption = isin(e["PLACE"], ADOPTION_PLACEMENTS)
    return {"Episodes": adoption & ~_decision_text_given(d, e["CHILD"])}


@rule("552")
def placed_for_adoption_after_decision(d):
    """Each placement for adoption (A3-A6 episode with a valid DECOM) must begin while a
    decision that the child should be placed for adoption is in force: the child's latest
    decision dated on or before the DECOM, not ceased (DATE_PLACED_CEASED) before it.

    Follows the DfE message, matching each placement with the decision in force at the time:
    the known implementation compares the child's first adoption placement with its latest
    decision, so a placement that followed an earlier decision is flagged when a later decision
    exists (decisions 01/04 and 01/07, placement 01/05 passes here). A flagged episode's next
    decision (the first one dated after its DECOM), if any, is flagged with it. Blank or
    unparseable dates are left out."""
    e, pa = d["Episodes"], d["PlacedAdoption"]
    decom = e.date("DECOM")
    ep_rows = np.flatnonzero((isin(e["PLACE"], ADOPTION_PLACEMENTS) & decom.notna() & ~e.blank("CHILD")).to_numpy())
    eps = pd.DataFrame({"CHILD": pd.Series(e["CHILD"].to_numpy()[ep_rows], dtype=object), "DATE": decom.to_numpy()[ep_rows],
                        "pos": ep_rows}).sort_values("DATE", kind="stable")
    placed = pa.date("DATE_PLACED")
    pa_rows = np.flatnonzero((placed.notna() & ~pa.blank("CHILD")).to_numpy())
    decisions = pd.DataFrame({"CHILD": pd.Series(pa["CHILD"].to_numpy()[pa_rows], dtype=object), "DATE": placed.to_numpy()[pa_rows],
                              "ceased": pa.date("DATE_PLACED_CEASED").to_numpy()[pa_rows],
                              "pa": pa_rows}).sort_values("DATE", kind="stable")
    before = pd.merge_asof(eps, decisions, on="DATE", by="CHILD", direction="backward")
    in_force = before["pa"].notna() & ~(before["ceased"] < before["DATE"])
    bad = eps[~in_force.to_numpy()]
    after = pd.merge_asof(bad, decisions[["CHILD", "DATE", "pa"]], on="DATE", by="CHILD",
                          direction="forward", allow_exact_matches=False)
    return {"Episodes": bad["pos"].to_numpy(),
            "PlacedAdoption": np.unique(after["pa"].dropna().to_numpy().astype(np.int64))}


def order_has_decision(d, ls: str):
    """553/555: an episode under legal status ``ls`` (E1 placement order, D1 freeing order)
    needs a decision that the child should be placed for adoption.

    Follows the DfE message ('no date of decision'): the episode is flagged when its child has
    no PlacedAdoption row with DATE_PLACED filled (the known implementation only asks for any
    PlacedAdoption row, so a row with DATE_PLACED blank satisfied it). While such an episode is
    open (DEC blank), the child's ceased decisions (DATE_PLACED_CEASED or REASON_PLACED_CEASED
    filled) are flagged when the child has no decision still open (DATE_PLACED filled, both
    ceased items blank); the known implementation flags ceased rows even when a newer, open
    decision exists."""
    e, pa = d["Episodes"], d["PlacedAdoption"]
    order = e["LS"] == ls
    ceased = ~pa.blank("DATE_PLACED_CEASED") | ~pa.blank("REASON_PLACED_CEASED")
    open_decision = ~pa.blank("DATE_PLACED") & ~ceased
    open_order = order & e.blank("DEC")
    child_open_order = children_with(pa["CHILD"], e, open_order)
    return {"Episodes": order & ~_decision_text_given(d, e["CHILD"]),
            "PlacedAdoption": ceased & child_open_order & ~children_with(pa["CHILD"], pa, open_decision)}


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
    """The child's first placement order episode (LS E1, earliest valid DECOM, first in file
    order on a tie) cannot start before a decision that the child should be placed for
    adoption: every PlacedAdoption row dated after it is flagged with the episode. Children
    whose E1 episodes all lack a valid DECOM are not checked; same day passes."""
    e, pa = d["Episodes"], d["PlacedAdoption"]
    decom = e.date("DECOM")
    rows = np.flatnonzero(((e["LS"] == "E1") & decom.notna() & ~e.blank("CHILD")).to_numpy())
    first = (pd.DataFrame({"CHILD": e["CHILD"].to_numpy()[rows], "DECOM": decom.to_numpy()[rows], "pos": rows})
             .sort_values(["CHILD", "DECOM", "pos"], kind="stable").drop_duplicates("CHILD"))
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
    """An adopted child (episode REC E11/E12) cannot have its decision to be placed for
    adoption ceased: the child's latest decision (latest DATE_PLACED, see
    ``placed_adoption.latest_decision``) must have DATE_PLACED_CEASED blank (presence only).
    Every E11/E12 episode of such a child is flagged; children with no PlacedAdoption row pass.

    Follows the DfE message. The known implementation only checks children with several
    decisions, passes any child with some blank DATE_PLACED_CEASED (even an older row) and
    counts episode x decision pairs: here a single ceased decision is flagged, a ceased latest
    decision is flagged despite an older open one, and a child with two adoption episodes and
    one open decision passes."""
    e, pa = d["Episodes"], d["PlacedAdoption"]
    latest_ceased = latest_decision(d) & ~pa.blank("DATE_PLACED_CEASED").to_numpy()
    return {"Episodes": isin(e["REC"], ADOPTED) & children_with(e["CHILD"], pa, latest_ceased)}


@rule("582")
def adoption_date_differs_from_match(d):
    """Query: an adoption (REC E11/E12) on the very day the child was matched with adopters.
    DEC and DATE_MATCH are compared as dates, not text, so '1/1/2023' equals '01/01/2023'
    (the known implementation compares text and misses it); blank or unparseable never match.
    Only the episode is flagged."""
    e, ad1 = d["Episodes"], d["AD1"]
    adopted = isin(e["REC"], ADOPTED) & e.date("DEC").notna() & ~e.blank("CHILD")
    rows = np.flatnonzero(adopted.to_numpy())
    eps = pd.DataFrame({"CHILD": e["CHILD"].to_numpy()[rows], "DATE": e.date("DEC").to_numpy()[rows], "pos": rows})
    match = pd.DataFrame({"CHILD": ad1["CHILD"], "DATE": ad1.date("DATE_MATCH")}).dropna().drop_duplicates()
    same = eps.merge(match, on=["CHILD", "DATE"], how="inner")
    return {"Episodes": np.unique(same["pos"].to_numpy())}


def adopted_this_year(d) -> pd.Series:
    """Episodes ending in adoption (REC E11/E12) with DEC within the collection year."""
    e = d["Episodes"]
    dec = e.date("DEC")
    return isin(e["REC"], ADOPTED) & (dec >= d.collection_start) & (dec <= d.collection_end)


@rule("601")
def adoption_details_completed(d):
    """A child adopted this year needs all six AD1 adoption items. Each incomplete AD1 row of
    the child is flagged with the adoption episode.

    Follows the DfE message ('have not been completed'): an adoption episode whose child has
    no AD1 row at all is flagged too (the known implementation passes it)."""
    e, ad1 = d["Episodes"], d["AD1"]
    adopted = adopted_this_year(d)
    incomplete = pd.Series(False, index=ad1.index)
    for col in AD1_ITEMS:
        incomplete |= ad1.blank(col)
    has_incomplete = children_with(e["CHILD"], ad1, incomplete)
    has_row = children_with(e["CHILD"], ad1)
    return {"Episodes": adopted & (has_incomplete | ~has_row),
            "AD1": incomplete & children_with(ad1["CHILD"], e, adopted)}


@rule("602")
def adoption_details_need_adoption(d):
    """AD1 details (any of the six items) for a child with no adoption episode (REC E11/E12,
    DEC within the year)."""
    e, ad1 = d["Episodes"], d["AD1"]
    return {"AD1": any_adoption_item(ad1) & ~children_with(ad1["CHILD"], e, adopted_this_year(d))}
