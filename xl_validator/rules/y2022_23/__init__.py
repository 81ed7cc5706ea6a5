"""Rules new or changed in 2022/23 (the base year: every rule in force then)."""

DELETED: tuple[str, ...] = ()
