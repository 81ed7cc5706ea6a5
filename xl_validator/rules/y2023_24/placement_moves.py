"""Placement age limits changed in 2023/24: independent and semi-independent living from 16."""
from .. import rule
from ..y2022_23.placement_moves import _placed_under_age


@rule("370")
def independent_living_age(d):
    """Independent living (P2) from 16. Open episodes are not checked (see ``_placed_under_age``)."""
    return _placed_under_age(d, "P2", 16)


@rule("371")
def semi_independent_living_age(d):
    """Semi-independent living (H5) from 16. Open episodes are not checked (see ``_placed_under_age``)."""
    return _placed_under_age(d, "H5", 16)
