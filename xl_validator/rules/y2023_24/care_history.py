"""Care history rules new in 2023/24: care leaver data for young people who left care after
their 17th or 18th birthday."""
from __future__ import annotations

import pandas as pd

from .. import rule
from ..common import add_years
from ..y2022_23.care_history import care_leaver_data


@rule("1016")
def no_care_leaver_data_when_left_after_birthday(d):
    """A young person aged 17 (or 18) at collection_end who had an episode ending on or after
    their 17th (18th) birthday is not yet a care leaver for this return, so should have no
    care leaver information.

    Ages are calendar ages on collection_end (the birthday itself counts), as the DfE
    intends; the known implementation divides days by 365.2425, which can move a young
    person whose birthday is collection_end into the neighbouring band. A blank or
    unparseable OC3 DOB or DEC never flags (the implementation fails on an unparseable DOB).
    Each OC3 row is flagged once.
    """
    eps, oc3 = d["Episodes"], d["OC3"]
    end = d.collection_end
    dob = oc3.date("DOB")
    b17, b18, b19 = add_years(dob, 17), add_years(dob, 18), add_years(dob, 19)
    bday = b17.where(b18 > end, b18).where((b17 <= end) & (b19 > end))
    candidates = bday.notna() & care_leaver_data(oc3)
    if not candidates.any():
        return {}
    left = pd.DataFrame({"CHILD": oc3["CHILD"][candidates], "BDAY": bday[candidates],
                         "row": oc3.index[candidates]})
    right = pd.DataFrame({"CHILD": eps["CHILD"], "DEC": eps.date("DEC")})
    pairs = left.merge(right, on="CHILD")
    return {"OC3": pairs["row"][pairs["DEC"] >= pairs["BDAY"]].to_numpy()}
