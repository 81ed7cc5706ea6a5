"""Data integrity: a child appears once in one-per-child tables and always in Header,
and the details repeated in other tables (DOB, SEX) agree with Header."""
import numpy as np
import pandas as pd

from .. import rule
from ..common import child_in, child_numbers, pairs_by_number


def _repeated(d, table):
    """Every row of a CHILD on more than one row (a blank CHILD never repeats: see Table)."""
    return {table: d[table]["CHILD"].duplicated(keep=False)}


@rule("INT31")
def once_in_ad1(d):
    return _repeated(d, "AD1")


@rule("INT32")
def once_in_header(d):
    return _repeated(d, "Header")


@rule("INT33")
def once_in_oc2(d):
    return _repeated(d, "OC2")


@rule("INT34")
def once_in_oc3(d):
    return _repeated(d, "OC3")


@rule("INT36")
def once_in_uasc(d):
    return _repeated(d, "UASC")


# --- every child of a table must be in Header ---------------------------------------

def _not_in_header(d, table):
    """Rows of ``table`` whose CHILD (exact text) is on no Header row. A blank CHILD is
    nobody, so it is always flagged (the spec's logic lets it pass when Header also has
    a blank CHILD, a join artefact its notes point out)."""
    return {table: ~child_in(d, table, "Header")}


@rule("INT01")
def ad1_child_in_header(d):
    return _not_in_header(d, "AD1")


@rule("INT02")
def placed_adoption_child_in_header(d):
    return _not_in_header(d, "PlacedAdoption")


@rule("INT03")
def episode_child_in_header(d):
    return _not_in_header(d, "Episodes")


@rule("INT04")
def missing_child_in_header(d):
    return _not_in_header(d, "Missing")


@rule("INT05")
def oc2_child_in_header(d):
    return _not_in_header(d, "OC2")


@rule("INT06")
def oc3_child_in_header(d):
    return _not_in_header(d, "OC3")


@rule("INT07")
def prev_perm_child_in_header(d):
    return _not_in_header(d, "PrevPerm")


@rule("INT08")
def review_child_in_header(d):
    return _not_in_header(d, "Reviews")


@rule("INT09")
def uasc_child_in_header(d):
    return _not_in_header(d, "UASC")


# --- repeated details must agree with Header ----------------------------------------

def _differs_from_header(d, table, values, header_values, present):
    """Rows of ``table`` whose value differs from that of any Header row of the same child.

    ``values``/``header_values`` are the compared Series of each table, ``present`` a
    function giving which entries count as filled in; rows or Header rows with an empty
    value, or a child absent from Header, are not compared."""
    header = d["Header"]
    t = d[table]
    mine = np.flatnonzero(present(values).to_numpy())
    theirs = np.flatnonzero(present(header_values).to_numpy())
    t["CHILD"], header["CHILD"]  # read in this order, so a missing column is the one reported
    child, value = child_numbers(d, "Header")[theirs], header_values.to_numpy()[theirs]
    # Each (CHILD, value) of Header once, as dropping duplicate rows keeps it.
    value_code = pd.factorize(value, use_na_sentinel=False)[0]
    once = np.sort(np.unique(child * (value_code.max(initial=-1) + 1) + value_code, return_index=True)[1])
    i, j = pairs_by_number(child_numbers(d, table)[mine], child[once])
    return {table: mine[i][values.to_numpy()[mine][i] != value[once][j]]}


def _dob_differs(d, table):
    """DOB compared as dates, so '1/4/2020' equals '01/04/2020'; blank or unparseable
    DOB on either side is not compared."""
    return _differs_from_header(d, table, d[table].date("DOB"), d["Header"].date("DOB"),
                                lambda s: s.notna())


@rule("INT11")
def ad1_dob_matches_header(d):
    return _dob_differs(d, "AD1")


@rule("INT12")
def placed_adoption_dob_matches_header(d):
    return _dob_differs(d, "PlacedAdoption")


@rule("INT13")
def missing_dob_matches_header(d):
    return _dob_differs(d, "Missing")


@rule("INT14")
def oc2_dob_matches_header(d):
    return _dob_differs(d, "OC2")


@rule("INT15")
def oc3_dob_matches_header(d):
    return _dob_differs(d, "OC3")


@rule("INT16")
def prev_perm_dob_matches_header(d):
    return _dob_differs(d, "PrevPerm")


@rule("INT17")
def review_dob_matches_header(d):
    return _dob_differs(d, "Reviews")


@rule("INT18")
def uasc_dob_matches_header(d):
    return _dob_differs(d, "UASC")


@rule("INT21")
def uasc_sex_matches_header(d):
    """SEX compared as exact text (no trimming: '1' and ' 1' differ); a blank SEX on
    either side is not compared."""
    return _differs_from_header(d, "UASC", d["UASC"]["SEX"], d["Header"]["SEX"], lambda s: s != "")
