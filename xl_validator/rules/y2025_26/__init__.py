"""Rules new or changed in 2025/26."""

DELETED: tuple[str, ...] = (
    "SW01aSTG1",
    "SW01bSTG1",
)
