"""From 2025/26 the return from a temporary placement must also be to the same postcode."""
from .. import rule
from ..y2022_23.placement_moves import _returns_after_temporary


@rule("383")
def returns_to_normal_placement(d):
    """After a temporary placement the child returns (RNE 'P') to the same placement type at
    the same PL_POST.

    Postcodes are compared without spaces ('AB1 2CD' equals 'AB12CD'), and blank on both
    sides counts as the same: the known implementation treats blank = blank as a mismatch,
    which the DfE message does not call for (a missing postcode is 392b's concern). Runs of
    temporary placements are judged as one absence (see ``_returns_after_temporary``).
    """
    return {"Episodes": _returns_after_temporary(d, same_postcode=True)}
