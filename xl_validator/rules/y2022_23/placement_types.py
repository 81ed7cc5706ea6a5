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


def outside_england_by_prefix(pl_la: pd.Series) -> pd.Series:
    """PL_LA starting with N, W, S or C (in practice NIR, WAL, SCO).

    An unknown PL_LA ('') is not outside England. The known implementation reads a
    missing PL_LA as the text 'nan', which starts with N, so placements with a blank or
    unknown postcode are never asked for a URN; the rules' intent is to exempt only
    placements known to be outside England, which we follow.
    """
    return pl_la.str[:1].isin(["N", "W", "S", "C"])


def urn_missing_in_year(d, exempt_places, outside_england) -> dict:
    """Episodes open in the year (DEC blank or on/after collection_start; an unparseable
    DEC is excluded) in a non-exempt placement in England with a blank URN."""
    e = d["Episodes"]
    dec = e.date("DEC")
    in_year = e.blank("DEC") | (dec >= d.collection_start)
    mask = in_year & e.blank("URN") & ~isin(e["PLACE"], exempt_places) & ~outside_england(e["PL_LA"])
    return {"Episodes": mask}


def own_provision_out_of_area(d, exempt_places) -> dict:
    """PR1 (own provision) placements known to be in another authority.

    A blank PL_LA (placement postcode blank or not found) is not flagged: the DfE
    message is about a child "not placed in own LA", which an unknown location does not
    show (the known implementation flags it; rule 169 reports the missing location).
    """
    e = d["Episodes"]
    checked = ((e["PLACE_PROVIDER"] == "PR1") & ~e.blank("PLACE") & ~isin(e["PLACE"], exempt_places)
               & ~e.blank("LS") & ~isin(e["LS"], SHORT_BREAK))
    pl_la = e["PL_LA"]
    return {"Episodes": checked & (pl_la != "") & (pl_la != d.la)}


@rule("146")
def placement_type_code(d):
    return place_not_in(d, PLACE_CODES)


@rule("164")
def placement_distance_valid(d):
    """Distance must be 0 to 999.9 miles, for non-UASC children outside short breaks.

    Following the DfE message ("check a valid postcode has been entered"), an episode
    whose HOME_POST and PL_POST are both filled in but whose distance cannot be worked
    out (a postcode not found) is flagged too; the known implementation only checks the
    range of a computed distance, which a real UK distance never leaves. Blank postcodes
    are left to the rules that require them. Short breaks (LS V3/V4) are not checked, as
    in the DfE condition. UASC history further back than last year is not available.
    """
    e = d["Episodes"]
    dist = e["PL_DISTANCE"]
    uasc = uasc_children(d)
    if uasc is None:
        raise Missing("no UASC information (UASC table or Header UASC column) supplied")
    entered = ~e.blank("HOME_POST") & ~e.blank("PL_POST")
    bad = (dist < 0) | (dist > 999.9) | (dist.isna() & entered)
    return {"Episodes": bad & ~isin(e["LS"], SHORT_BREAK) & ~e["CHILD"].isin(uasc)}


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
    placement temporary (T0-T4), needs a reason for the change."""
    e = d["Episodes"]
    next_rne = next_value(d, e["RNE"])
    next_place = next_value(d, e["PLACE"])
    mask = ((e["REC"] == "X1") & e.blank("REASON_PLACE_CHANGE") & ~isin(e["PLACE"], TEMPORARY)
            & next_rne.isin(["P", "B", "T", "U"]) & next_place.notna() & ~next_place.isin(TEMPORARY))
    return {"Episodes": mask}


@rule("226")
def no_reason_for_temporary_placement(d):
    """A temporary placement (T0-T4) must not carry a reason for placement change, nor
    follow an episode that carries one. Only the temporary episode is flagged."""
    e = d["Episodes"]
    reason = ~e.blank("REASON_PLACE_CHANGE")
    previous_reason = previous_value(d, e["REASON_PLACE_CHANGE"]).fillna("").str.strip() != ""
    return {"Episodes": isin(e["PLACE"], TEMPORARY) & (reason | previous_reason)}


@rule("1015")
def own_provision_in_own_la(d):
    return own_provision_out_of_area(d, ADOPTION_OR_FOSTER)
