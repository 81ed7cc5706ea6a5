"""Write a return as the files the DfE takes: a folder of CSV files or one XML file (``files``).

The names below load on first use, so registering the ``export`` command (``commands``) does
not load the readers and pandas for every other command.
"""
from importlib import import_module

__all__ = ["Export", "ExportRefused", "Neutralised", "export_return"]


def __getattr__(name: str):
    if name in __all__:
        return getattr(import_module(".files", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
