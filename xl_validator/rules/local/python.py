"""Local rules written in Python, for what a sheet row cannot say.

``@local_rule("L101", message=..., tables=..., fields=..., severity=...)`` marks a function
of exactly a DfE rule's shape (prepared Data in, masks or positions per table out). They are
loaded only from a file or module the user names: opening a return must never run code.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ...read import InputError


@dataclass(frozen=True)
class PythonRule:
    code: str
    message: str
    tables: tuple[str, ...]
    fields: dict[str, tuple[str, ...]]
    severity: str
    fn: Callable
    where: str


def local_rule(code: str, message: str, tables=(), fields=None, severity: str = "error"):
    """Mark a function as local rule ``code``; it runs only when its file or module is named."""
    tables = (tables,) if isinstance(tables, str) else tuple(tables)

    def mark(fn: Callable) -> Callable:
        if isinstance(fields, dict):
            shown = {t: (f,) if isinstance(f, str) else tuple(f) for t, f in fields.items()}
        else:  # a list of fields applies to every table the rule reads
            listed = (fields,) if isinstance(fields, str) else tuple(fields or ())
            shown = {t: listed for t in tables}
        fn.local_rule = PythonRule(str(code).strip().upper(), message, tables, shown,
                                   str(severity).strip().lower(), fn, f"{fn.__module__}.{fn.__name__}")
        return fn

    return mark


def _import(spec: str):
    path = Path(spec)
    if path.suffix.lower() == ".py":
        if not path.is_file():
            raise InputError(f"{path}: no such Python file of local rules")
        name = f"xl_validator_local_{abs(hash(str(path.resolve())))}"
        loader = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(loader)
        sys.modules[name] = module  # dataclasses and pickling look a module up by name
        try:
            loader.loader.exec_module(module)
        except Exception as e:
            sys.modules.pop(name, None)
            raise InputError(f"{path}: the local rules file could not be loaded ({type(e).__name__}: {e})") from None
        return module
    try:
        return importlib.import_module(spec)
    except Exception as e:
        raise InputError(f"local rules module {spec!r} could not be imported ({type(e).__name__}: {e})") from None


def python_rules(spec: str) -> list[PythonRule]:
    """The local rules a named .py file or importable module defines, in the order written."""
    module = _import(spec)
    found = [getattr(v, "local_rule") for v in vars(module).values()
             if callable(v) and isinstance(getattr(v, "local_rule", None), PythonRule)]
    return [replace(r, where=f"{spec} ({r.fn.__name__})") for r in found]
