"""Rules new or changed in 2024/25."""

DELETED: tuple[str, ...] = (
    "217t",
    "230",
    "370",
    "445",
    "451",
    "555",
    "556",
    "SW01STG1",
    "SW03STG1",
    "SW11aSTG2",
    "SW14STG2",
)
