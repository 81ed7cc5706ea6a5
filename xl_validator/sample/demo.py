"""The demo return: about 500 synthetic children, last year's return and an Ofsted-style list."""
from __future__ import annotations

from pathlib import Path

import openpyxl

from .. import catalogue
from ..annotate import save_atomically
from .generator import generate, sample_providers
from .workbook import write_return_workbook

DEMO_YEAR = "2025/26"
DEMO_CHILDREN = 500
DEMO_LA = "E09000027"  # the synthetic council's postcodes are Richmond upon Thames'


def slug(year: str) -> str:
    return year.replace("/", "-")


def demo_paths(folder: Path) -> dict[str, Path]:
    prev = catalogue.previous_year(DEMO_YEAR)
    return {"this": folder / f"903_demo_{slug(DEMO_YEAR)}.xlsx", "last": folder / f"903_demo_{slug(prev)}.xlsx",
            "providers": folder / "ofsted_providers_demo.xlsx"}


def write_demo(folder: Path) -> dict[str, Path]:
    """Write the three demo workbooks into ``folder`` (the same content every time: seeded)."""
    paths = demo_paths(Path(folder))
    this, last = generate(DEMO_CHILDREN, DEMO_YEAR, seed=903)
    write_return_workbook(this, paths["this"], DEMO_YEAR)
    write_return_workbook(last, paths["last"], catalogue.previous_year(DEMO_YEAR))
    providers = sample_providers()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Provider information"
    ws.append(list(providers.columns))
    for row in providers.itertuples(index=False):
        ws.append(list(row))
    save_atomically(wb, paths["providers"])
    return paths
