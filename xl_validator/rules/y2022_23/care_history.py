"""Care history across tables: care leaver (OC3) data against the child's episodes in this
and last year's return, adoption decisions against the periods of care, and the reason a
placement changed."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import rule
from ..common import add_years, child_in, child_numbers, episodes_sorted, isin, row_rank
from .outcomes import any_filled

OC3_ITEMS = ("IN_TOUCH", "ACTIV", "ACCOM")


def care_leaver_data(oc3) -> pd.Series:
    """OC3 rows where care leaver information is actually given."""
    return any_filled(oc3, OC3_ITEMS)


def episode_per_child(d, name: str, rows, latest: bool = False, valid_only: bool = True) -> pd.Series:
    """Row position of each child's earliest (``latest``: latest) episode of table ``name``
    among ``rows`` (a mask), indexed by CHILD, in the shared episode order (DECOM, then DEC,
    then row text: ``episodes_sorted``), so a tie never depends on file order. ``valid_only``
    drops rows whose DECOM is blank or unparseable; otherwise they sort after every valid
    DECOM."""
    order = episodes_sorted(d, name)
    pos = order["pos"].to_numpy()
    keep = np.asarray(rows, dtype=bool)[pos]
    if valid_only:
        keep &= order["DECOM"].notna().to_numpy()
    kept = np.flatnonzero(keep)
    child = child_numbers(d, name)[pos[kept]]  # a child's rows are next to each other in this order
    edge = np.ones(len(kept), dtype=bool)
    if latest:
        edge[:-1] = child[1:] != child[:-1]
    else:
        edge[1:] = child[1:] != child[:-1]
    chosen = kept[edge]
    return pd.Series(pos[chosen], index=order["CHILD"].to_numpy()[chosen])


def final_episode(d, name: str = "Episodes") -> pd.Series:
    """Each child's final episode: the latest valid DECOM (positions indexed by CHILD)."""
    return episode_per_child(d, name, np.ones(len(d[name]), dtype=bool), latest=True)


def take(values: pd.Series, positions: pd.Series) -> pd.Series:
    """``values`` at the given row positions (NaN positions give NaN/NaT), on ``positions``' index."""
    has = positions.notna()
    if not len(values):
        return pd.Series(values.iloc[:0].reindex(range(len(positions))).to_numpy(), index=positions.index)
    idx = positions.fillna(0).astype(np.int64).to_numpy()
    return pd.Series(values.to_numpy()[idx], index=positions.index).where(has)


def match_episode(other, chosen: pd.Series) -> pd.Series:
    """For each row of ``other``: the position of its child's chosen episode (NaN if none)."""
    return other["CHILD"].map(chosen)


@rule("1000")
def no_care_leaver_data_after_death(d):
    """A child who died in care (REC E2 on any episode of this or, when given, last year's
    return) should have no care leaver information: every OC3 row of the child is flagged,
    whatever it holds (the spec's logic)."""
    eps, oc3 = d["Episodes"], d["OC3"]
    died = set(eps["CHILD"][eps["REC"] == "E2"])
    last = d.get("Episodes_last")
    if last is not None:
        died |= set(last["CHILD"][last["REC"] == "E2"])
    return {"OC3": oc3["CHILD"].isin(died)}


def _relevant_children(d, eps, last, header) -> tuple[set, set, bool]:
    """From both years' episodes: (children who qualify as relevant / former relevant,
    children whose latest episode is an adoption, whether any episode was left to count)."""
    parts = [(t["CHILD"].to_numpy(), t.date("DECOM").to_numpy(), t.date("DEC").to_numpy(), t["LS"].to_numpy(),
              t["REC"].to_numpy(), np.full(len(t), year), row_rank(d, name))
             for year, (name, t) in enumerate((("Episodes", eps), ("Episodes_last", last)))]
    child, decom, dec, ls, rec, year, rank = (np.concatenate(p) for p in zip(*parts))
    codes, children = pd.factorize(np.concatenate([child, header["CHILD"].to_numpy()]))  # a number per CHILD
    code, person = codes[:len(child)], codes[len(child):]
    # The same episode in both returns: keep the ended copy (earliest DEC), then this year's,
    # then the first by row text (a missing date after every date, as a sort puts it).
    order = np.lexsort((rank, year, dec, decom, code))
    code, decom, dec, ls, rec = code[order], decom[order], dec[order], ls[order], rec[order]
    dated = ~np.isnat(decom)
    again = np.zeros(len(code), dtype=bool)
    again[1:] = (code[1:] == code[:-1]) & (decom[1:] == decom[:-1])
    keep = ~(again & dated)
    code, decom, dec, ls, rec, dated = code[keep], decom[keep], dec[keep], ls[keep], rec[keep], dated[keep]
    latest = np.flatnonzero(dated)
    last_of_child = np.ones(len(latest), dtype=bool)
    last_of_child[:-1] = code[latest][1:] != code[latest][:-1]
    latest = latest[last_of_child]  # each child's last dated episode
    adopted = set(children[code[latest][(rec[latest] == "E11") | (rec[latest] == "E12")]])
    # A child's latest episode, if still open, runs to collection_end.
    dec[latest[np.isnat(dec[latest])]] = d.collection_end.to_datetime64()

    # Header rows with a valid DOB under 20 at collection_end, joined to the episodes on CHILD
    # as the logic does: a child listed twice in Header has each episode counted once per row.
    dob = header.date("DOB").to_numpy()
    usable = ~np.isnat(dob)
    usable[usable] = (add_years(pd.Series(dob[usable]), 20) > d.collection_end).to_numpy()
    person, dob = person[usable], dob[usable]
    by_person = np.argsort(person, kind="stable")
    first = np.searchsorted(person[by_person], code, side="left")
    count = np.searchsorted(person[by_person], code, side="right") - first
    count[(ls == "V3") | (ls == "V4")] = 0  # short breaks are not counted
    rows = np.repeat(np.arange(len(code)), count)
    pairs = by_person[np.repeat(first, count) + np.arange(len(rows)) - np.repeat(np.cumsum(count) - count, count)]
    totals = {}
    for age in (14, 16):
        birthday = add_years(pd.Series(dob[pairs]), age).to_numpy()
        start = np.where(decom[rows] > birthday, decom[rows], birthday)
        spell = dec[rows] - start
        days = np.zeros(len(rows))
        known = ~np.isnat(spell)
        days[known] = np.maximum(spell[known] // np.timedelta64(1, "D"), 0)
        totals[age] = np.bincount(code[rows], weights=days, minlength=len(children))
    relevant = set(children[(totals[14] >= 91) & (totals[16] >= 1)])
    return relevant, adopted, len(rows) > 0


@rule("1001")
def care_leaver_is_relevant_child(d):
    """Care leaver data only for a relevant / former relevant child: at least 13 weeks (91
    days) looked after since the 14th birthday, some of it after the 16th, counted from both
    years' episodes (short breaks V3/V4 excluded); and not a child whose latest episode
    ended in adoption (E11/E12). A child with no Header row, no usable DOB or no episodes is
    not relevant, nor is one aged 20 or over at collection_end (dropped before the days are
    counted); nothing is flagged when no episode is left to count. All as the spec's logic:
    its notes think the aged-20 case was meant to be skipped, but no DfE coding says so.
    """
    eps, last, header, oc3 = d["Episodes"], d["Episodes_last"], d["Header"], d["OC3"]
    if not (len(eps) and len(last) and len(header) and len(oc3)):
        return {}
    relevant, adopted, counted = _relevant_children(d, eps, last, header)
    if not counted:
        return {}
    child = oc3["CHILD"]
    flag = ~child.isin(relevant) | child.isin(adopted)
    return {"OC3": flag}


@rule("1002")
def care_leaver_has_episodes(d):
    """A care leaver must have been looked after: every OC3 row of a child with no episode in
    this or last year's return is flagged, whatever it holds (the spec's logic)."""
    eps, last, oc3 = d["Episodes"], d["Episodes_last"], d["OC3"]
    eps["CHILD"], last["CHILD"]  # read in this order, so a missing column is the one reported
    return {"OC3": ~(child_in(d, "OC3", "Episodes") | child_in(d, "OC3", "Episodes_last"))}


@rule("1003")
def adoption_decision_not_before_care(d):
    """The decision to place for adoption cannot predate the child's first new period of
    care: its earliest RNE 'S' episode with a valid DECOM (of two on that day, the first in
    the shared episode order). Equal dates pass. Both the episode and the PlacedAdoption row
    are flagged."""
    eps, pa = d["Episodes"], d["PlacedAdoption"]
    first_s = episode_per_child(d, "Episodes", eps["RNE"] == "S")
    pos = match_episode(pa, first_s)
    bad = pa.date("DATE_PLACED") < take(eps.date("DECOM"), pos)
    return {"Episodes": pos[bad].astype(np.int64).to_numpy(), "PlacedAdoption": bad}


@rule("1007")
def no_care_leaver_data_when_still_looked_after(d):
    """A young person aged 17 or 18 at collection_end (by the OC3 DOB) whose current episode
    (latest valid DECOM, ties in the shared episode order) is still open, with DEC or REC
    blank, should have no care leaver information: such OC3 rows with IN_TOUCH, ACTIV or
    ACCOM filled in are flagged (DfE coding). A child with no episodes is not flagged. A
    29 February DOB has its birthday on 28 February in other years."""
    eps, oc3 = d["Episodes"], d["OC3"]
    end = d.collection_end
    dob = oc3.date("DOB")
    aged = (add_years(dob, 17) <= end) & (add_years(dob, 19) > end)
    current = final_episode(d).to_numpy()
    in_care = np.zeros(len(eps), dtype=bool)
    in_care[current] = (eps.blank("DEC") | eps.blank("REC")).to_numpy()[current]
    return {"OC3": aged & child_in(d, "OC3", "Episodes", in_care) & care_leaver_data(oc3)}


REASON_PLACE_CHANGE_CODES = ("CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO",
                             "CHILD", "LAREQ", "PLACE", "CUSTOD", "OTHER")


@rule("1009")
def reason_place_change_code(d):
    """REASON_PLACE_CHANGE, when given, is a known code. Lower-case codes pass (upper-cased
    on loading, although the spec's example flags 'carpl'); spaces are not trimmed."""
    eps = d["Episodes"]
    code = eps["REASON_PLACE_CHANGE"]
    return {"Episodes": ~eps.blank("REASON_PLACE_CHANGE") & ~isin(code, REASON_PLACE_CHANGE_CODES)}


@rule("1010")
def care_leaver_open_last_year_has_episodes(d):
    """A child whose final episode last year (latest valid DECOM, ties in the shared episode
    order) was still open (DEC blank) should have episodes this year: every OC3 row of such a
    child with no episode this year is flagged, whatever it holds (the spec's logic)."""
    eps, last, oc3 = d["Episodes"], d["Episodes_last"], d["OC3"]  # in this order: the first missing is named
    final = final_episode(d, "Episodes_last").to_numpy()
    open_at_end = np.zeros(len(last), dtype=bool)
    open_at_end[final[last.blank("DEC").to_numpy()[final]]] = True
    return {"OC3": child_in(d, "OC3", "Episodes_last", open_at_end) & ~child_in(d, "OC3", "Episodes")}


@rule("1011")
def no_care_leaver_data_after_transfer(d):
    """A child whose final episode (latest valid DECOM, ties in the shared episode order)
    ended with care transferred to another local authority (REC E3) should have no care
    leaver information here."""
    eps, oc3 = d["Episodes"], d["OC3"]
    final = final_episode(d)
    rec = eps["REC"].to_numpy()[final.to_numpy()]
    transferred = set(final.index[rec == "E3"])
    return {"OC3": oc3["CHILD"].isin(transferred) & care_leaver_data(oc3)}


@rule("1012")
def no_other_data_for_children_without_episodes(d):
    """No other data for a child with no episode this year: rows of PlacedAdoption, Missing,
    Reviews, AD1, PrevPerm and OC2 (each checked when supplied) whose child has no Episodes
    row are flagged. As the spec's logic, OC3 is not consulted, so any child counts."""
    d["Episodes"]["CHILD"]  # no Episodes table (or CHILD): skipped, as before
    out = {}
    for name in ("PlacedAdoption", "Missing", "Reviews", "AD1", "PrevPerm", "OC2"):
        if d.get(name) is not None:
            out[name] = ~child_in(d, name, "Episodes")
    return out


@rule("1014")
def no_uasc_data_for_care_leavers(d):
    """A care leaver should have no UASC information. As the spec's logic, only children with
    episodes are considered: one with no episode in the year, a UASC row and an OC3 row with
    information has all its UASC rows flagged (whatever DUC holds), and its OC3 rows with
    information."""
    eps, uasc, oc3 = d["Episodes"], d["UASC"], d["OC3"]
    decom, dec = eps.date("DECOM"), eps.date("DEC")
    in_year = (decom <= d.collection_end) & ((dec >= d.collection_start) | dec.isna())
    oc3_info = care_leaver_data(oc3)
    e_child, o_child, u_child = (child_numbers(d, name) for name in ("Episodes", "OC3", "UASC"))
    size = max(c.max(initial=-1) for c in (e_child, o_child, u_child)) + 1

    def among(children):  # by CHILD number: which children are among these
        found = np.zeros(size, dtype=bool)
        found[children] = True
        return found
    leavers = (among(e_child) & ~among(e_child[in_year.to_numpy()]) & among(o_child[oc3_info.to_numpy()])
               & among(u_child))
    return {"UASC": leavers[u_child], "OC3": oc3_info & leavers[o_child]}


@rule("117")
def adoption_decision_within_year_and_care(d):
    """Adoption decision dates (DATE_PLACED, DATE_PLACED_CEASED) are not after collection_end,
    nor after the end of the child's latest episode that is not a mere change of placement
    (REC other than X1, valid DECOM; an open episode qualifies; ties in the shared episode
    order). As the spec's logic, only children with such an episode are checked; the
    episode is flagged with the PlacedAdoption row."""
    eps, pa = d["Episodes"], d["PlacedAdoption"]
    end = d.collection_end
    latest = episode_per_child(d, "Episodes", eps["REC"] != "X1", latest=True)
    pos = match_episode(pa, latest)
    ep_dec = take(eps.date("DEC"), pos)
    bad = pd.Series(False, index=pa.index)
    for col in ("DATE_PLACED", "DATE_PLACED_CEASED"):
        when = pa.date(col)
        bad |= (when > end) | (when > ep_dec)
    bad &= pos.notna()
    return {"Episodes": pos[bad].astype(np.int64).to_numpy(), "PlacedAdoption": bad}


@rule("118")
def adoption_ceased_decision_within_year_and_care(d):
    """A decision that a child should no longer be placed for adoption (DATE_PLACED_CEASED)
    is not before collection_start, nor before the start of the child's earliest episode
    that is not a short break (LS other than V3/V4; ties in the shared episode order);
    equal dates pass. As the spec's logic, only children with such an episode are checked
    (if all its DECOMs are unusable, only the collection_start test can fire); the episode
    is flagged with the PlacedAdoption row."""
    eps, pa = d["Episodes"], d["PlacedAdoption"]
    earliest = episode_per_child(d, "Episodes", ~isin(eps["LS"], ("V3", "V4")), valid_only=False)
    pos = match_episode(pa, earliest)
    ceased = pa.date("DATE_PLACED_CEASED")
    bad = ((ceased < d.collection_start) | (ceased < take(eps.date("DECOM"), pos))) & pos.notna()
    return {"Episodes": pos[bad].astype(np.int64).to_numpy(), "PlacedAdoption": bad}
