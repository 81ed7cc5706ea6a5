"""Rules new or changed in 2023/24."""

DELETED: tuple[str, ...] = ()
