"""Comparing councils: the anonymised error profile, the benchmark figures and workbook,
and many returns validated at once."""
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import xl_validator as xv
from xl_validator.cli import main
from xl_validator.compare.workbook import write_benchmark
from xl_validator.read import InputError
from xl_validator.report.benchmark import compare, where_we_stand
from xl_validator.report.profile import error_profile, profile_json, read_profile
from xl_validator.sample.generator import generate, sample_providers
from xl_validator.sample.workbook import write_return_workbook


@pytest.fixture(scope="module")
def report():
    this, last = generate(150, "2025/26", seed=11, error_rate=0.3)
    return xv.validate(this, year="2025/26", previous=last, local_authority="E09000027",
                       provider_info=sample_providers())


def test_profile_counts_findings_and_children_per_rule_and_group(report):
    p = error_profile(report, "E09000027")
    f = report.findings
    assert p["findings"] == len(f) and p["children"] == len(report.tables["Header"])
    assert p["episodes"] == len(report.tables["Episodes"]) and p["reviews"] == len(report.tables["Reviews"])
    for code, rows in f.groupby("code"):
        assert p["by_rule"][code]["findings"] == len(rows)
        assert p["by_rule"][code]["children"] == rows["child"].nunique()
    assert sum(g["findings"] for g in p["by_group"].values()) == len(f)
    assert set(p["rules_run"]) == set(report.ran) and p["rule_versions"]["101"] == report.rules["101"].version


def strings(value):
    """Every key and text value of a JSON document, recursively."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
    elif isinstance(value, str):
        yield value


def test_profile_holds_no_value_of_the_return(report):
    """Only counts leave the council: no CHILD, UPN, date, postcode or URN of the return appears
    in any key or text of the profile (the council's own code aside)."""
    data = json.loads(profile_json(error_profile(report, "E09000027")))
    texts = list(strings({k: v for k, v in data.items() if k != "council"}))
    values = set()
    for raw in report.tables.values():
        for col in raw.frame.columns:
            values |= {str(v).strip() for v in raw.frame[col] if len(str(v).strip()) >= 4}
    assert set(report.tables["Header"].frame["CHILD"]) <= values and len(values) > 500
    leaked = sorted(v for v in values if any(v in t for t in texts))
    assert leaked == []


def profile(council, children, by_rule, year="2025/26", at="2026-11-01T09:00:00", version="0.1.0", rules=None):
    rules = rules or {"101": "2022/23", "103": "2022/23", "142": "2022/23"}
    groups = {"101": "Child details", "103": "Child details", "142": "Dates"}
    return {"format": "xl_validator error profile", "format_version": 1, "council": council, "year": year,
            "run_at": at, "tool_version": version, "children": children, "episodes": children, "reviews": 0,
            "rules_run": sorted(rules), "rule_versions": rules, "rules_skipped": [], "rules_failed": [],
            "findings": sum(by_rule.values()), "children_with_errors": 0,
            "by_rule": {c: {"group": groups[c], "findings": n, "children": n} for c, n in by_rule.items()},
            "by_group": {}, "_source": f"{council}.json"}


def three():
    return [profile("E09000027", 100, {"101": 10, "142": 4}),     # 10 and 4 per 100
            profile("E09000003", 200, {"101": 10, "103": 8}),     # 5, 4 per 100
            profile("E08000025", 50, {"142": 1})]                 # 2 per 100


def test_benchmark_figures_match_a_hand_count():
    b = compare(three(), chosen="E09000027")
    r = b.by_rule.set_index(["code", "council"])
    assert r.loc[("101", "E09000027"), "per_100"] == 10 and r.loc[("101", "E09000003"), "per_100"] == 5
    assert r.loc[("101", "E08000025"), "per_100"] == 0
    assert r.loc[("101", "E09000027"), "median"] == 5
    assert r.loc[("101", "E09000027"), "q1"] == 2.5 and r.loc[("101", "E09000027"), "q3"] == 7.5
    assert [r.loc[("101", c), "rank"] for c in ("E08000025", "E09000003", "E09000027")] == [1, 2, 3]
    g = b.by_group.set_index(["group", "council"])
    assert g.loc[("Child details", "E09000003"), "per_100"] == 9   # (10 + 8) / 200 * 100
    assert g.loc[("Dates", "E08000025"), "per_100"] == 2
    c = b.councils.set_index("council")
    assert c.loc["E09000027", "per_100"] == 14 and c.loc["E09000027", "rank"] == 3 and c.loc["E09000027", "median"] == 9
    worst, best = where_we_stand(b)
    assert list(worst["code"]) == ["101", "142"] and best.empty


def test_council_names_or_anonymised_except_the_chosen_one():
    named = compare(three())
    assert set(named.councils["name"]) == {"Richmond upon Thames", "Barnet", "Birmingham"}
    anon = compare(three(), chosen="E09000003", anonymise=True)
    assert set(anon.councils["name"]) == {"Barnet", "Council A", "Council B"}


def test_profiles_of_different_years_are_not_mixed():
    mixed = three() + [profile("E09000001", 100, {"101": 1}, year="2024/25")]
    with pytest.raises(InputError, match="2024/25.*2025/26|different collection years"):
        compare(mixed)
    assert len(compare(mixed, year="2025/26").councils) == 3


def test_different_rule_sets_are_compared_over_the_common_rules_and_say_so():
    ps = three()
    ps[1] = profile("E09000003", 200, {"101": 10}, version="0.2.0", rules={"101": "2022/23", "103": "2025/26"})
    b = compare(ps)
    assert b.rules == ["101"] and "left out: 103, 142" in b.notes[0] and "0.2.0" in b.notes[0]


def test_the_latest_profile_of_a_council_counts_and_earlier_ones_make_the_trend():
    ps = three() + [profile("E09000027", 100, {"101": 30}, at="2026-09-01T09:00:00")]
    b = compare(ps)
    assert b.councils.set_index("council").loc["E09000027", "per_100"] == 14
    trend = b.trend[b.trend["council"] == "E09000027"]
    assert list(trend["per_100"]) == [30, 14]


def test_benchmark_workbook(tmp_path):
    ps = three() + [profile("E09000027", 100, {"101": 30}, at="2026-09-01T09:00:00")]
    out = write_benchmark(compare(ps, chosen="E09000027", anonymise=True), tmp_path / "region.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Where we stand", "By group", "By rule", "Trend", "About"]
    stand = wb["Where we stand"]
    assert "Richmond upon Thames" in stand["A1"].value and "rank 3 of 3" in stand["A2"].value
    assert [stand.cell(row=6, column=c).value for c in (1, 3, 4)] == ["101", 10, 5]
    assert stand._charts and wb["Trend"]._charts
    by_rule = wb["By rule"]
    header = [c.value for c in by_rule[1]]
    assert header[:2] == ["Rule", "Group"] and "Council A" in header and header[-3] == "Region median"


def write_council(folder: Path, name: str, seed: int) -> Path:
    this, last = generate(60, "2025/26", seed=seed, error_rate=0.2)
    write_return_workbook(last, folder / f"{name}_last.xlsx", "2024/25", dropdowns=False)
    return write_return_workbook(this, folder / f"{name}.xlsx", "2025/26", dropdowns=False)


def test_validate_many_outputs_per_council_and_a_benchmark_despite_a_broken_return(tmp_path, capsys):
    inputs = tmp_path / "returns"
    inputs.mkdir()
    good = [write_council(inputs, "E09000027_903", 1), write_council(inputs, "E09000003_903", 2)]
    broken = inputs / "E08000025_903.xlsx"
    broken.write_bytes(b"not a workbook")
    before = {p: p.read_bytes() for p in inputs.iterdir()}
    out = tmp_path / "out"
    code = main(["validate-many", *map(str, sorted(inputs.iterdir())), "--out", str(out), "--year", "2025/26",
                 "--jobs", "2", "--council", "E09000027", "-q"])
    assert code == 2
    err = capsys.readouterr().err
    assert "E08000025_903.xlsx" in err and "failed" in err
    for g in good:
        for suffix in ("_checked.xlsx", "_findings.csv", "_profile.json"):
            assert (out / f"{g.stem}{suffix}").is_file()
        p = read_profile(out / f"{g.stem}_profile.json")
        assert p["council"] == g.stem[:9] and "203" in p["rules_run"]  # last year's return was found
    assert not (out / "E09000027_903_last_checked.xlsx").exists()
    assert openpyxl.load_workbook(out / "benchmark.xlsx").sheetnames[0] == "Where we stand"
    assert {p: p.read_bytes() for p in inputs.iterdir()} == before


def test_validate_many_with_a_manifest(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    src = write_council(folder, "north", 3)
    (folder / "manifest.csv").write_text("return,previous,la\nnorth.xlsx,north_last.xlsx,E09000027\n")
    out = tmp_path / "out"
    assert main(["validate-many", "--manifest", str(folder / "manifest.csv"), "--out", str(out), "--year",
                 "2025/26", "--jobs", "1", "-q"]) == 1
    assert read_profile(out / "north_profile.json")["council"] == "E09000027"
    assert src.is_file() and (out / "benchmark.xlsx").is_file()


def test_profile_and_benchmark_commands(tmp_path, capsys):
    src = write_council(tmp_path, "E09000027", 4)
    prof = tmp_path / "richmond.json"
    assert main(["profile", str(src), "--out", str(prof), "--year", "2025/26", "--la", "E09000027",
                 "--previous", str(tmp_path / "E09000027_last.xlsx")]) == 0
    other = tmp_path / "barnet.json"
    other.write_text(json.dumps({k: v for k, v in profile("E09000003", 80, {"101": 2}).items() if k != "_source"}))
    assert main(["benchmark", str(prof), str(other), "--out", str(tmp_path / "region.xlsx"),
                 "--council", "Richmond upon Thames"]) == 0
    assert openpyxl.load_workbook(tmp_path / "region.xlsx")["About"]["A2"].value.startswith("2 councils")
    with pytest.raises(SystemExit):
        main(["benchmark"])
    assert main(["benchmark", str(src), "--out", str(tmp_path / "x.xlsx")]) == 2
    assert "not an xl_validator error profile" in capsys.readouterr().err


def test_validate_writes_a_profile_and_shows_the_region_beside_each_rule(tmp_path):
    src = write_council(tmp_path, "E09000027", 6)
    region = tmp_path / "region"
    region.mkdir()
    for p in three()[1:]:
        (region / f"{p['council']}.json").write_text(json.dumps({k: v for k, v in p.items() if k != "_source"}))
    out, prof = tmp_path / "checked.xlsx", tmp_path / "ours.json"
    main(["validate", str(src), "--year", "2025/26", "--la", "E09000027", "--out", str(out), "--profile", str(prof),
          "--benchmark", str(region), "--no-history", "-q"])
    assert read_profile(prof)["council"] == "E09000027"
    ws = openpyxl.load_workbook(out)["Summary"]
    rows = [r for r in ws.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if r[0] == "Against the region")
    block = {r[0]: r[1:4] for r in rows[at + 3:] if r[0]}
    assert block["101"][1] == 2.5      # median of Barnet's 5 and Birmingham's 0 per 100 children
    assert block["142"][1] == 1        # median of Barnet's 0 and Birmingham's 2
    from xl_validator.compare.region import region_medians
    bench = write_benchmark(compare(three()), tmp_path / "region.xlsx")
    assert region_medians(bench)[0] == {"101": 5.0, "103": 0.0, "142": 2.0}  # medians of (10, 5, 0), (0, 4, 0), (4, 0, 2)
