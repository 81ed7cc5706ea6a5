"""Care history across tables: care leaver (OC3) data against the child's episodes in this
and last year's return, adoption decisions against the periods of care, and the reason a
placement changed."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import rule
from ..common import add_years, isin
from .outcomes import any_filled

OC3_ITEMS = ("IN_TOUCH", "ACTIV", "ACCOM")


def care_leaver_data(oc3) -> pd.Series:
    """OC3 rows where care leaver information is actually given."""
    return any_filled(oc3, OC3_ITEMS)


def episode_per_child(t, rows, latest: bool = False, valid_only: bool = True) -> pd.Series:
    """Row position of each child's earliest (``latest``: latest) episode by DECOM among
    ``rows`` (a mask), indexed by CHILD. Ties keep file order (earliest: first row;
    latest: last row). ``valid_only`` drops rows whose DECOM is blank or unparseable;
    otherwise they sort after every valid DECOM."""
    decom = t.date("DECOM")
    keep = rows & decom.notna() if valid_only else rows
    df = pd.DataFrame({"CHILD": t["CHILD"][keep], "DECOM": decom[keep]})
    df = df.sort_values("DECOM", kind="stable", na_position="last")
    df = df.drop_duplicates("CHILD", keep="last" if latest else "first")
    return pd.Series(df.index.to_numpy(), index=df["CHILD"].to_numpy())


def final_episode(t) -> pd.Series:
    """Each child's final episode: the latest valid DECOM (positions indexed by CHILD)."""
    return episode_per_child(t, pd.Series(True, index=t.index), latest=True)


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
    return) should have no care leaver information.

    Only OC3 rows with at least one of IN_TOUCH, ACTIV, ACCOM filled are flagged, as the
    DfE message says ('should not have the care leaver information completed'); the known
    implementation flags the OC3 row even when all three are blank.
    """
    eps, oc3 = d["Episodes"], d["OC3"]
    died = set(eps["CHILD"][eps["REC"] == "E2"])
    last = d.get("Episodes_last")
    if last is not None:
        died |= set(last["CHILD"][last["REC"] == "E2"])
    return {"OC3": oc3["CHILD"].isin(died) & care_leaver_data(oc3)}


def _relevant_children(d, eps, last, header) -> tuple[set, set, set]:
    """From both years' episodes: (children who qualify as relevant / former relevant,
    children whose latest episode is an adoption, children too old to assess)."""
    end = d.collection_end
    cols = {}
    for t in (eps, last):
        for c, v in (("CHILD", t["CHILD"]), ("DECOM", t.date("DECOM")), ("DEC", t.date("DEC")),
                     ("LS", t["LS"]), ("REC", t["REC"])):
            cols.setdefault(c, []).append(v.reset_index(drop=True))
    pool = pd.DataFrame({c: pd.concat(v, ignore_index=True) for c, v in cols.items()})
    # The same episode in both returns: keep the ended copy (earliest DEC).
    pool = pool.sort_values(["CHILD", "DECOM", "DEC"], kind="stable", na_position="last")
    pool = pool[~(pool.duplicated(["CHILD", "DECOM"]) & pool["DECOM"].notna())]
    latest = pool[pool["DECOM"].notna()].drop_duplicates("CHILD", keep="last")
    adopted = set(latest["CHILD"][isin(latest["REC"], ("E11", "E12"))])
    # A child's latest episode, if still open, runs to collection_end.
    open_latest = pool.index.isin(latest.index) & pool["DEC"].isna()
    pool.loc[open_latest, "DEC"] = end

    dob = header.date("DOB")
    first_dob = pd.Series(dob.to_numpy(), index=header["CHILD"].to_numpy())
    first_dob = first_dob[~first_dob.index.duplicated()]
    too_old = set(first_dob.index[add_years(first_dob.reset_index(drop=True), 20).to_numpy() <= end])

    pool = pool[~isin(pool["LS"], ("V3", "V4"))]
    pool_dob = pd.Series(first_dob.reindex(pool["CHILD"].to_numpy()).to_numpy(), index=pool.index)
    days = {}
    for age in (14, 16):
        bday = add_years(pool_dob, age)
        start = pool["DECOM"].where(pool["DECOM"] > bday, bday)
        days[age] = (pool["DEC"] - start).dt.days.clip(lower=0).fillna(0)
    totals = pd.DataFrame({"CHILD": pool["CHILD"], "d14": days[14], "d16": days[16]}).groupby("CHILD").sum()
    relevant = set(totals.index[(totals["d14"] >= 91) & (totals["d16"] >= 1)])
    return relevant, adopted, too_old


@rule("1001")
def care_leaver_is_relevant_child(d):
    """Care leaver data only for a relevant / former relevant child: at least 13 weeks (91
    days) looked after since the 14th birthday, some of it after the 16th, counted from both
    years' episodes (short breaks V3/V4 excluded); and not a child whose latest episode
    ended in adoption (E11/E12).

    Departures from the known implementation, following the DfE message:
    - young people aged 20 or over at collection_end are not assessed on days in care (too
      little history is loaded; the known implementation flags them all), though still
      flagged when adopted;
    - the implementation flags nothing at all when no episode survives the V3/V4 and Header
      filters; here a child whose episodes are all short breaks is simply not relevant;
    - every episode is treated on its own (the implementation can confuse episodes of the
      two years that sit at the same row number).
    Children with no Header row or an unusable DOB cannot have counted days and are flagged,
    as the spec's logic says.
    """
    eps, last, header, oc3 = d["Episodes"], d["Episodes_last"], d["Header"], d["OC3"]
    if not (len(eps) and len(last) and len(header) and len(oc3)):
        return {}
    relevant, adopted, too_old = _relevant_children(d, eps, last, header)
    child = oc3["CHILD"]
    flag = (~child.isin(relevant) & ~child.isin(too_old)) | child.isin(adopted)
    return {"OC3": flag}


@rule("1002")
def care_leaver_has_episodes(d):
    """A care leaver must have been looked after: a child with care leaver information and no
    episode in this or last year's return is flagged. OC3 rows with IN_TOUCH, ACTIV and
    ACCOM all blank are not flagged (the message is about information 'recorded'; the known
    implementation flags them too)."""
    eps, last, oc3 = d["Episodes"], d["Episodes_last"], d["OC3"]
    seen = set(eps["CHILD"]) | set(last["CHILD"])
    return {"OC3": ~oc3["CHILD"].isin(seen) & care_leaver_data(oc3)}


@rule("1003")
def adoption_decision_not_before_care(d):
    """The decision to place for adoption cannot predate the child's first new period of
    care (its earliest RNE 'S' episode with a valid DECOM); equal dates pass. Both the
    episode and the PlacedAdoption row are flagged."""
    eps, pa = d["Episodes"], d["PlacedAdoption"]
    first_s = episode_per_child(eps, eps["RNE"] == "S")
    pos = match_episode(pa, first_s)
    bad = pa.date("DATE_PLACED") < take(eps.date("DECOM"), pos)
    return {"Episodes": pos[bad].astype(np.int64).to_numpy(), "PlacedAdoption": bad}


@rule("1007")
def no_care_leaver_data_when_looked_after_on_birthday(d):
    """A 17- or 18-year-old (at collection_end, by the OC3 DOB) who was still looked after on
    their latest birthday (an episode starting on or before it and ending after it) should
    have no care leaver information.

    An open episode (DEC blank) counts as still looked after, as the DfE message intends;
    the known implementation never counts it. A filled-in but unparseable DEC or DECOM is
    ignored. A 29 February DOB has its birthday on 28 February in other years.
    """
    eps, oc3 = d["Episodes"], d["OC3"]
    end = d.collection_end
    dob = oc3.date("DOB")
    b17, b18, b19 = add_years(dob, 17), add_years(dob, 18), add_years(dob, 19)
    target = b18.where(b18 <= end, b17).where((b17 <= end) & (b19 > end))
    candidates = target.notna() & care_leaver_data(oc3)
    if not candidates.any():
        return {}
    left = pd.DataFrame({"CHILD": oc3["CHILD"][candidates], "BDAY": target[candidates],
                         "row": oc3.index[candidates]})
    right = pd.DataFrame({"CHILD": eps["CHILD"], "DECOM": eps.date("DECOM"),
                          "DEC": eps.date("DEC"), "OPEN": eps.blank("DEC")})
    pairs = left.merge(right, on="CHILD")
    spans = (pairs["DECOM"] <= pairs["BDAY"]) & ((pairs["DEC"] > pairs["BDAY"]) | pairs["OPEN"])
    return {"OC3": pairs["row"][spans].to_numpy()}


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
    """A child whose final episode last year was still open (DEC blank) should have episodes
    this year, not just care leaver data. OC3 rows with IN_TOUCH, ACTIV and ACCOM all blank
    are not flagged: the message says 'and care leaver data has been entered' (the known
    implementation flags them too)."""
    eps, last, oc3 = d["Episodes"], d["Episodes_last"], d["OC3"]
    final = final_episode(last)
    open_at_end = set(final.index[last.blank("DEC").to_numpy()[final.to_numpy()]])
    child = oc3["CHILD"]
    return {"OC3": child.isin(open_at_end) & ~child.isin(set(eps["CHILD"])) & care_leaver_data(oc3)}


@rule("1011")
def no_care_leaver_data_after_transfer(d):
    """A child whose final episode ended with care transferred to another local authority
    (REC E3) should have no care leaver information here."""
    eps, oc3 = d["Episodes"], d["OC3"]
    final = final_episode(eps)
    rec = eps["REC"].to_numpy()[final.to_numpy()]
    transferred = set(final.index[rec == "E3"])
    return {"OC3": oc3["CHILD"].isin(transferred) & care_leaver_data(oc3)}


@rule("1012")
def no_other_data_for_care_leavers_without_episodes(d):
    """A child in OC3 with no episode this year should have no rows in PlacedAdoption,
    Missing, Reviews, AD1, PrevPerm or OC2 (each checked when supplied).

    Limited to OC3 children as the DfE message says, so the rule needs OC3 (skipped
    without it); the known implementation flags any child without current episodes.
    """
    eps, oc3 = d["Episodes"], d["OC3"]
    care_leavers = set(oc3["CHILD"][~oc3.blank("CHILD")]) - set(eps["CHILD"])
    out = {}
    for name in ("PlacedAdoption", "Missing", "Reviews", "AD1", "PrevPerm", "OC2"):
        t = d.get(name)
        if t is not None:
            out[name] = t["CHILD"].isin(care_leavers)
    return out


@rule("1014")
def no_uasc_data_for_care_leavers(d):
    """A care leaver (OC3 information given, no episode in the year) should have no UASC
    information. Following the DfE message rather than the known implementation: children
    with no episodes at all (the usual care leaver) are included, and only UASC rows that
    carry information (DUC filled) count and are flagged; the OC3 rows with information of
    such children are flagged too."""
    eps, uasc, oc3 = d["Episodes"], d["UASC"], d["OC3"]
    decom, dec = eps.date("DECOM"), eps.date("DEC")
    in_year = (decom <= d.collection_end) & ((dec >= d.collection_start) | dec.isna())
    in_care = set(eps["CHILD"][in_year])
    oc3_info = care_leaver_data(oc3)
    leavers = set(oc3["CHILD"][oc3_info]) - in_care
    uasc_flag = uasc["CHILD"].isin(leavers) & ~uasc.blank("DUC")
    with_uasc = set(uasc["CHILD"][uasc_flag])
    return {"UASC": uasc_flag, "OC3": oc3_info & oc3["CHILD"].isin(with_uasc)}


@rule("117")
def adoption_decision_within_year_and_care(d):
    """Adoption decision dates (DATE_PLACED, DATE_PLACED_CEASED) are not after collection_end,
    nor after the end of the child's latest episode that is not a mere change of placement
    (REC other than X1; an open episode qualifies).

    The collection_end test is applied to every PlacedAdoption row, as the message says;
    the known implementation checks it only for children with such an episode. The
    episode is flagged with the PlacedAdoption row when the child has one.
    """
    eps, pa = d["Episodes"], d["PlacedAdoption"]
    end = d.collection_end
    latest = episode_per_child(eps, eps["REC"] != "X1", latest=True)
    pos = match_episode(pa, latest)
    ep_dec = take(eps.date("DEC"), pos)
    bad = pd.Series(False, index=pa.index)
    for col in ("DATE_PLACED", "DATE_PLACED_CEASED"):
        when = pa.date(col)
        bad |= (when > end) | (when > ep_dec)
    return {"Episodes": pos[bad & pos.notna()].astype(np.int64).to_numpy(), "PlacedAdoption": bad}


@rule("118")
def adoption_ceased_decision_within_year_and_care(d):
    """A decision that a child should no longer be placed for adoption (DATE_PLACED_CEASED)
    is not before collection_start, nor before the start of the child's earliest episode
    that is not a short break (LS other than V3/V4); equal dates pass.

    The collection_start test is applied to every PlacedAdoption row, as the message says;
    the known implementation checks it only for children with such an episode. The
    episode is flagged with the PlacedAdoption row when the child has one (if all its
    DECOMs are unusable, only the collection_start test can fire).
    """
    eps, pa = d["Episodes"], d["PlacedAdoption"]
    earliest = episode_per_child(eps, ~isin(eps["LS"], ("V3", "V4")), valid_only=False)
    pos = match_episode(pa, earliest)
    ceased = pa.date("DATE_PLACED_CEASED")
    bad = (ceased < d.collection_start) | (ceased < take(eps.date("DECOM"), pos))
    return {"Episodes": pos[bad & pos.notna()].astype(np.int64).to_numpy(), "PlacedAdoption": bad}
