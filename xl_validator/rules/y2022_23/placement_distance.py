"""Placement location and distance, derived from the postcodes (PL_LA, PL_LOCATION, PL_DISTANCE)."""
from __future__ import annotations

from ...prepare import Missing
from .. import rule
from ..common import isin, uasc_children


@rule("406")
def no_distance_for_uasc(d):
    """For a child who is or was UASC no placement distance should be recorded: an episode with
    a derived PL_DISTANCE (both HOME_POST and PL_POST found in the postcode directory with a
    grid reference) is flagged.

    Children UASC two years ago are not visible (the message's false negatives). When no UASC
    information at all is loaded (no Header UASC column, no UASC table, this year or last), the
    rule is skipped rather than passed.
    """
    children = uasc_children(d)
    if children is None:
        raise Missing("no UASC information (Header UASC or UASC table, this year or last)")
    e = d["Episodes"]
    return {"Episodes": isin(e["CHILD"], children) & e["PL_DISTANCE"].notna()}


@rule("411")
def placement_location_agrees_with_placement_la(d):
    """PL_LOCATION 'IN' must mean the placement LA is the return's own local authority (a blank
    PL_LA differs). Both are derived from PL_POST, so this only fires if they reach the rule some
    other way; 'OUT' is not checked."""
    la = d.la
    e = d["Episodes"]
    return {"Episodes": (e["PL_LOCATION"] == "IN") & (e["PL_LA"] != la)}


@rule("420")
def no_placement_la_for_respite(d):
    """V3/V4 respite episodes have no placement LA: a PL_POST that resolves to an authority
    (England, or WAL/SCO/NIR) is flagged; an unknown postcode passes (rule 398 covers it)."""
    e = d["Episodes"]
    return {"Episodes": isin(e["LS"], ("V3", "V4")) & (e["PL_LA"] != "")}
