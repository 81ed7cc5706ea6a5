"""503D as reissued for 2024/25: flags this year's Episodes only; H5 -> K3 still accepted."""
from .. import rule
from ..y2022_23.last_year import open_episode_place_differs


@rule("503D")
def open_episode_place_matches(d):
    """PLACE of this year's first episode must carry on from last year's open episode, except
    H5 -> K3 (semi-independent placements re-coded as supported accommodation), accepted in
    2024/25 by the shared year-keyed logic. Ties on DECOM follow the shared order
    (``first_episodes``/``final_episodes``), not file order as the spec says (issue 8)."""
    return open_episode_place_differs(d)
