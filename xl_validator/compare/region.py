"""The region's figures from a benchmark: per rule, the median errors per 100 children, read
from a benchmark workbook this tool wrote or worked out from a folder of profiles."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError


def profile_paths(items) -> list[Path]:
    """Profile files, and every *.json file of a folder given."""
    out = []
    for item in map(Path, items):
        if item.is_dir():
            out += sorted(p for p in item.glob("*.json") if p.is_file())
        elif item.is_file():
            out.append(item)
        else:
            raise InputError(f"{item}: no such profile file or folder")
    if not out:
        raise InputError("no profile files found (folders are searched for *.json)")
    return out


def region_medians(path) -> tuple[dict[str, float], str]:
    """Per rule, the region's median errors per 100 children, from a benchmark workbook this
    tool wrote or from a folder (or list) of profiles."""
    from ..report.benchmark import compare
    from ..report.profile import read_profile

    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
            rows = list(wb["By rule"].iter_rows(values_only=True))
        except (KeyError, OSError, ValueError) as e:
            raise InputError(f"{path}: not a benchmark workbook written by 'xl-validator benchmark' ({e})") from None
        head = list(rows[0]) if rows else []
        if "Rule" not in head or "Region median" not in head:
            raise InputError(f"{path}: its 'By rule' sheet has no Rule and Region median columns")
        rule, median = head.index("Rule"), head.index("Region median")
        return {str(r[rule]): float(r[median]) for r in rows[1:] if r[rule] is not None}, path.name
    b = compare([read_profile(p) for p in profile_paths([path])])
    return b.by_rule.groupby("code")["median"].first().to_dict(), path.name
