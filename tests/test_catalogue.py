"""The package's own data matches the specification it was made from, and answers per year."""
import json
from importlib import resources
from pathlib import Path

import pytest

from xl_validator import catalogue

SPEC = Path(__file__).resolve().parents[2] / "shared" / "spec" / "ssda903"


@pytest.mark.skipif(not SPEC.is_dir(), reason="the specification folder is not beside this checkout")
def test_data_files_are_exactly_what_the_specification_gives():
    from xl_validator.catalogue._import_spec import convert

    for name, data in convert(SPEC).items():
        shipped = json.loads(resources.files(catalogue).joinpath(name).read_text(encoding="utf-8"))
        assert shipped == json.loads(json.dumps(data)), f"{name} is stale: rerun _import_spec"


def test_year_forms_and_bounds():
    assert catalogue.normalise_year("2025/26") == catalogue.normalise_year("2025-26") == "2025/26"
    assert catalogue.normalise_year(2026) == "2025/26"
    assert [str(d) for d in catalogue.collection_bounds("2022/23")] == ["2022-04-01", "2023-03-31"]
    with pytest.raises(catalogue.UnknownYear):
        catalogue.normalise_year("2025/27")


def test_tables_and_code_lists_change_by_year():
    assert "SWEpisodes" not in catalogue.tables("2022/23") and "SWEpisodes" in catalogue.tables("2023/24")
    assert "DoLo" in catalogue.tables("2026/27") and "DoLo" not in catalogue.tables("2025/26")
    assert catalogue.codes("SEX", "2023/24") == ["1", "2"] and catalogue.codes("SEX", "2024/25") == ["M", "F", "U"]
    assert "K3" in catalogue.codes("PLACE", "2024/25") and "K3" not in catalogue.codes("PLACE", "2023/24")
    assert catalogue.date_columns("Episodes") == ["DECOM", "DEC"]


def test_rule_versions_pick_the_latest_not_after_the_year():
    assert catalogue.rule_meta("101", "2023/24")["version"] == "2022/23"
    assert catalogue.rule_meta("101", "2026/27")["version"] == "2024/25"
    assert catalogue.rule_meta("101", "2026/27")["message"] != catalogue.rule_meta("101", "2022/23")["message"]
