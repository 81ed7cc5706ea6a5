"""xl_validator: find and fix errors in the SSDA903 return, in Excel or from Python.

The names below load on first use, so ``import xl_validator`` (and ``xl-validator --help``)
does not pull in pandas and the rule engine before they are needed.
"""
from importlib import import_module

__version__ = "0.1.0"
__all__ = ["validate", "local_rule", "InputError", "__version__"]

_LAZY = {"validate": (".api", "validate"), "InputError": (".read", "InputError"),
         "local_rule": (".rules.local", "local_rule")}


def __getattr__(name: str):
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(import_module(module, __name__), attr)
        globals()[name] = value
        return value
    try:
        return import_module(f".{name}", __name__)  # a submodule: xv.api, xv.fix, ...
    except ModuleNotFoundError as e:
        if e.name != f"{__name__}.{name}":
            raise
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
