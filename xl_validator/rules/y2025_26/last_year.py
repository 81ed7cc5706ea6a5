"""503D as reissued for 2025/26: Z1 -> Z11-Z14 accepted that year, H5 -> K3 no longer."""
from .. import rule
from ..y2022_23.last_year import open_episode_place_differs


@rule("503D")
def open_episode_place_matches(d):
    """PLACE of this year's first episode must carry on from last year's open episode, except
    Z1 followed by Z11, Z12, Z13 or Z14 in 2025/26 (Z1 was split that year). This version stays
    in force in 2026/27, where the shared year-keyed logic accepts no exception. Ties on DECOM
    follow the shared order (``first_episodes``/``final_episodes``), not file order as the
    spec says (issue 8)."""
    return open_episode_place_differs(d)
