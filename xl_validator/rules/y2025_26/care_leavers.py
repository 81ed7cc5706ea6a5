"""OC3 rules new in 2025/26: a care leaver reported as died last year stays so."""
from __future__ import annotations

from .. import rule


@rule("348")
def died_last_year_still_died(d):
    """A young person whose IN_TOUCH was DIED in last year's OC3 must be DIED again
    (blank counts as not DIED). Children absent from last year's OC3 are not checked."""
    oc3, last = d["OC3"], d["OC3_last"]
    died = set(last["CHILD"][last["IN_TOUCH"] == "DIED"])
    return {"OC3": oc3["CHILD"].isin(died) & (oc3["IN_TOUCH"] != "DIED")}
