import pytest

import xl_validator.api


@pytest.fixture(autouse=True)
def no_postcode_directory(monkeypatch):
    """Loading the postcode directory takes seconds per run and no hostile case needs it."""
    monkeypatch.setattr(xl_validator.api, "load_postcodes", lambda: None)


@pytest.fixture(autouse=True)
def private_system_temp(tmp_path_factory, monkeypatch):
    """A system temp folder of this test's own, so a file left there is this test's doing."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path_factory.mktemp("system_temp")))
