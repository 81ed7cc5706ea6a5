"""OC2: outcomes for children looked after continuously for 12 months (SDQ, health, offending,
substance misuse), and how they fit the child's age and care history."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ... import catalogue
from .. import rule
from ..common import add_years, child_in, continuously_looked_after, episodes_sorted, isin, looked_after_all_year

# The eight yes/no items that apply to every child looked after for 12 months.
HEALTH_ITEMS = ("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE")
OTHER_ITEMS = ("CONVICTED", "HEALTH_CHECK", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")
OC2_ITEMS = ("CONVICTED", "HEALTH_CHECK") + HEALTH_ITEMS + ("INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")


def any_filled(t, cols) -> pd.Series:
    """True where at least one of ``cols`` is not blank (shared by the OC2/OC3 rules)."""
    out = pd.Series(False, index=t.index)
    for c in cols:
        out |= ~t.blank(c)
    return out


def any_blank(t, cols) -> pd.Series:
    """True where at least one of ``cols`` is blank."""
    out = pd.Series(False, index=t.index)
    for c in cols:
        out |= t.blank(c)
    return out


def is_cla(d, t) -> pd.Series:
    """For each row of ``t``, whether its CHILD was looked after continuously all year
    (needs Episodes: skipped without it)."""
    return pd.Series(looked_after_all_year(d, t.name), index=t.index)


def birthday(t, years: int) -> pd.Series:
    """The Nth birthday from the table's own DOB (29 February -> 28 February); NaT if no DOB."""
    return add_years(t.date("DOB"), years)


def sdq_given(t) -> pd.Series:
    """True where an SDQ score or a reason for no score is given."""
    return ~t.blank("SDQ_SCORE") | ~t.blank("SDQ_REASON")


@rule("157")
def sdq1_for_child_aged_4_to_16(d):
    """SDQ1 means 'child under 4 or over 16 at the assessment': wrong for a child in care
    all year who was at least 4 at the start of the year (4th birthday on or before
    collection_start) and not yet past 16 at its end (16th birthday on or after
    collection_end). Both ages must hold, as the spec's logic says ('or' in the message
    would hit every child); a child who turned 16 during the year is not flagged.
    """
    oc2 = d["OC2"]
    four_at_start = birthday(oc2, 4) <= d.collection_start
    sixteen_at_end = birthday(oc2, 16) >= d.collection_end
    flag = (four_at_start & sixteen_at_end & oc2.blank("SDQ_SCORE")
            & (oc2["SDQ_REASON"] == "SDQ1") & is_cla(d, oc2))
    return {"OC2": flag}


@rule("158")
def intervention_offered_blank_when_received(d):
    """'Offered' is only asked when no intervention was received."""
    oc2 = d["OC2"]
    return {"OC2": (oc2["INTERVENTION_RECEIVED"] == "1") & ~oc2.blank("INTERVENTION_OFFERED")}


@rule("159")
def intervention_offered_given_when_not_received(d):
    """A substance misuse problem with no intervention received needs the 'offered' item."""
    oc2 = d["OC2"]
    flag = ((oc2["SUBSTANCE_MISUSE"] == "1") & (oc2["INTERVENTION_RECEIVED"] == "0")
            & oc2.blank("INTERVENTION_OFFERED"))
    return {"OC2": flag}


@rule("180")
def sdq_score_in_range(d):
    """SDQ_SCORE, when given, is a whole number 0-40. Read as a number leniently (spaces,
    sign, leading zeros, '20.0' as spreadsheets write whole numbers), as the known
    implementation does: the DfE checks the value, not its spelling."""
    oc2 = d["OC2"]
    score = oc2.number("SDQ_SCORE")
    valid = score.between(0, 40) & (np.floor(score) == score)
    return {"OC2": ~oc2.blank("SDQ_SCORE") & ~valid}


@rule("181")
def oc2_items_are_0_or_1(d):
    """Each of the eight yes/no OC2 items, when given, is exactly '0' or '1'."""
    oc2 = d["OC2"]
    flag = pd.Series(False, index=oc2.index)
    for c in OC2_ITEMS:
        flag |= ~oc2.blank(c) & ~isin(oc2[c], ("0", "1"))
    return {"OC2": flag}


@rule("182")
def health_items_complete_or_oc2_empty(d):
    """The four health items must all be given once any of the other four yes/no items
    (CONVICTED, HEALTH_CHECK, the two intervention items) is: a row with one health item
    blank and one of those filled is flagged. As the spec's logic, a row with only some
    health items filled and the other four blank passes.
    """
    oc2 = d["OC2"]
    return {"OC2": any_blank(oc2, HEALTH_ITEMS) & any_filled(oc2, OTHER_ITEMS)}


@rule("188")
def no_sdq_under_4(d):
    """No SDQ score or reason for a child who is not yet 4 at collection_end."""
    oc2 = d["OC2"]
    return {"OC2": (birthday(oc2, 4) > d.collection_end) & sdq_given(oc2)}


@rule("189")
def no_sdq_over_17(d):
    """No SDQ score or reason for a child already 17 before the year began.

    A child whose 17th birthday is collection_start itself is not flagged, although it is
    literally 17 at the beginning of the year: rule 197B requires an SDQ score or reason
    for exactly that child (17th birthday within the year), and the two rules cannot both
    be satisfied otherwise.
    """
    oc2 = d["OC2"]
    return {"OC2": (birthday(oc2, 17) < d.collection_start) & sdq_given(oc2)}


@rule("190")
def oc2_items_only_for_cla(d):
    """The twelve-month items are only for children looked after continuously all year
    (as decided by ``continuously_looked_after``; children without episodes are not)."""
    oc2 = d["OC2"]
    return {"OC2": any_filled(oc2, OC2_ITEMS) & ~is_cla(d, oc2)}


@rule("191")
def cla_health_items_given(d):
    """A child looked after all year needs the four health items: its OC2 row is flagged
    when one is blank; a child with no OC2 row at all has its earliest episode flagged (by
    valid DECOM, which a CLA child always has; ties in the shared episode order, not file
    order)."""
    oc2 = d["OC2"]
    eps = d["Episodes"]
    continuously_looked_after(d)  # before OC2's CHILD is read: a missing input is named as ever
    oc2_flag = looked_after_all_year(d, "OC2") & any_blank(oc2, HEALTH_ITEMS)
    missing = pd.Series(looked_after_all_year(d, "Episodes") & ~child_in(d, "Episodes", "OC2"))
    order = episodes_sorted(d)
    pick = missing.to_numpy()[order["pos"].to_numpy()] & order["DECOM"].notna().to_numpy()
    first = order[pick].drop_duplicates("CHILD")["pos"].to_numpy()
    return {"OC2": oc2_flag, "Episodes": first}


@rule("192")
def intervention_received_given(d):
    """A substance misuse problem ('1') needs the 'intervention received' item."""
    oc2 = d["OC2"]
    return {"OC2": (oc2["SUBSTANCE_MISUSE"] == "1") & oc2.blank("INTERVENTION_RECEIVED")}


@rule("193")
def no_intervention_without_substance_misuse(d):
    """Intervention items belong only to children with a substance misuse problem;
    SUBSTANCE_MISUSE blank or '0' with either item given is flagged (other values are
    left to rule 181)."""
    oc2 = d["OC2"]
    no_problem = oc2.blank("SUBSTANCE_MISUSE") | (oc2["SUBSTANCE_MISUSE"] == "0")
    return {"OC2": no_problem & any_filled(oc2, ("INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"))}


@rule("196")
def sdq_reason_code(d):
    """SDQ_REASON, when given, is SDQ1-SDQ5; 'sdq1' passes (upper-cased on loading),
    'SDQ1 ' does not (spaces are kept)."""
    oc2 = d["OC2"]
    return {"OC2": ~oc2.blank("SDQ_REASON") & ~isin(oc2["SDQ_REASON"], catalogue.codes("SDQ_REASON", d.year))}


@rule("197B")
def sdq_for_4_and_17_year_olds(d):
    """A child in care all year who turns 4 or 17 during the year needs an SDQ score or a
    reason for none."""
    oc2 = d["OC2"]
    start, end = d.collection_start, d.collection_end
    turns = pd.Series(False, index=oc2.index)
    for age in (4, 17):
        b = birthday(oc2, age)
        turns |= (b >= start) & (b <= end)
    flag = turns & oc2.blank("SDQ_SCORE") & oc2.blank("SDQ_REASON") & is_cla(d, oc2)
    return {"OC2": flag}


@rule("197a")
def sdq_reason_only_without_score(d):
    """A reason for no SDQ score is given only when there is no score."""
    oc2 = d["OC2"]
    return {"OC2": ~oc2.blank("SDQ_SCORE") & ~oc2.blank("SDQ_REASON")}


@rule("215")
def no_oc2_items_for_care_leavers(d):
    """A child with care leaver (OC3) data should not also have twelve-month OC2 items:
    the OC3 row and the OC2 row of such a child are both flagged."""
    oc2, oc3 = d["OC2"], d["OC3"]
    oc3_filled = any_filled(oc3, ("IN_TOUCH", "ACTIV", "ACCOM"))
    oc2_filled = any_filled(oc2, OC2_ITEMS)
    both = set(oc3["CHILD"][oc3_filled]) & set(oc2["CHILD"][oc2_filled])
    return {"OC3": oc3_filled & oc3["CHILD"].isin(both), "OC2": oc2_filled & oc2["CHILD"].isin(both)}


@rule("542")
def no_conviction_under_10(d):
    """No conviction data for a child not yet 10 at collection_end ('0' included)."""
    oc2 = d["OC2"]
    return {"OC2": (birthday(oc2, 10) > d.collection_end) & ~oc2.blank("CONVICTED")}


@rule("544")
def health_items_given_with_conviction(d):
    """A conviction (CONVICTED '1') needs the four health items. As the spec's logic,
    CONVICTED '0' is not checked."""
    oc2 = d["OC2"]
    return {"OC2": (oc2["CONVICTED"] == "1") & any_blank(oc2, HEALTH_ITEMS)}


@rule("545")
def health_check_given_under_5(d):
    """A child in care all year and not yet 5 at collection_end needs HEALTH_CHECK."""
    oc2 = d["OC2"]
    flag = (birthday(oc2, 5) > d.collection_end) & oc2.blank("HEALTH_CHECK") & is_cla(d, oc2)
    return {"OC2": flag}


@rule("547")
def health_items_given_with_health_check(d):
    """Health promotion information (HEALTH_CHECK '1') needs the four health items. As the
    spec's logic, HEALTH_CHECK '0' is not checked."""
    oc2 = d["OC2"]
    return {"OC2": (oc2["HEALTH_CHECK"] == "1") & any_blank(oc2, HEALTH_ITEMS)}
