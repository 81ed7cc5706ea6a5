"""Standard-library modules Pyodide (xlwings Lite) leaves out, and a preamble that makes them unimportable."""

# Left out of Pyodide's standard library, loaded only on request, or there but unusable (multiprocessing).
PYODIDE_LACKS = ["sqlite3", "_sqlite3", "ssl", "_ssl", "lzma", "_lzma", "multiprocessing", "tkinter",
                 "curses", "dbm", "venv", "ensurepip"]
BLOCK = f"import sys\nfor name in {PYODIDE_LACKS!r}:\n    sys.modules[name] = None   # import raises ImportError\n"
