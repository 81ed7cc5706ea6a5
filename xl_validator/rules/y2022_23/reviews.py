"""Reviews: review dates and the child's participation code against its age."""
from ... import catalogue
from .. import rule
from ..common import add_years, isin

AGED_4_PLUS = ("PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7")


@rule("166")
def review_date_valid(d):
    r = d["Reviews"]
    return {"Reviews": r.date("REVIEW").isna()}


@rule("167")
def participation_code_valid(d):
    """A review with a date needs a valid REVIEW_CODE; a row without a date must have
    no code. Only blankness of REVIEW matters here (166 checks the date). Lower-case
    codes pass: values are upper-cased on loading (the spec example 'pn0' is flagged
    only before that step)."""
    r = d["Reviews"]
    dated, coded = ~r.blank("REVIEW"), ~r.blank("REVIEW_CODE")
    valid = isin(r["REVIEW_CODE"], catalogue.codes("REVIEW_CODE", d.year))
    return {"Reviews": ~((dated & valid) | (~dated & ~coded))}


def fourth_birthday(r):
    return add_years(r.date("DOB"), 4)


@rule("440")
def pn0_only_under_4(d):
    """PN0 (under 4) on a review held after the 4th birthday (Reviews' own DOB); a review
    on the birthday itself passes, as the spec's logic says."""
    r = d["Reviews"]
    return {"Reviews": (r["REVIEW_CODE"] == "PN0") & (r.date("REVIEW") > fourth_birthday(r))}


@rule("441")
def pn1_to_pn7_from_4(d):
    """PN1-PN7 (aged 4 or over) on a review held before the 4th birthday."""
    r = d["Reviews"]
    return {"Reviews": isin(r["REVIEW_CODE"], AGED_4_PLUS) & (r.date("REVIEW") < fourth_birthday(r))}
