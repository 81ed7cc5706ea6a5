"""OC3 rules new in 2023/24: no foyer accommodation for care leavers under 18."""
from __future__ import annotations

from .. import rule

AVERAGE_YEAR_DAYS = 365.2425  # the year length the spec measures ages in for 347 and 1016


@rule("347")
def no_foyer_under_18(d):
    """A care leaver under 18 at collection_start cannot be accommodated in a Foyer.

    As the spec's logic: ACCOM exactly 'T' (no valid code is, so valid data never flags: the
    code lists' findings say so, but no DfE coding gives another test), and age from DOB to
    collection_start in average years of 365.2425 days. A blank or unparseable DOB is not
    flagged (the known implementation fails on an unparseable one).
    """
    oc3 = d["OC3"]
    foyer = oc3["ACCOM"] == "T"
    under_18 = (d.collection_start - oc3.date("DOB")).dt.days < 18 * AVERAGE_YEAR_DAYS
    return {"OC3": foyer & under_18}
