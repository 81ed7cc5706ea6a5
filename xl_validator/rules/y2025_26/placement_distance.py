"""Placement distance rules new in 2025/26."""
from .. import rule
from ..common import isin, uasc_children


@rule("454")
def placement_within_350_miles(d):
    """A placement more than 350 miles from home (derived PL_DISTANCE; 999.9 exempt) is flagged.

    The DfE message warns of false positives only for former UASC children *not identified as
    such in loaded data*, so children identified as UASC this year or last (Header UASC '1' or a
    UASC row) are exempt here; the known implementation exempts nobody. With no UASC data
    loaded, nobody is exempt.
    """
    e = d["Episodes"]
    dist = e["PL_DISTANCE"]
    far = (dist > 350) & (dist != 999.9)
    uasc = uasc_children(d)
    if uasc:
        far &= ~isin(e["CHILD"], uasc)
    return {"Episodes": far}
