"""Header changes in 2024/25: sex is coded M/F/U."""
from .. import rule
from ..common import isin


@rule("101")
def sex_code(d):
    h = d["Header"]
    return {"Header": ~isin(h["SEX"], ("M", "F", "U"))}
