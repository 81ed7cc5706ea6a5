"""Header: the child's sex, date of birth, ethnicity, UPN and UASC flag, and their
agreement with last year's Header."""
import numpy as np
import pandas as pd

from ... import catalogue
from .. import rule
from ..common import add_years, child_numbers, isin, once_per_value, pairs_by_number

UPN_UNKNOWN = ("UN1", "UN2", "UN3", "UN4", "UN5")
# A real UPN: a letter other than I, O or S, then 12 digits or 11 digits and a letter.
UPN_PATTERN = r"[A-HJ-NP-RT-Z](?:\d{12}|\d{11}[A-Z])"


@rule("101")
def sex_code(d):
    h = d["Header"]
    return {"Header": ~isin(h["SEX"], ("1", "2"))}


@rule("102")
def dob_valid(d):
    h = d["Header"]
    return {"Header": h.date("DOB").isna()}


@rule("103")
def ethnic_code(d):
    """Lower-case codes pass: the DfE upper-cases every value on loading (the spec's
    example 'wbri' is flagged only before that step); the fix catalogue still offers
    to upper-case them."""
    h = d["Header"]
    return {"Header": ~isin(h["ETHNIC"], catalogue.codes("ETHNIC", d.year))}


@rule("105")
def uasc_flag_valid(d):
    """XML returns carry a UASC item per child, which must read as 0 or 1 (blank and
    non-numeric values flagged). CSV/xlsx returns derive the flag from the UASC
    table, so it is always valid there and nothing is checked."""
    if d.file_format != "xml":
        return {}
    h = d["Header"]
    return {"Header": ~h.number("UASC").isin([0, 1])}


@rule("168")
def upn_valid(d):
    """A filled-in UPN must be a well-formed UPN (check letter not verified) or an
    unknown code UN1-UN5. Blank passes (442 asks for it); lower-case input passes
    because values are upper-cased on loading; no trimming, so a trailing space fails."""
    upn = d["Header"]["UPN"]
    ok = once_per_value(lambda u: u.str.fullmatch(UPN_PATTERN))(upn) | isin(upn, UPN_UNKNOWN) | (upn == "")
    return {"Header": ~ok}


@rule("171")
def mother_child_dob_valid(d):
    """A filled-in MC_DOB must be a real dd/mm/yyyy date."""
    h = d["Header"]
    return {"Header": ~h.blank("MC_DOB") & h.date("MC_DOB").isna()}


def last_year_pairs(d, *cols, dates=()):
    """This year's Header rows paired with every Header_last row of the same CHILD.

    Columns: pos (this year's row position), each text column ``c`` as ``c`` and
    ``c_last``, each column of ``dates`` parsed as ``c_date`` and ``c_date_last``.
    Children absent from last year drop out; a child repeated last year gives
    several pairs.
    """
    h, last = d["Header"], d["Header_last"]

    def side(t, suffix):
        out = {"CHILD": t["CHILD"].to_numpy()}
        out.update({c + suffix: t[c].to_numpy() for c in cols})
        out.update({c + "_date" + suffix: t.date(c).to_numpy() for c in dates})
        return pd.DataFrame(out)

    now = side(h, "")
    now["pos"] = np.arange(len(h))
    before = side(last, "_last")
    i, j = pairs_by_number(child_numbers(d, "Header"), child_numbers(d, "Header_last"))  # as a merge on CHILD
    return pd.concat([now.take(i).reset_index(drop=True), before.drop(columns="CHILD").take(j).reset_index(drop=True)],
                     axis=1)


def flagged_positions(pairs, differs) -> np.ndarray:
    """Unique current-row positions of the pairs where ``differs`` is True."""
    return np.unique(pairs["pos"].to_numpy()[np.asarray(differs, dtype=bool)])


@rule("202")
def sex_matches_last_year(d):
    """This year's SEX must match last year's as text for the same child (any of last
    year's rows), as the logic says. So a 2024/25 return checked against 2023/24 flags
    each continuing child whose gender 1/2 became sex M/F (the spec's code lists record
    this; no DfE coding treats them as equal)."""
    p = last_year_pairs(d, "SEX")
    return {"Header": flagged_positions(p, p["SEX"] != p["SEX_last"])}


@rule("203")
def dob_matches_last_year(d):
    """DOB compared as dates with every Header_last row of the child; unusable in both
    years counts as equal, usable in only one as different."""
    p = last_year_pairs(d, dates=("DOB",))
    now, before = p["DOB_date"], p["DOB_date_last"]
    same = (now == before) | (now.isna() & before.isna())
    return {"Header": flagged_positions(p, ~same)}


@rule("204")
def ethnicity_matches_last_year(d):
    """ETHNIC compared as (upper-cased) text with every Header_last row of the child."""
    p = last_year_pairs(d, "ETHNIC")
    return {"Header": flagged_positions(p, p["ETHNIC"] != p["ETHNIC_last"])}


@rule("208")
def upn_matches_last_year(d):
    """A UPN may change only by becoming better known: from UN1 or blank to UN2-UN5,
    or from an unknown code or blank to a real UPN. Blank -> UN1 is flagged, as the
    spec's logic says."""
    p = last_year_pairs(d, "UPN")
    now, before = p["UPN"], p["UPN_last"]
    real_now = (now != "") & ~isin(now, UPN_UNKNOWN)
    allowed = ((now == before)
               | (isin(before, ("UN1", "")) & isin(now, UPN_UNKNOWN[1:]))
               | ((isin(before, UPN_UNKNOWN) | (before == "")) & real_now))
    return {"Header": flagged_positions(p, ~allowed)}


@rule("209")
def un1_not_school_age(d):
    """UN1 (not of school age) cannot be used for a child who turned 4 on or before
    31 August of the calendar year before the collection year starts."""
    h = d["Header"]
    cutoff = pd.Timestamp(d.collection_start.year - 1, 8, 31)
    return {"Header": (h["UPN"] == "UN1") & (add_years(h.date("DOB"), 4) <= cutoff)}


@rule("301")
def dob_not_after_year_end(d):
    h = d["Header"]
    return {"Header": h.date("DOB") > d.collection_end}


@rule("351")
def not_over_25_at_year_start(d):
    """25th birthday strictly before collection_start; unusable DOB passes."""
    h = d["Header"]
    return {"Header": add_years(h.date("DOB"), 25) < d.collection_start}
