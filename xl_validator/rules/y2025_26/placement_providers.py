"""Provider changes in 2025/26: Z11-Z14 replace Z1, T4 may have a provider, some placement
types leave the authority check, and K3 placements must be where the provider has premises."""
from .. import rule
from ..common import isin
from ..y2022_23.placement_providers import pair_in, provider_authority_mismatch, provider_code_invalid, \
    provider_las, has_any, known_urn

NOT_LA_CHECKED = ("K3", "P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14")


@rule("178")
def placement_provider_code(d):
    """T4 is not in this rule's no-provider list (213 of the same year still flags a
    provider on T4); the DfE list is followed as given."""
    return provider_code_invalid(d, ("T0", "T1", "T2", "T3", "Z11", "Z12", "Z13", "Z14"))


@rule("229")
def provider_authority_matches_provider_code(d):
    e = d["Episodes"]
    return provider_authority_mismatch(d, ~isin(e["PLACE"], NOT_LA_CHECKED))


@rule("241")
def k3_placed_where_provider_has_premises(d):
    """K3 placements must be in an authority where the provider has premises.

    Follows the DfE coding: PL_LA must be one of the authorities of the URN in the
    Ofsted lists, here inferred from the provider's postcodes (a provider may have
    several). The known implementation instead compares PL_LA with the return's own
    authority and never reads the lists. A blank PL_LA (placement postcode blank or not
    found) is flagged; URNs not in the lists (1008) or with no locatable postcode are
    not.
    """
    e = d["Episodes"]
    las = provider_las(d)
    urn = e["URN"]
    checked = ((e["PLACE"] == "K3") & known_urn(d, e)).to_numpy() & has_any(las, urn)
    return {"Episodes": checked & ~pair_in(las, urn, e["PL_LA"])}
