"""Episodes: placement provider codes, and the URN checked against the Ofsted provider lists.

Only episodes with a real URN (not blank, not the placeholder 'XXXXXXX') are checked. The
lists are read as entries, one per listed row (``prepare.providers``), and each episode is
compared with every entry of its URN, as the spec's logic does: a URN listed more than
once (in both lists, on the current and closed sheets, for several settings) flags the
episode when any one of its entries fails. A URN that is not in the lists, or an entry
lacking what is compared (no placement codes, no provider codes, no postcode), fails the
comparison and is flagged by 219, 221 and 224 as well as by 1008.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from ...prepare.postcodes import placement_la
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


def any_entry_fails(d, checked, fails: Callable[[np.ndarray, np.ndarray], np.ndarray],
                    unknown_fails: bool) -> np.ndarray:
    """Checked episodes with a real URN for which ``fails(episode positions, entry numbers)`` holds
    for at least one entry of the URN in the provider lists; an unknown URN fails when
    ``unknown_fails``."""
    e = d["Episodes"]
    pos = np.flatnonzero(np.asarray(checked, dtype=bool) & real_urn(e).to_numpy())
    p = d.providers
    pairs = pd.DataFrame({"POS": pos, "URN": e["URN"].to_numpy()[pos]}).merge(
        pd.DataFrame({"URN": p["URN"].to_numpy(), "ENTRY": np.arange(len(p))}), on="URN", how="left")
    known = pairs["ENTRY"].notna().to_numpy()
    failed = np.full(len(pairs), unknown_fails)
    at = pairs.loc[known, "POS"].to_numpy()
    failed[known] = fails(at, pairs.loc[known, "ENTRY"].to_numpy().astype(int))
    out = np.zeros(len(e), dtype=bool)
    out[pairs.loc[failed, "POS"].to_numpy()] = True
    return out


def not_listed_by_entry(d, value: pd.Series, column: str, checked) -> np.ndarray:
    """Checked episodes whose ``value`` is not in ``column`` (a set of codes) of some entry of
    their URN, or whose URN is not in the lists; a blank value is in no entry."""
    sets = d.providers[column].to_numpy()
    values = value.to_numpy()
    return any_entry_fails(d, checked, lambda at, entry: np.fromiter(
        (v not in c for v, c in zip(values[at], sets[entry])), dtype=bool, count=len(at)), unknown_fails=True)


def entry_las(d) -> np.ndarray:
    """Each entry's authority inferred from its postcode (upper-tier GSS code, or WAL/SCO/NIR;
    '' when the postcode is blank or not found)."""
    def compute():
        pcs = d.providers["POSTCODE"].reset_index(drop=True)
        return placement_la(d.postcodes.lookup(pcs)["district"]).to_numpy()
    return d.memo("placement_providers:entry_las", compute)


def provider_las(d) -> pd.DataFrame:
    """(URN, LA) for every authority where a provider has a postcode; postcodes not found are
    left out."""
    def compute():
        out = pd.DataFrame({"URN": d.providers["URN"].to_numpy(), "VALUE": entry_las(d)})
        return out[out["VALUE"] != ""].drop_duplicates()
    return d.memo("placement_providers:las", compute)


def pair_in(pairs: pd.DataFrame, urns: pd.Series, values: pd.Series) -> np.ndarray:
    """For each (urn, value), whether the pair is in ``pairs``."""
    keys = pd.Index(pairs["URN"] + _SEP + pairs["VALUE"])
    return (urns + _SEP + values.astype(str)).isin(keys).to_numpy()


def has_any(pairs: pd.DataFrame, urns: pd.Series) -> np.ndarray:
    """For each urn, whether it has at least one value in ``pairs``."""
    return urns.isin(pairs["URN"]).to_numpy()


def provider_code_invalid(d, no_provider_places) -> dict:
    """A filled-in PLACE_PROVIDER that is not a PR code, or is given on a placement type
    that takes no provider."""
    e = d["Episodes"]
    bad = ~isin(e["PLACE_PROVIDER"], PROVIDER_CODES) | isin(e["PLACE"], no_provider_places)
    return {"Episodes": ~e.blank("PLACE_PROVIDER") & bad}


def postcode_differs_from_provider(d, places) -> dict:
    """PL_POST (spaces removed) differs from the postcode of an entry of the URN (a URN not
    listed, or an entry without a postcode, differs), for non-short-break episodes in the
    given placement types with PL_POST filled in."""
    e = d["Episodes"]
    checked = ~isin(e["LS"], ("V3", "V4")) & isin(e["PLACE"], places) & ~e.blank("PL_POST")
    postcode = e.squashed("PL_POST").to_numpy()
    listed = d.providers["POSTCODE"].to_numpy()
    return {"Episodes": any_entry_fails(d, checked, lambda at, entry: postcode[at] != listed[entry],
                                        unknown_fails=True)}


def provider_authority_mismatch(d, checked: pd.Series) -> dict:
    """PR1 (own provision) at a provider entry not located in the return's authority, or PR2
    (another LA's provision) at one located in it.

    Each entry's authority is inferred from its postcode; with several entries any one can
    flag. For PR1 a URN not in the lists, or an entry with no locatable postcode, counts as
    not in the authority and is flagged; for PR2 it passes.
    """
    e = d["Episodes"]
    la, las = d.la, entry_las(d)
    code = e["PLACE_PROVIDER"]
    pr1 = any_entry_fails(d, checked & (code == "PR1"), lambda at, entry: las[entry] != la, unknown_fails=True)
    pr2 = any_entry_fails(d, checked & (code == "PR2"), lambda at, entry: las[entry] == la, unknown_fails=False)
    return {"Episodes": pr1 | pr2}


@rule("178")
def placement_provider_code(d):
    return provider_code_invalid(d, ("T0", "T1", "T2", "T3", "T4", "Z1"))


@rule("219")
def urn_matches_placement_type(d):
    """A blank PLACE is flagged (no entry lists it)."""
    e = d["Episodes"]
    return {"Episodes": not_listed_by_entry(d, e["PLACE"], "PLACE_CODES", np.ones(len(e), dtype=bool))}


@rule("221")
def urn_matches_placement_postcode(d):
    return postcode_differs_from_provider(d, ("K1", "K2", "R3", "S1"))


@rule("224")
def urn_matches_placement_provider(d):
    """A blank PLACE_PROVIDER is flagged (no entry lists it)."""
    e = d["Episodes"]
    return {"Episodes": not_listed_by_entry(d, e["PLACE_PROVIDER"], "PROVIDER_CODES", np.ones(len(e), dtype=bool))}


def after_registration_end(d, dates: pd.Series, on_the_day: bool) -> np.ndarray:
    """Episodes whose date is after (or on) the registration end of an entry of their URN;
    entries without an end date, unknown URNs and missing dates are not flagged."""
    ends = d.providers["REG_END"].to_numpy(dtype="datetime64[ns]")
    when = dates.to_numpy(dtype="datetime64[ns]")
    compare = np.greater_equal if on_the_day else np.greater
    return any_entry_fails(d, np.ones(len(when), dtype=bool), lambda at, entry: compare(when[at], ends[entry]),
                           unknown_fails=False)


@rule("227")
def urn_registered_at_episode_start(d):
    """DECOM on or after the deregistration date of any entry of the URN."""
    e = d["Episodes"]
    return {"Episodes": after_registration_end(d, e.date("DECOM"), on_the_day=True)}


@rule("228")
def urn_registered_at_episode_end(d):
    """DEC after the deregistration date of any entry of the URN; a blank or unparseable DEC
    is taken as an episode still open at collection_end."""
    e = d["Episodes"]
    return {"Episodes": after_registration_end(d, e.date("DEC").fillna(d.collection_end), on_the_day=False)}


@rule("229")
def provider_authority_matches_provider_code(d):
    e = d["Episodes"]
    return provider_authority_mismatch(d, pd.Series(True, index=e.index))


@rule("1008")
def urn_known(d):
    e = d["Episodes"]
    return {"Episodes": real_urn(e) & ~e["URN"].isin(d.providers["URN"])}
