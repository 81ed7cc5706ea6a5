"""Rules new or changed in 2026/27."""

DELETED: tuple[str, ...] = ()
