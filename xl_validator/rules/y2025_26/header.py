"""Header checks new in 2025/26: the same UPN given for several children."""
from .. import rule
from ..common import isin
from ..y2022_23.header import UPN_UNKNOWN


@rule("444")
def upn_not_duplicated(d):
    """Every row of a UPN shared by two or more Header rows, ignoring blank UPNs and
    the unknown codes UN1-UN5 (exact text after upper-casing; spaces kept)."""
    h = d["Header"]
    upn = h["UPN"]
    real = ~h.blank("UPN") & ~isin(upn, UPN_UNKNOWN)
    return {"Header": real & upn.duplicated(keep=False)}
