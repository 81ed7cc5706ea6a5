"""Placement changes in 2023/24: P2 ends and H5 needs a URN from 28 October 2023."""
import pandas as pd

from .. import rule
from ..y2022_23.placement_types import NO_URN, PLACEHOLDER_URN, outside_england_by_prefix, urn_given_for

LAST_OLD_DAY = pd.Timestamp(2023, 10, 28)


def open_after_transition(e) -> pd.Series:
    """Still open after 28/10/2023: DEC later than that, or DEC blank/unparseable."""
    return e.date("DEC").isna() | (e.date("DEC") > LAST_OLD_DAY)


@rule("217t")
def p2_ended_by_transition(d):
    """DECOM is not used: a P2 placement begun long before but still open is flagged."""
    e = d["Episodes"]
    return {"Episodes": (e["PLACE"] == "P2") & open_after_transition(e)}


@rule("222")
def urn_not_for_placement_type(d):
    """H5 placements may now carry a URN."""
    return urn_given_for(d, tuple(p for p in NO_URN if p != "H5"))


@rule("230")
def h5_urn_required_in_england(d):
    """H5 episodes open on or after 29/10/2023 in England need a real URN.

    Outside England means PL_LA starting with N, W or S, or unknown (see
    ``outside_england_by_prefix``).
    """
    e = d["Episodes"]
    no_urn = e.blank("URN") | (e["URN"] == PLACEHOLDER_URN)
    outside = outside_england_by_prefix(e["PL_LA"], "NWS")
    return {"Episodes": (e["PLACE"] == "H5") & open_after_transition(e) & no_urn & ~outside}
