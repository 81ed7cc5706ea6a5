"""Placement changes in 2025/26: Z1 splits into Z11-Z14, H5 and P2 go, new checks on the
reason for placement change and on the placeholder URN."""
import pandas as pd

from .. import rule
from ..common import add_years, isin, next_value
from ..y2022_23 import placement_types as base
from ..y2022_23.placement_types import ADOPTION_OR_FOSTER, PLACEHOLDER_URN, own_provision_out_of_area, \
    place_not_in, provider_given_for, urn_given_for, urn_missing_in_year

PLACE_CODES = ("A3", "A4", "A5", "A6", "K1", "K2", "K3", "P1", "P3", "R1", "R2", "R3", "R5", "S1",
               "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z11", "Z12", "Z13", "Z14")
Z_CODES = ("Z11", "Z12", "Z13", "Z14")
NO_URN = ("P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4") + Z_CODES
NOT_ENGLAND = ("CON", "NIR", "SCO", "WAL", "NUK")


@rule("226")
def no_reason_for_temporary_placement(d):
    """Unchanged check; 2025/26 only rewords the DfE message."""
    return base.no_reason_for_temporary_placement(d)


@rule("146")
def placement_type_code(d):
    return place_not_in(d, PLACE_CODES)


@rule("213")
def no_provider_for_temporary_placements(d):
    return provider_given_for(d, ("T0", "T1", "T2", "T3", "T4") + Z_CODES)


def outside_england_exactly(pl_la: pd.Series) -> pd.Series:
    """Only the listed nation codes are outside England; a blank PL_LA is not."""
    return isin(pl_la, NOT_ENGLAND)


@rule("218")
def urn_required(d):
    return urn_missing_in_year(d, NO_URN, outside_england_exactly)


@rule("222")
def urn_not_for_placement_type(d):
    return urn_given_for(d, NO_URN)


@rule("1015")
def own_provision_in_own_la(d):
    """K3 is exempt from 2025/26; a blank PL_LA is flagged, as in 2022/23."""
    return own_provision_out_of_area(d, ADOPTION_OR_FOSTER + ("K3",))


@rule("233")
def no_reason_while_episode_open(d):
    """Reads DEC (the known implementation reads a non-existent column and never runs).
    Only blankness of DEC matters: an unparseable DEC counts as ceased."""
    e = d["Episodes"]
    return {"Episodes": e.blank("DEC") & ~e.blank("REASON_PLACE_CHANGE")}


@rule("234")
def no_custody_move_under_10(d):
    """A placement change for custody ('CUSTOD') when the child was under 10.

    Departs from the spec's logic (age at the CUSTOD episode's own DECOM) to follow the
    DfE coding its notes quote ("if DECOM < DOB + 10 years then the previous episode's
    REASON_PLACE_CHANGE cannot be CUSTOD"): the age is taken at the start of the next
    episode, when the change happened, so a CUSTOD episode with no next episode passes.
    Both the episode and the child's Header row(s) are flagged; unknown dates pass.
    """
    e, h = d["Episodes"], d["Header"]
    custody = (e["REASON_PLACE_CHANGE"] == "CUSTOD").to_numpy()
    changed = next_value(d, e.date("DECOM"))
    eps = pd.DataFrame({"pos": e.index[custody], "CHILD": e["CHILD"][custody].to_numpy(),
                        "changed": pd.to_datetime(changed[custody]).to_numpy()})
    heads = pd.DataFrame({"hpos": h.index, "CHILD": h["CHILD"].to_numpy(),
                          "tenth": add_years(h.date("DOB"), 10).to_numpy()})
    pairs = eps.merge(heads[heads["CHILD"].isin(eps["CHILD"])], on="CHILD")
    hit = pairs[pairs["tenth"] > pairs["changed"]]
    return {"Episodes": hit["pos"].to_numpy(), "Header": hit["hpos"].to_numpy()}


@rule("242")
def placeholder_urn_only_for_adoption_agencies(d):
    """A blank PLACE is not in the list, so it is flagged with the placeholder URN."""
    e = d["Episodes"]
    return {"Episodes": (e["URN"] == PLACEHOLDER_URN) & ~isin(e["PLACE"], ADOPTION_OR_FOSTER)}


@rule("243")
def no_urn_outside_england(d):
    """Any URN, the placeholder included, on a placement outside England."""
    e = d["Episodes"]
    return {"Episodes": isin(e["PL_LA"], NOT_ENGLAND) & ~e.blank("URN")}
