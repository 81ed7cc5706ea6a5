"""Supported accommodation (K3) replaces H5 in 2024/25."""
from .. import rule
from ..y2022_23.placement_moves import _placed_under_age


@rule("371")
def supported_accommodation_age(d):
    """Supported accommodation (K3) from 16. Open episodes are not checked (see ``_placed_under_age``)."""
    return _placed_under_age(d, "K3", 16)
