"""Episodes: placement type, placement location and postcode, URN requirements and the
reason for a placement change.

PL_LA, PL_LOCATION and PL_DISTANCE are derived from the postcodes (see
``prepare.postcodes``); rules that use them are skipped when the postcode data is not
installed. The parameterised helpers here are reused by later years' versions.
"""
from __future__ import annotations

import pandas as pd

from ...prepare import Missing
from .. import rule
from ..common import isin, next_value, previous_value, uasc_children

PLACE_CODES = ("A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1",
               "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1")
TEMPORARY = ("T0", "T1", "T2", "T3", "T4")
SHORT_BREAK = ("V3", "V4")
NO_URN = ("H5", "P1", "P2", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1")
ADOPTION_OR_FOSTER = ("A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6")
PLACEHOLDER_URN = "XXXXXXX"


def place_not_in(d, codes) -> dict:
    """A filled-in PLACE that is not one of ``codes``."""
    e = d["Episodes"]
    return {"Episodes": ~e.blank("PLACE") & ~isin(e["PLACE"], codes)}


def provider_given_for(d, places) -> dict:
    """A PLACE_PROVIDER (any value) on a placement type that takes none."""
    e = d["Episodes"]
    return {"Episodes": isin(e["PLACE"], places) & ~e.blank("PLACE_PROVIDER")}


def urn_given_for(d, places) -> dict:
    """A real URN (not blank, not the placeholder) on a placement type that takes none."""
    e = d["Episodes"]
    return {"Episodes": isin(e["PLACE"], places) & ~e.blank("URN") & (e["URN"] != PLACEHOLDER_URN)}


def outside_england_by_prefix(pl_la: pd.Series, prefixes: str = "NWSC") -> pd.Series:
    """PL_LA starting with one of ``prefixes`` (in practice NIR, WAL, SCO), or unknown.

    An unknown PL_LA (placement postcode blank or not found) counts as outside England:
    the DfE's implementation reads it as the text 'nan', which starts with N, so such
    placements are never asked for a URN.
    """
    return (pl_la == "") | pl_la.str[:1].isin(list(prefixes))


def urn_missing_in_year(d, exempt_places, outside_england) -> dict:
    """Episodes open in the year (DEC blank or on/after collection_start; an unparseable
    DEC is excluded) in a non-exempt placement in England with a blank URN."""
    e = d["Episodes"]
    dec = e.date("DEC")
    in_year = e.blank("DEC") | (dec >= d.collection_start)
    mask = in_year & e.blank("URN") & ~isin(e["PLACE"], exempt_places) & ~outside_england(e["PL_LA"])
    return {"Episodes": mask}


def own_provision_out_of_area(d, exempt_places) -> dict:
    """PR1 (own provision) placements whose PL_LA is not the return's authority; a blank
    PL_LA (placement postcode blank or not found) is not equal, so it is flagged."""
    e = d["Episodes"]
    checked = ((e["PLACE_PROVIDER"] == "PR1") & ~e.blank("PLACE") & ~isin(e["PLACE"], exempt_places)
               & ~e.blank("LS") & ~isin(e["LS"], SHORT_BREAK))
    return {"Episodes": checked & (e["PL_LA"] != d.la)}


@rule("146")
def placement_type_code(d):
    return place_not_in(d, PLACE_CODES)


@rule("164")
def placement_distance_valid(d):
    """A derived distance must be 0 to 999.9 miles, for children not UASC this year or
    last. A distance that cannot be worked out (postcode blank or not found) is not
    flagged, so the rule practically never fires. Skipped without any UASC information.
    """
    e = d["Episodes"]
    dist = e["PL_DISTANCE"]
    uasc = uasc_children(d)
    if uasc is None:
        raise Missing("no UASC information (UASC table or Header UASC column) supplied")
    return {"Episodes": ((dist < 0) | (dist > 999.9)) & ~e["CHILD"].isin(uasc)}


@rule("169")
def placement_la_known(d):
    e = d["Episodes"]
    return {"Episodes": ~isin(e["LS"], SHORT_BREAK) & (e["PL_LA"] == "")}


@rule("179")
def placement_location_known(d):
    """PL_LOCATION is derived, so only a missing one (postcode blank or not found) is
    invalid. Needs the local authority, as the location is IN/OUT relative to it."""
    e = d["Episodes"]
    return {"Episodes": ~isin(e["LS"], SHORT_BREAK) & (e["PL_LOCATION"] == "")}


@rule("213")
def no_provider_for_temporary_placements(d):
    return provider_given_for(d, TEMPORARY)


@rule("214")
def no_location_for_short_breaks(d):
    """Any PL_POST or URN on a short break is flagged, the placeholder URN included."""
    e = d["Episodes"]
    return {"Episodes": isin(e["LS"], SHORT_BREAK) & (~e.blank("PL_POST") | ~e.blank("URN"))}


@rule("217")
def adoption_with_current_carers_rne(d):
    e = d["Episodes"]
    started = e.date("DECOM") >= pd.Timestamp(2015, 4, 1)
    return {"Episodes": isin(e["PLACE"], ("A3", "A5")) & started & ~isin(e["RNE"], ("S", "T", "U"))}


@rule("218")
def urn_required(d):
    return urn_missing_in_year(d, NO_URN, outside_england_by_prefix)


@rule("222")
def urn_not_for_placement_type(d):
    return urn_given_for(d, NO_URN)


@rule("225")
def reason_for_placement_change_needed(d):
    """An X1 episode followed by a placement change (next RNE P, B, T or U), neither
    placement temporary (T0-T4), needs a reason for the change. "Next" is in the shared
    episode order (ties on DECOM by DEC, then the rows' text), not file order."""
    e = d["Episodes"]
    next_rne = next_value(d, e["RNE"])
    next_place = next_value(d, e["PLACE"])
    mask = ((e["REC"] == "X1") & e.blank("REASON_PLACE_CHANGE") & ~isin(e["PLACE"], TEMPORARY)
            & next_rne.isin(["P", "B", "T", "U"]) & next_place.notna() & ~next_place.isin(TEMPORARY))
    return {"Episodes": mask}


@rule("226")
def no_reason_for_temporary_placement(d):
    """A temporary placement (T0-T4) must not carry a reason for placement change, nor
    follow an episode that carries one. Only the temporary episode is flagged. "Follow"
    is in the shared episode order (ties on DECOM by DEC, then the rows' text)."""
    e = d["Episodes"]
    reason = ~e.blank("REASON_PLACE_CHANGE")
    previous_reason = previous_value(d, e["REASON_PLACE_CHANGE"]).fillna("") != ""
    return {"Episodes": isin(e["PLACE"], TEMPORARY) & (reason | previous_reason)}


@rule("1015")
def own_provision_in_own_la(d):
    return own_provision_out_of_area(d, ADOPTION_OR_FOSTER)
