"""Rebuild the workbooks in this folder: a blank template per collection year, and the
demo return (about 500 synthetic children, with last year's return and an Ofsted-style
provider list), and the Local rules template the demo runs with. Run: python workbook_templates/make.py"""
from __future__ import annotations

from pathlib import Path

from xl_validator import catalogue
from xl_validator.sample.demo import slug, write_demo
from xl_validator.sample.local_rules import write_local_rules
from xl_validator.sample.workbook import write_return_workbook

HERE = Path(__file__).parent


def main() -> None:
    for year in catalogue.YEARS:
        print(write_return_workbook({}, HERE / f"903_template_{slug(year)}.xlsx", year))
    for path in write_demo(HERE / "demo").values():
        print(path)
    print(write_local_rules(HERE / "local_rules.xlsx"))


if __name__ == "__main__":
    main()
