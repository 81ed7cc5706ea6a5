"""OC3 rules new in 2023/24: no foyer accommodation for care leavers under 18."""
from __future__ import annotations

from .. import rule
from ..common import add_years


@rule("347")
def no_foyer_under_18(d):
    """A care leaver under 18 at collection_start cannot be accommodated in a Foyer.

    Follows the DfE message where the known implementation cannot: it tested ACCOM equal
    to 'T', which no valid code is, so here any ACCOM starting with 'T' (the foyer codes
    T1, T2) counts; and age is calendar age (18th birthday after collection_start), not
    days divided by 365.2425, so a young person whose 18th birthday is collection_start
    passes. A blank or unparseable DOB is not flagged (the known implementation crashed
    on unparseable ones).
    """
    oc3 = d["OC3"]
    foyer = oc3["ACCOM"].str.startswith("T")
    under_18 = add_years(oc3.date("DOB"), 18) > d.collection_start
    return {"OC3": foyer & under_18}
