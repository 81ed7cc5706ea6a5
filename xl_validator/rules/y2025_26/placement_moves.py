"""From 2025/26 the return from a temporary placement must also be to the same postcode."""
from .. import rule
from ..y2022_23.placement_moves import returns_after_temporary


@rule("383")
def returns_to_normal_placement(d):
    """After a temporary placement the child returns (RNE 'P') to the same placement type at
    the same PL_POST as the episode before it (see ``returns_after_temporary``).

    Compared as exact text: 'AB1 2CD' and 'AB12CD' differ, and a PLACE or PL_POST blank on
    both sides counts as different, so it is flagged.
    """
    return {"Episodes": returns_after_temporary(d, same_postcode=True)}
