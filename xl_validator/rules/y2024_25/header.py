"""Header changes in 2024/25: sex is coded M/F/U; UASC children's age and unknown sex are queried."""
import pandas as pd

from .. import rule
from ..common import add_years, isin


@rule("101")
def sex_code(d):
    h = d["Header"]
    return {"Header": ~isin(h["SEX"], ("M", "F", "U"))}


@rule("231")
def uasc_child_under_11(d):
    """Query: a UASC child (Header UASC '1') under 11 on collection_end. The child's
    UASC status is the Header UASC column (derived from the UASC table for CSV/xlsx,
    given per child in XML); the known implementation reads a non-existent
    UASC_STATUS column and reports nothing. Without that column the rule is skipped."""
    h = d["Header"]
    cutoff = add_years(pd.Series([d.collection_end]), -11)[0]
    return {"Header": (h["UASC"] == "1") & (h.date("DOB") > cutoff)}


@rule("232")
def sex_unknown(d):
    """Query: SEX 'U' (lower-case 'u' is upper-cased on loading). Blank is 101's business."""
    return {"Header": d["Header"]["SEX"] == "U"}
