"""Header: the child's sex, date of birth and ethnicity."""
from ... import catalogue
from .. import rule
from ..common import isin


@rule("101")
def sex_code(d):
    h = d["Header"]
    return {"Header": ~isin(h["SEX"], ("1", "2"))}


@rule("102")
def dob_valid(d):
    h = d["Header"]
    return {"Header": h.date("DOB").isna()}


@rule("103")
def ethnic_code(d):
    """Lower-case codes pass: the DfE upper-cases every value on loading (the spec's
    example 'wbri' is flagged only before that step); the fix catalogue still offers
    to upper-case them."""
    h = d["Header"]
    return {"Header": ~isin(h["ETHNIC"], catalogue.codes("ETHNIC", d.year))}
