"""Rebuild the workbooks in this folder: a blank template per collection year, and the
demo return (about 500 synthetic children, with last year's return and an Ofsted-style
provider list). Run: python workbook_templates/make.py"""
from __future__ import annotations

from pathlib import Path

import openpyxl

from xl_validator import catalogue
from xl_validator.annotate import save_atomically
from xl_validator.sample import generate, sample_providers
from xl_validator.sample.workbook import write_return_workbook

HERE = Path(__file__).parent
DEMO_YEAR = "2025/26"
DEMO_CHILDREN = 500


def _slug(year: str) -> str:
    return year.replace("/", "-")


def main() -> None:
    for year in catalogue.YEARS:
        print(write_return_workbook({}, HERE / f"903_template_{_slug(year)}.xlsx", year))
    this, last = generate(DEMO_CHILDREN, DEMO_YEAR, seed=903)
    demo = HERE / "demo"
    print(write_return_workbook(this, demo / f"903_demo_{_slug(DEMO_YEAR)}.xlsx", DEMO_YEAR))
    prev = catalogue.previous_year(DEMO_YEAR)
    print(write_return_workbook(last, demo / f"903_demo_{_slug(prev)}.xlsx", prev))
    providers = sample_providers()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Provider information"
    ws.append(list(providers.columns))
    for row in providers.itertuples(index=False):
        ws.append(list(row))
    print(save_atomically(wb, demo / "ofsted_providers_demo.xlsx"))


if __name__ == "__main__":
    main()
