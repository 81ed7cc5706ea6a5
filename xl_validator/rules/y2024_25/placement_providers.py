"""Provider changes in 2024/25: K3 (supported accommodation) replaces H5 in the postcode check."""
from .. import rule
from ..y2022_23.placement_providers import postcode_differs_from_provider


@rule("221")
def urn_matches_placement_postcode(d):
    return postcode_differs_from_provider(d, ("K1", "K2", "K3", "R3", "S1"))
