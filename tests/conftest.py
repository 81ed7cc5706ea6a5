import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import pytest  # noqa: E402

# Sheets the tool writes itself: no cell on them may be a formula (data is always text).
TOOL_SHEETS = {"Summary", "Errors", "Rules", "Fix log", "Fix marks", "Chase list", "History"}


@pytest.fixture(scope="session", autouse=True)
def postcode_index_in_a_test_folder(tmp_path_factory):
    """The postcode index is built once per session in a temporary cache folder, not the user's
    (every process the tests start inherits it)."""
    with pytest.MonkeyPatch.context() as m:
        m.setenv("XL_VALIDATOR_CACHE", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(autouse=True)
def no_formula_on_the_tools_own_sheets(monkeypatch):
    """Every workbook any test writes through xl_validator.outputs is checked: an openpyxl workbook
    before it is saved, a package written part by part (the annotated copy) once written."""
    import re

    from xl_validator import outputs
    from xl_validator.annotate.package import Package

    original = outputs._atomic

    def checked(out, write):
        wb = getattr(write, "__self__", None)
        for ws in getattr(wb, "worksheets", []):
            if ws.title in TOOL_SHEETS:
                found = [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
                assert not found, f"{out}: formula cells on the tool's sheet '{ws.title}': {found[:5]}"
        written = original(out, write)
        if wb is None and written.suffix.lower() in (".xlsx", ".xlsm"):
            package = Package.read(written)
            for _, a, part in package.sheets():
                if a["name"] in TOOL_SHEETS:
                    assert not re.search(rb"<f[ >/]", package.parts.get(part, b"")), \
                        f"{out}: a formula on the tool's sheet '{a['name']}'"
        return written

    monkeypatch.setattr(outputs, "_atomic", checked)
