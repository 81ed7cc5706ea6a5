"""The add-in file the add-in tests check: one given by XL_VALIDATOR_ADDIN (CI passes the file
`xl-validator addin build` made from the installed wheel), else one built here."""
import os
from pathlib import Path

import pytest

from xl_validator.addin import build_addin


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    given = os.environ.get("XL_VALIDATOR_ADDIN")
    if given:
        return Path(given)
    return build_addin(tmp_path_factory.mktemp("addin") / "xl_validator.xlam")
