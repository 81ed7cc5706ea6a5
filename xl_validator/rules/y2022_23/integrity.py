"""Data integrity: a child appears once in one-per-child tables and always in Header."""
from .. import rule


def _repeated(d, table):
    t = d[table]
    child = t["CHILD"]
    return {table: child.duplicated(keep=False) & (child != "")}


@rule("INT31")
def once_in_ad1(d):
    return _repeated(d, "AD1")
