"""Which cells a finding points at: the ones the analyst must edit.

Some rules are about values the return does not hold but which are worked out from it
(the placement's council, location and distance come from the postcodes). A finding on such
a value points at the cells those values come from; these maps say which.
"""
from __future__ import annotations

# A derived value -> the input columns it is worked out from.
DERIVED_FROM = {
    "PL_LA": ("PL_POST",),
    "PL_LOCATION": ("PL_POST",),
    "PL_DISTANCE": ("HOME_POST", "PL_POST"),
}

# Rules whose cause lies in other inputs than the derived value's own: the provider, or the legal status.
RULE_INPUTS = {
    "1015": ("PLACE_PROVIDER", "PL_POST"),  # own provision placed outside the council
    "420": ("LS", "PL_POST"),  # a placement authority that short breaks must not have
}


def input_fields(code: str, fields) -> tuple[str, ...]:
    """The rule's highlighted fields with each derived value replaced by the columns to edit."""
    fields = tuple(fields)
    if not any(f in DERIVED_FROM for f in fields):
        return fields
    out: list[str] = []
    for f in RULE_INPUTS.get(code, ()) + fields:
        for g in DERIVED_FROM.get(f, (f,)):
            if g not in out:
                out.append(g)
    return tuple(out)
