"""Episode rules changed in 2025/26: Z1 is split into Z11-Z14."""
from .. import rule
from ..y2022_23.episode_sequence import provider_required


@rule("526")
def placement_provider_given(d):
    """Every placement except T0-T4 and Z11-Z14 needs a provider code; Z1 is no longer exempt."""
    return provider_required(d, ("T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14"))
