"""Care-event rules changed in 2024/25: sex is coded M/F/U."""
from .. import rule
from ..y2022_23.care_events import ceased_mother_blank


@rule("607")
def mother_given_when_care_ceased(d):
    """Female is SEX 'F' from 2024/25 (lower-case 'f' is upper-cased on loading)."""
    return ceased_mother_blank(d, "F")
