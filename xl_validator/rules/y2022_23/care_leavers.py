"""OC3: care leavers around their 17th to 21st birthdays (contact, activity, accommodation)."""
from __future__ import annotations

from ... import catalogue
from .. import rule
from ..common import add_years, continuously_looked_after, isin, looked_after_all_year
from .adoption import any_adoption_item

OC3_ITEMS = ("IN_TOUCH", "ACTIV", "ACCOM")


def any_care_leaver_item(oc3):
    """OC3 rows with at least one of IN_TOUCH, ACTIV, ACCOM filled in (values not examined)."""
    return ~oc3.blank("IN_TOUCH") | ~oc3.blank("ACTIV") | ~oc3.blank("ACCOM")


def _not_in_list(oc3, col, year):
    """Not one of the column's codes for ``year``; blank is flagged (exact after upper-casing)."""
    return ~isin(oc3[col], catalogue.codes(col, year))


@rule("131")
def in_touch_code(d):
    """IN_TOUCH must be a valid code; blank is flagged. Mixed case ('Yes') passes: values
    are upper-cased on loading, as the DfE does."""
    return {"OC3": _not_in_list(d["OC3"], "IN_TOUCH", d.year)}


@rule("132")
def activity_code(d):
    """ACTIV must be a valid code ('0' when not applicable); blank is flagged. Lower case
    ('f1') passes after upper-casing on loading."""
    return {"OC3": _not_in_list(d["OC3"], "ACTIV", d.year)}


@rule("133")
def accommodation_code(d):
    """ACCOM must be a valid code ('0' when not applicable); blank is flagged as the DfE
    does (its message could be read as allowing blanks; 153 also catches them)."""
    return {"OC3": _not_in_list(d["OC3"], "ACCOM", d.year)}


@rule("134")
def no_adoption_data_for_care_leavers(d):
    """A child with care-leaver data in OC3 must have no adoption data in AD1 (AD1 flagged)."""
    oc3, ad1 = d["OC3"], d["AD1"]
    leavers = set(oc3["CHILD"][any_care_leaver_item(oc3)])
    return {"AD1": any_adoption_item(ad1) & ad1["CHILD"].isin(leavers)}


@rule("153")
def care_leaver_items_all_or_none(d):
    """IN_TOUCH, ACTIV and ACCOM are completed together: some filled and some blank is flagged."""
    oc3 = d["OC3"]
    n = sum((~oc3.blank(c)).astype(int) for c in OC3_ITEMS)
    return {"OC3": (n > 0) & (n < len(OC3_ITEMS))}


@rule("187")
def no_adoption_or_leaver_data_for_oc2_children(d):
    """Children looked after continuously for 12 months (the OC2 cohort, per
    ``continuously_looked_after``) must have no OC3 or AD1 data. As the spec's logic, the rule
    needs OC3, AD1 and Episodes all supplied."""
    oc3, ad1 = d["OC3"], d["AD1"]
    continuously_looked_after(d)  # needed first: a missing input is named as ever
    return {"OC3": any_care_leaver_item(oc3) & looked_after_all_year(d, "OC3"),
            "AD1": any_adoption_item(ad1) & looked_after_all_year(d, "AD1")}


@rule("344")
def died_or_home_has_no_activity(d):
    """IN_TOUCH DIED or RHOM: ACTIV and ACCOM must both be '0' (not applicable). As the spec's
    logic, a blank counts as not '0' and is flagged (153 reports it too)."""
    oc3 = d["OC3"]
    completed = (oc3["ACTIV"] != "0") | (oc3["ACCOM"] != "0")
    return {"OC3": isin(oc3["IN_TOUCH"], ("DIED", "RHOM")) & completed}


@rule("345")
def in_touch_has_activity(d):
    """IN_TOUCH YES: neither ACTIV nor ACCOM may be '0' (blanks are not flagged here)."""
    oc3 = d["OC3"]
    return {"OC3": (oc3["IN_TOUCH"] == "YES") & ((oc3["ACTIV"] == "0") | (oc3["ACCOM"] == "0"))}


@rule("391")
def care_leaver_not_too_young(d):
    """A completed OC3 row needs a young person who was 17 at some point in the year: a
    valid OC3 DOB whose 17th birthday is after collection_end is flagged. As the spec's
    logic, only the too-young side is checked. Blank or unparseable DOB is not flagged.
    """
    oc3 = d["OC3"]
    too_young = add_years(oc3.date("DOB"), 17) > d.collection_end
    return {"OC3": any_care_leaver_item(oc3) & too_young}
