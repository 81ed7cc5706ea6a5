"""The SSDA903 facts the engine needs at run time: tables, code lists, rule texts.

The JSON files beside this module are generated from the specification
catalogue by ``_import_spec.py``; everything here reads them once and answers
per collection year.
"""
from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache
from importlib import resources

YEARS = ("2022/23", "2023/24", "2024/25", "2025/26", "2026/27")
LATEST_YEAR = YEARS[-1]


class UnknownYear(ValueError):
    pass


@lru_cache(maxsize=None)
def _load(name: str):
    return json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


def authorities() -> dict:
    """Council codes and names (upper tier), and the upper-tier authority of each postcode district."""
    return _load("authorities.json")


def normalise_year(year: str | int | None) -> str:
    """Accept '2025/26', '2025-26', '202526' or the ending year 2026; return '2025/26'."""
    if year is None:
        return default_year()
    text = str(year).strip()
    m = re.fullmatch(r"(\d{4})\s*[/\-]?\s*(\d{2})", text)
    if m and int(m.group(2)) == (int(m.group(1)) + 1) % 100:
        out = f"{m.group(1)}/{m.group(2)}"
    elif re.fullmatch(r"\d{4}", text):
        out = f"{int(text) - 1}/{text[2:]}"
    else:
        out = text
    if out not in YEARS:
        raise UnknownYear(
            f"Collection year {year!r} is not supported: choose one of {', '.join(YEARS)}."
        )
    return out


def default_year(today: date | None = None) -> str:
    """The collection year being worked on today: the one that ends on the next 31 March
    (or the latest supported year)."""
    today = today or date.today()
    start = today.year if today.month >= 4 else today.year - 1
    year = f"{start}/{str(start + 1)[2:]}"
    return year if year in YEARS else (LATEST_YEAR if year > LATEST_YEAR else YEARS[0])


def collection_bounds(year: str) -> tuple[date, date]:
    """1 April of the first calendar year to 31 March of the second."""
    first = int(normalise_year(year)[:4])
    return date(first, 4, 1), date(first + 1, 3, 31)


def previous_year(year: str) -> str | None:
    i = YEARS.index(normalise_year(year))
    return YEARS[i - 1] if i else None


def tables(year: str) -> dict[str, dict]:
    """Tables of the return in force in ``year``, in the DfE's order, with their columns."""
    year = normalise_year(year)
    return {name: t for name, t in _load("tables.json").items() if t["from"] <= year}


def all_tables() -> dict[str, dict]:
    return _load("tables.json")


def columns(table: str) -> list[str]:
    return [c["name"] for c in _load("tables.json")[table]["columns"]]


def date_columns(table: str) -> list[str]:
    return [c["name"] for c in _load("tables.json")[table]["columns"] if c["type"] == "date"]


def codelist_names() -> list[str]:
    return list(_load("codelists.json"))


def codes(name: str, year: str) -> list[str]:
    """Codes of list ``name`` valid in ``year``, in the catalogue's order."""
    year = normalise_year(year)
    return [
        c["code"]
        for c in _load("codelists.json")[name]["codes"]
        if c.get("from", YEARS[0]) <= year <= c.get("until", LATEST_YEAR)
    ]


def code_meanings(name: str, year: str) -> dict[str, str]:
    year = normalise_year(year)
    return {
        c["code"]: c.get("meaning", "")
        for c in _load("codelists.json")[name]["codes"]
        if c.get("from", YEARS[0]) <= year <= c.get("until", LATEST_YEAR)
    }


def rulesets() -> dict[str, dict[str, list[str]]]:
    return _load("rulesets.json")


def in_force(year: str) -> list[str]:
    return _load("rulesets.json")[normalise_year(year)]["in_force"]


def rule_versions(code: str) -> dict[str, dict]:
    """Every version of a rule: {first year: {message, tables, fields, reads}}."""
    return _load("rules.json")[code]


def rule_meta(code: str, year: str) -> dict:
    """The version of ``code`` that applies in ``year`` (latest version not after it)."""
    year = normalise_year(year)
    versions = _load("rules.json")[code]
    usable = [y for y in versions if y <= year]
    if not usable:
        raise KeyError(f"rule {code} has no version in force in {year}")
    first = max(usable)
    return {"code": code, "version": first, **versions[first]}
