"""Placement changes in 2024/25: K3 (supported accommodation) replaces H5, and H5/P2 lose
their URN exemptions."""
from .. import rule
from ..y2022_23.placement_types import PLACE_CODES, outside_england_by_prefix, place_not_in, urn_given_for, \
    urn_missing_in_year

NO_URN = ("P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1")


@rule("146")
def placement_type_code(d):
    """The spec's logic adds 'k3' in lower case to the list. Input is upper-cased before rules
    run, so no PLACE equals it and every K3 placement is flagged, as the logic (and its
    example) has it; the spec's notes think K3 was meant, but no DfE coding says so. The
    2025/26 version lists K3. H5 and P2 stay valid this year."""
    return place_not_in(d, PLACE_CODES + ("k3",))


@rule("218")
def urn_required(d):
    return urn_missing_in_year(d, NO_URN, outside_england_by_prefix)


@rule("222")
def urn_not_for_placement_type(d):
    return urn_given_for(d, NO_URN)
