"""Provider changes in 2023/24: H5 placements are checked against the provider's postcode."""
from .. import rule
from ..y2022_23.placement_providers import postcode_differs_from_provider


@rule("221")
def urn_matches_placement_postcode(d):
    return postcode_differs_from_provider(d, ("H5", "K1", "K2", "R3", "S1"))
