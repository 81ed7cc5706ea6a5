"""Placement distance rules new in 2025/26."""
from .. import rule


@rule("454")
def placement_within_350_miles(d):
    """A placement more than 350 miles from home (derived PL_DISTANCE; 999.9 exempt) is
    flagged. Nobody is exempt: the message warns that former UASC children give false
    positives, but the rule does not leave out children known to be UASC."""
    e = d["Episodes"]
    dist = e["PL_DISTANCE"]
    return {"Episodes": (dist > 350) & (dist != 999.9)}
