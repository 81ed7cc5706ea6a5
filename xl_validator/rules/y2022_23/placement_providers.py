"""Episodes: placement provider codes, and the URN checked against the Ofsted provider lists.

Only episodes with a real URN (not blank, not the placeholder 'XXXXXXX') are checked. A
URN that is not in the lists, or whose entry lacks what is compared (no placement codes,
no provider codes, no postcode), fails the comparison and is flagged by 219, 221 and 224
as well as by 1008, as the spec's logic has it.

Departure: the provider lookup (``d.providers``) has one row per URN, the Ofsted lists'
entries of one URN merged by ``prepare.providers.combine`` (union of codes and
postcodes; the latest closure date, open if any entry is open). So where the spec says
"a mismatch with any of the URN's entries flags", here an episode passes when it agrees
with any of the provider's codes or postcodes, and 227/228 use the merged closure date.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...prepare.postcodes import placement_la, squash
from .. import rule
from ..common import isin

PLACEHOLDER_URN = "XXXXXXX"
PROVIDER_CODES = ("PR0", "PR1", "PR2", "PR3", "PR4", "PR5")
_SEP = "\x1f"


def real_urn(e) -> pd.Series:
    return ~e.blank("URN") & (e["URN"] != PLACEHOLDER_URN)


def known_urn(d, e) -> pd.Series:
    """The episode's URN is in the provider lists (URNs compared as text)."""
    return real_urn(e) & e["URN"].isin(d.providers["URN"])


def provider_pairs(d, column: str) -> pd.DataFrame:
    """One row per (URN, value) of a set-valued provider column (PLACE_CODES,
    PROVIDER_CODES, POSTCODES); URNs with an empty set have no row."""
    def compute():
        long = d.providers[["URN", column]].explode(column)
        long = long[long[column].notna() & (long[column] != "")]
        return pd.DataFrame({"URN": long["URN"].astype(str).to_numpy(), "VALUE": long[column].astype(str).to_numpy()})
    return d.memo(f"placement_providers:pairs:{column}", compute)


def provider_las(d) -> pd.DataFrame:
    """(URN, LA) for every authority where a provider has a postcode, inferred from the
    postcode (upper-tier GSS code, or WAL/SCO/NIR); postcodes not found are left out."""
    def compute():
        pcs = provider_pairs(d, "POSTCODES")
        la = placement_la(d.postcodes.lookup(squash(pcs["VALUE"]))["district"])
        out = pd.DataFrame({"URN": pcs["URN"], "VALUE": la.to_numpy()})
        return out[out["VALUE"] != ""].drop_duplicates()
    return d.memo("placement_providers:las", compute)


def pair_in(pairs: pd.DataFrame, urns: pd.Series, values: pd.Series) -> np.ndarray:
    """For each (urn, value), whether the pair is in ``pairs``."""
    keys = pd.Index(pairs["URN"] + _SEP + pairs["VALUE"])
    return (urns + _SEP + values.astype(str)).isin(keys).to_numpy()


def has_any(pairs: pd.DataFrame, urns: pd.Series) -> np.ndarray:
    """For each urn, whether it has at least one value in ``pairs``."""
    return urns.isin(pairs["URN"]).to_numpy()


def not_among_provider_values(d, value: pd.Series, column: str, checked: pd.Series) -> np.ndarray:
    """Checked episodes with a real URN whose provider does not list ``value`` in ``column``
    (a URN not in the lists, or listing nothing there, lists no value)."""
    e = d["Episodes"]
    return (checked & real_urn(e)).to_numpy() & ~pair_in(provider_pairs(d, column), e["URN"], value)


def provider_code_invalid(d, no_provider_places) -> dict:
    """A filled-in PLACE_PROVIDER that is not a PR code, or is given on a placement type
    that takes no provider."""
    e = d["Episodes"]
    bad = ~isin(e["PLACE_PROVIDER"], PROVIDER_CODES) | isin(e["PLACE"], no_provider_places)
    return {"Episodes": ~e.blank("PLACE_PROVIDER") & bad}


def postcode_differs_from_provider(d, places) -> dict:
    """PL_POST (spaces removed) is not one of the provider's postcodes, for non-short-break
    episodes in the given placement types with PL_POST filled in."""
    e = d["Episodes"]
    checked = ~isin(e["LS"], ("V3", "V4")) & isin(e["PLACE"], places) & ~e.blank("PL_POST")
    return {"Episodes": not_among_provider_values(d, squash(e["PL_POST"]), "POSTCODES", checked)}


def provider_authority_mismatch(d, checked: pd.Series) -> dict:
    """PR1 (own provision) at a provider not located in the return's authority, or PR2
    (another LA's provision) at a provider located in it.

    The provider's authority is inferred from its postcode(s); with several, any one can
    flag. For PR1 a URN not in the lists, or with no locatable postcode, counts as not in
    the authority and is flagged; for PR2 it passes.
    """
    e = d["Episodes"]
    la = d.la
    las = provider_las(d)
    urn = e["URN"]
    in_own = pair_in(las, urn, pd.Series(la, index=e.index))
    elsewhere = urn.isin(las.loc[las["VALUE"] != la, "URN"]).to_numpy()
    located = has_any(las, urn)
    pr1 = (e["PLACE_PROVIDER"] == "PR1").to_numpy() & (elsewhere | ~located)
    pr2 = (e["PLACE_PROVIDER"] == "PR2").to_numpy() & in_own
    return {"Episodes": (checked & real_urn(e)).to_numpy() & (pr1 | pr2)}


@rule("178")
def placement_provider_code(d):
    return provider_code_invalid(d, ("T0", "T1", "T2", "T3", "T4", "Z1"))


@rule("219")
def urn_matches_placement_type(d):
    """A blank PLACE is flagged (no provider lists it)."""
    e = d["Episodes"]
    return {"Episodes": not_among_provider_values(d, e["PLACE"], "PLACE_CODES", pd.Series(True, index=e.index))}


@rule("221")
def urn_matches_placement_postcode(d):
    return postcode_differs_from_provider(d, ("K1", "K2", "R3", "S1"))


@rule("224")
def urn_matches_placement_provider(d):
    """A blank PLACE_PROVIDER is flagged (no provider lists it)."""
    e = d["Episodes"]
    return {"Episodes": not_among_provider_values(d, e["PLACE_PROVIDER"], "PROVIDER_CODES",
                                                  pd.Series(True, index=e.index))}


def _reg_end(d, e) -> pd.Series:
    """Each episode's provider registration end date (NaT if open, unknown or no URN)."""
    p = d.providers
    ends = pd.Series(p["REG_END"].to_numpy(), index=p["URN"].to_numpy())
    ends = ends[~ends.index.duplicated()]
    out = ends.reindex(e["URN"].where(real_urn(e), "").to_numpy())
    return pd.Series(pd.to_datetime(out.to_numpy()), index=e.index)


@rule("227")
def urn_registered_at_episode_start(d):
    """DECOM on or after the provider's deregistration date. Unknown DECOM or URN, or a
    provider still registered, is not flagged."""
    e = d["Episodes"]
    return {"Episodes": e.date("DECOM") >= _reg_end(d, e)}


@rule("228")
def urn_registered_at_episode_end(d):
    """DEC after the provider's deregistration date; a blank or unparseable DEC is taken as
    an episode still open at collection_end."""
    e = d["Episodes"]
    end = e.date("DEC").fillna(d.collection_end)
    return {"Episodes": end > _reg_end(d, e)}


@rule("229")
def provider_authority_matches_provider_code(d):
    e = d["Episodes"]
    return provider_authority_mismatch(d, pd.Series(True, index=e.index))


@rule("1008")
def urn_known(d):
    e = d["Episodes"]
    return {"Episodes": real_urn(e) & ~e["URN"].isin(d.providers["URN"])}
