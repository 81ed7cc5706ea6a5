"""Adoption rules changed in 2024/25: freeing orders (LS D1) no longer exist."""
from .. import rule
from ..common import isin
from ..y2022_23.adoption_episodes import ADOPTION_PLACEMENTS, left_care_not_adopted_needs_ceased


@rule("557")
def left_care_not_adopted_decision_ceased(d):
    """Placements for adoption (A3-A6) and placement orders (LS E1) only; D1 is out of scope."""
    e = d["Episodes"]
    scope = isin(e["PLACE"], ADOPTION_PLACEMENTS) | (e["LS"] == "E1")
    return left_care_not_adopted_needs_ceased(d, scope)
