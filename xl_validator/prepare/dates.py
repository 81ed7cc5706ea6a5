"""Parse dd/mm/yyyy text once per distinct value (dates repeat a lot: DOBs, 31/03s)."""
from __future__ import annotations

import pandas as pd

# Day and month may be one or two digits (the DfE's parser accepts 1/4/2022); the
# year must have four. Anything else, including real ISO dates, is unparseable.
_PATTERN = r"^(\d{1,2})/(\d{1,2})/(\d{4})$"


def parse_dates(values: pd.Series) -> pd.Series:
    """Text to datetime64; blank or unparseable (31/02/2022, 2022-04-01, ZZ/..) -> NaT."""
    uniques = pd.Series(pd.unique(values.to_numpy()))
    parts = uniques.astype(str).str.extract(_PATTERN)
    parsed = pd.to_datetime(
        {"year": pd.to_numeric(parts[2], errors="coerce"),
         "month": pd.to_numeric(parts[1], errors="coerce"),
         "day": pd.to_numeric(parts[0], errors="coerce")},
        errors="coerce",
    ) if len(uniques) else pd.Series([], dtype="datetime64[ns]")
    lookup = pd.Series(parsed.to_numpy(), index=uniques.to_numpy())
    out = lookup.reindex(values.to_numpy()).to_numpy()
    return pd.Series(out.astype("datetime64[ns]"), index=values.index)

