"""Home and placement postcodes: recorded, real, different, and absent for respite care."""
from __future__ import annotations

import pandas as pd

from ...prepare import Missing
from .. import rule
from ..common import isin, uasc_children

RESPITE = ("V3", "V4")


def _needs_postcodes(d) -> pd.Series:
    """Episodes whose postcodes are expected: LS not V3/V4 and the child never UASC."""
    e = d["Episodes"]
    uasc = uasc_children(d) or set()
    return ~isin(e["LS"], RESPITE) & ~e["CHILD"].isin(uasc)


def _known(d, col: str) -> pd.Series:
    """True where the column holds a postcode found in the national directory."""
    e = d["Episodes"]
    return d.postcode_lookup(e, col)["found"]


@rule("392a")
def distance_recorded(d):
    """A looked-after child (not on respite, never UASC this or last year) has a placement
    distance: PL_DISTANCE (derived from the grid references of HOME_POST and PL_POST) is
    not blank. A postcode found in the directory without a grid reference (Channel Islands,
    Isle of Man) gives no distance, so it is flagged.

    With no UASC information at all (no Header UASC column or UASC table, this year or last)
    the known implementation flags nothing; here the rule is reported as skipped instead,
    so the missing input is visible rather than passing.
    """
    if uasc_children(d) is None:
        raise Missing("no UASC information (Header UASC column or UASC table, this year or last)")
    return {"Episodes": _needs_postcodes(d) & d["Episodes"]["PL_DISTANCE"].isna()}


@rule("392b")
def postcodes_recorded(d):
    """A looked-after child (not on respite, never UASC this or last year) has both HOME_POST
    and PL_POST: one missing is flagged, reading "no postcodes" as the postcode fields not
    both recorded (the distance cannot be derived from one). Without UASC data no child is
    excluded, as the DfE message warns."""
    e = d["Episodes"]
    return {"Episodes": _needs_postcodes(d) & (e.blank("HOME_POST") | e.blank("PL_POST"))}


@rule("392c")
def postcodes_exist(d):
    """A non-blank HOME_POST or PL_POST must be a full unit postcode of the national
    directory, matched upper-case without spaces; blanks are 392b's concern. A value of
    spaces only is not blank (only an empty cell is) and matches no postcode."""
    e = d["Episodes"]
    bad = pd.Series(False, index=e.index)
    for col in ("HOME_POST", "PL_POST"):
        bad |= ~e.blank(col) & ~_known(d, col)
    return {"Episodes": bad}


@rule("392d")
def home_and_placement_postcodes_differ(d):
    """HOME_POST and PL_POST must differ unless the child is placed with parents (P1).
    Compared as exact text, so 'BN2 0AA' and 'BN20AA' count as different."""
    e = d["Episodes"]
    return {"Episodes": (e["PLACE"] != "P1") & ~e.blank("HOME_POST") & (e["HOME_POST"] == e["PL_POST"])}


@rule("398")
def no_postcodes_for_respite(d):
    """Respite care (V3/V4) records no distance, so neither postcode is given (valid or not)."""
    e = d["Episodes"]
    return {"Episodes": isin(e["LS"], RESPITE) & (~e.blank("HOME_POST") | ~e.blank("PL_POST"))}
