"""DfE rules, registered per collection year as deltas.

Each year is a package ``y<yyyy>_<yy>`` whose modules define that year's new
and changed rules with ``@rule("code")`` and whose ``__init__`` lists the codes
the DfE deleted that year (``DELETED``). A year's rule set is the previous
year's set, minus its deletions, plus (or replaced by) its own definitions.
The DfE message, tables and highlighted fields of each version come from the
catalogue, not from code.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from .. import catalogue

_DEFINED: dict[str, dict[str, Callable]] = {}


def _year_of(module: str) -> str:
    part = next(p for p in module.split(".") if p.startswith("y") and "_" in p)
    first, second = part[1:].split("_")
    return f"{first}/{second}"


def rule(code: str):
    """Register the decorated function as rule ``code`` for the year of its package."""

    def register(fn: Callable) -> Callable:
        year = _year_of(fn.__module__)
        defined = _DEFINED.setdefault(year, {})
        if code in defined and defined[code] is not fn:
            raise RuntimeError(f"rule {code} is defined twice for {year}: "
                               f"{defined[code].__module__} and {fn.__module__}")
        defined[code] = fn
        fn.code = code
        return fn

    return register


@dataclass(frozen=True)
class Rule:
    code: str
    version: str
    message: str
    tables: tuple[str, ...]
    fields: dict[str, tuple[str, ...]]
    fn: Callable
    source: str = "DfE"  # or "local": a council's own check (rules/local)
    severity: str = "error"  # local rules may also be "warning" or "info"

    def __call__(self, data):
        return self.fn(data)


def _package(year: str) -> str:
    return f"{__name__}.y{year.replace('/', '_')}"


@lru_cache(maxsize=None)
def _load_year(year: str) -> tuple[dict[str, Callable], tuple[str, ...]]:
    pkg = importlib.import_module(_package(year))
    for info in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"{pkg.__name__}.{info.name}")
    return dict(_DEFINED.get(year, {})), tuple(getattr(pkg, "DELETED", ()))


@lru_cache(maxsize=None)
def _functions(year: str) -> dict[str, Callable]:
    prev = catalogue.previous_year(year)
    fns = dict(_functions(prev)) if prev else {}
    defined, deleted = _load_year(year)
    for code in deleted:
        fns.pop(code, None)
    fns.update(defined)
    return fns


def registry(year: str) -> dict[str, Rule]:
    """Every rule in force in ``year``, by code, with the DfE's text for that version."""
    year = catalogue.normalise_year(year)
    out = {}
    for code, fn in sorted(_functions(year).items()):
        meta = catalogue.rule_meta(code, year)
        out[code] = Rule(
            code=code, version=meta["version"], message=meta["message"],
            tables=tuple(meta["tables"]),
            fields={t: tuple(f) for t, f in meta["fields"].items()}, fn=fn,
        )
    return out


def defined_in(year: str) -> dict[str, Callable]:
    """The functions a year's own folder defines (its new and changed rules)."""
    return _load_year(catalogue.normalise_year(year))[0]
