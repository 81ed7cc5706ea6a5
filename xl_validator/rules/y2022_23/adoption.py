"""AD1: the adoption of a child who left care adopted (dates, adopters, their legal status)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ... import catalogue
from .. import rule
from ..common import isin

AD1_ITEMS = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
SINGLE = ("M1", "F1")
COUPLE = ("MM", "FF", "MF")
SAME_SEX_COUPLE = ("MM", "FF")


def filled_count(t, cols) -> pd.Series:
    """How many of ``cols`` are filled in on each row of table ``t``."""
    return sum((~t.blank(c)).astype(int) for c in cols)


def any_adoption_item(ad1) -> pd.Series:
    """AD1 rows with at least one of the six adoption items filled in (values not examined)."""
    return filled_count(ad1, AD1_ITEMS) > 0


def _bad_date(t, col) -> pd.Series:
    """Filled in but not a dd/mm/yyyy calendar date."""
    return ~t.blank(col) & t.date(col).isna()


def _bad_code(t, col, codes) -> pd.Series:
    """Filled in but not one of ``codes`` (exact after upper-casing, spaces count)."""
    return ~t.blank(col) & ~isin(t[col], codes)


@rule("112")
def date_int_valid(d):
    """DATE_INT, when given, must be a real dd/mm/yyyy date; blank is left to 151."""
    ad1 = d["AD1"]
    return {"AD1": _bad_date(ad1, "DATE_INT")}


@rule("113")
def date_match_valid(d):
    """DATE_MATCH, when given, must be a real dd/mm/yyyy date; blank is left to 151."""
    ad1 = d["AD1"]
    return {"AD1": _bad_date(ad1, "DATE_MATCH")}


@rule("114")
def foster_care_code(d):
    """FOSTER_CARE, when given, must be exactly '0' or '1' (no trimming: ' 1' is flagged)."""
    ad1 = d["AD1"]
    return {"AD1": _bad_code(ad1, "FOSTER_CARE", catalogue.codes("FOSTER_CARE", d.year))}


@rule("151")
def adoption_items_all_or_none(d):
    """The six adoption items are completed together: some filled and some blank is flagged."""
    ad1 = d["AD1"]
    n = filled_count(ad1, AD1_ITEMS)
    return {"AD1": (n > 0) & (n < len(AD1_ITEMS))}


@rule("175")
def number_of_adopters_code(d):
    """NB_ADOPTR, when given, must be exactly '1' or '2' ('1.0' is flagged)."""
    ad1 = d["AD1"]
    return {"AD1": _bad_code(ad1, "NB_ADOPTR", catalogue.codes("NB_ADOPTR", d.year))}


@rule("176")
def sex_of_adopters_code(d):
    """SEX_ADOPTR, when given, must be M1, F1, MM, FF or MF. Lower-case codes ('m1', the
    spec's flag example) pass: every value is upper-cased on loading, as the DfE does."""
    ad1 = d["AD1"]
    return {"AD1": _bad_code(ad1, "SEX_ADOPTR", catalogue.codes("SEX_ADOPTR", d.year))}


@rule("177")
def adopters_legal_status_code(d):
    """LS_ADOPTR, when given, must be L0, L11, L12, L2, L3 or L4 (lower case passes after
    upper-casing on loading)."""
    ad1 = d["AD1"]
    return {"AD1": _bad_code(ad1, "LS_ADOPTR", catalogue.codes("LS_ADOPTR", d.year))}


@rule("331")
def matched_before_adoption_placement(d):
    """The child is matched with the adopters on or before the adoption episode starts.

    Each AD1 row is compared with every episode of the same child ending in adoption
    (REC E11/E12); where DATE_MATCH is after that episode's DECOM both rows are flagged.
    """
    ad1, eps = d["AD1"], d["Episodes"]
    adopted = np.flatnonzero((isin(eps["REC"], ("E11", "E12")) & eps.date("DECOM").notna()).to_numpy())
    matched = np.flatnonzero(ad1.date("DATE_MATCH").notna().to_numpy())
    left = pd.DataFrame({"CHILD": ad1["CHILD"].to_numpy()[matched], "ad1": matched,
                         "MATCH": ad1.date("DATE_MATCH").to_numpy()[matched]})
    right = pd.DataFrame({"CHILD": eps["CHILD"].to_numpy()[adopted], "ep": adopted,
                          "DECOM": eps.date("DECOM").to_numpy()[adopted]})
    pairs = left.merge(right, on="CHILD")
    bad = pairs[pairs["MATCH"] > pairs["DECOM"]]
    return {"AD1": bad["ad1"].to_numpy(), "Episodes": bad["ep"].to_numpy()}


@rule("333")
def interest_decision_before_match(d):
    """DATE_INT (should be placed for adoption) must be on or before DATE_MATCH.

    As the spec's logic: once DATE_MATCH is a valid date, a blank or unparseable
    DATE_INT is flagged too, since the match cannot be shown to follow the decision.
    """
    ad1 = d["AD1"]
    match, decided = ad1.date("DATE_MATCH"), ad1.date("DATE_INT")
    return {"AD1": match.notna() & (decided.isna() | (decided > match))}


@rule("511")
def two_adopters_are_a_couple(d):
    """With NB_ADOPTR '2', SEX_ADOPTR must not be a single-adopter code (M1 or F1).

    The spec's logic flags only M1 and F1: a blank SEX_ADOPTR is 151's subject and an
    invalid one 176's.
    """
    ad1 = d["AD1"]
    return {"AD1": (ad1["NB_ADOPTR"] == "2") & isin(ad1["SEX_ADOPTR"], SINGLE)}


@rule("514")
def single_adopter_not_a_couple(d):
    """LS_ADOPTR 'L0' (single adopter) needs a single-adopter SEX_ADOPTR (M1 or F1).

    The spec's logic reads the number of adopters from SEX_ADOPTR, not NB_ADOPTR: any
    other value, blank included, is flagged.
    """
    ad1 = d["AD1"]
    return {"AD1": (ad1["LS_ADOPTR"] == "L0") & ~isin(ad1["SEX_ADOPTR"], SINGLE)}


def _status_needs(ad1, status: str, allowed) -> pd.Series:
    """Rows with LS_ADOPTR ``status`` whose SEX_ADOPTR is not in ``allowed`` (blank included)."""
    return (ad1["LS_ADOPTR"] == status) & ~isin(ad1["SEX_ADOPTR"], allowed)


@rule("517")
def l3_adopters_are_male_and_female(d):
    """LS_ADOPTR L3 requires SEX_ADOPTR MF; anything else, blank included, is flagged."""
    return {"AD1": _status_needs(d["AD1"], "L3", ("MF",))}


@rule("518")
def l4_adopters_are_same_sex(d):
    """LS_ADOPTR L4 requires SEX_ADOPTR MM or FF; anything else, blank included, is flagged."""
    return {"AD1": _status_needs(d["AD1"], "L4", SAME_SEX_COUPLE)}


@rule("519")
def civil_partners_are_a_couple(d):
    """LS_ADOPTR L2 (civil partnership) requires a couple code MM, FF or MF (blank flagged)."""
    return {"AD1": _status_needs(d["AD1"], "L2", COUPLE)}


@rule("520")
def mixed_sex_married_not_same_sex(d):
    """LS_ADOPTR L11 (different gender married couple) requires SEX_ADOPTR MF: a
    same-gender couple, a single adopter or a blank is flagged (the spec's logic)."""
    return {"AD1": _status_needs(d["AD1"], "L11", ("MF",))}


@rule("524")
def l12_adopters_are_same_sex(d):
    """LS_ADOPTR L12 (same gender married couple) requires SEX_ADOPTR MM or FF (blank flagged)."""
    return {"AD1": _status_needs(d["AD1"], "L12", SAME_SEX_COUPLE)}
