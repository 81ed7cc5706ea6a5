"""Care history rules new in 2023/24: care leaver data for young people who left care after
their 17th or 18th birthday."""
from __future__ import annotations

import pandas as pd

from .. import rule
from ..common import add_years
from ..y2022_23.care_history import care_leaver_data
from .care_leavers import AVERAGE_YEAR_DAYS


@rule("1016")
def no_care_leaver_data_when_left_after_birthday(d):
    """A young person aged 17 (or 18) at collection_end who had an episode ending on or after
    their 17th (18th) birthday is not yet a care leaver for this return, so should have no
    care leaver information.

    As the spec's logic, the age band is the time since the OC3 DOB in average years of
    365.2425 days, and the birthday is the calendar date. A blank or unparseable OC3 DOB or
    DEC never flags (the known implementation fails on an unparseable DOB). Each OC3 row is
    flagged once.
    """
    eps, oc3 = d["Episodes"], d["OC3"]
    end = d.collection_end
    dob = oc3.date("DOB")
    age = (end - dob).dt.days / AVERAGE_YEAR_DAYS
    bday = add_years(dob, 17).where(age < 18, add_years(dob, 18)).where((age >= 17) & (age < 19))
    candidates = bday.notna() & care_leaver_data(oc3)
    if not candidates.any():
        return {}
    left = pd.DataFrame({"CHILD": oc3["CHILD"][candidates], "BDAY": bday[candidates],
                         "row": oc3.index[candidates]})
    right = pd.DataFrame({"CHILD": eps["CHILD"], "DEC": eps.date("DEC")})
    pairs = left.merge(right, on="CHILD")
    return {"OC3": pairs["row"][pairs["DEC"] >= pairs["BDAY"]].to_numpy()}
