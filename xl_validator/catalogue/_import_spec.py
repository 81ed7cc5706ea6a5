"""Turn the SSDA903 specification catalogue (YAML) into this package's JSON data.

Run by a developer when the DfE publishes a new year:
``python -m xl_validator.catalogue._import_spec ../shared/spec/ssda903``.
The installed package reads only the JSON files written here, so it never
needs the specification folder or PyYAML at run time.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).parent


def _tables(spec: dict) -> dict:
    out = {}
    for name, t in spec["tables"].items():
        out[name] = {
            "meaning": t["meaning"].strip(),
            "key": t["key"],
            "from": t["years"]["from"],
            "one_per_child": t["rows"] == "one per child",
            "csv_files": t.get("csv_files", []),
            "columns": [
                {k: c[k] for k in ("name", "type", "codelist", "meaning") if k in c}
                for c in t["columns"]
            ],
        }
        for c in out[name]["columns"]:
            c["meaning"] = " ".join(c.get("meaning", "").split())
    return out


def _codelists(spec: dict) -> dict:
    out = {}
    for name, cl in spec["codelists"].items():
        codes = [dict(c) for c in cl.get("codes", [])]
        codes += [dict(c) for c in cl.get("special_codes", [])]
        numbers = cl.get("la_numbers")
        if numbers:
            codes += [{"code": n, "from": numbers["from"]} for n in numbers["codes"]]
        for c in codes:
            c["code"] = str(c["code"])
        out[name] = {
            "columns": cl.get("columns", []),
            "codes": codes,
            "groups": {g: v["codes"] for g, v in (cl.get("groups") or {}).items()},
        }
    return out


# Names the DfE's rule metadata uses for real columns (see tables.yaml).
_COLUMN_ALIASES = {"PLACEMENT": "PLACE", "DATE_EPISODE_CEASED": "DEC", "NB_ADOPTER": "NB_ADOPTR",
                   "UASC_STATUS": "UASC"}
# Highlighted fields that name columns of another table: the cells the logic reads instead.
_FIELD_CORRECTIONS = {("347", "2023/24"): {"OC3": ["ACCOM", "DOB"]}}


def _fields(code: str, year: str, fields: dict) -> dict:
    """Highlighted cells per table of the return: aliases resolved, the Ofsted lookup
    (not a table of the return) dropped, known slips in the metadata corrected."""
    out = {t: [_COLUMN_ALIASES.get(f, f) for f in (fs or [])] for t, fs in fields.items() if t != "Provider Info"}
    out.update(_FIELD_CORRECTIONS.get((code, year), {}))
    return out


def _rules(folder: Path) -> dict:
    out: dict[str, dict] = {}
    for path in sorted(folder.glob("*/*.yaml")):
        r = yaml.safe_load(path.read_text(encoding="utf-8"))
        fields = _fields(str(r["code"]), r["year"], r.get("fields") or {})
        out.setdefault(str(r["code"]), {})[r["year"]] = {
            "message": r["message"],
            "tables": r["tables"],
            "fields": fields,
            "reads": r.get("reads", []),
        }
    return out


def _rulesets(spec: dict) -> dict:
    return {
        year: {k: [str(c) for c in v.get(k, [])] for k in ("in_force", "added", "modified", "deleted")}
        for year, v in spec.items()
    }


def convert(spec_dir: str | Path) -> dict[str, dict]:
    """The package's data files (name -> content) made from the specification folder."""
    root = Path(spec_dir)
    load = lambda name: yaml.safe_load((root / name).read_text(encoding="utf-8"))  # noqa: E731
    return {
        "tables.json": _tables(load("tables.yaml")),
        "codelists.json": _codelists(load("codelists.yaml")),
        "rules.json": _rules(root / "rules"),
        "rulesets.json": _rulesets(load("rulesets.yaml")),
    }


def main(spec_dir: str) -> None:
    for name, data in convert(spec_dir).items():
        (HERE / name).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {name}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/spec/ssda903")
