"""Form helpers any feature's forms share."""

from __future__ import annotations

from wtforms.validators import ValidationError


def refuse_overlap(must_use, avoid, message: str) -> None:
    """A technology ticked in both `must_use` and `avoid` is an error on `avoid`, naming it."""
    both = set(avoid.data or ()) & set(must_use.data or ())
    if both:
        names = {choice.value: choice.label for choice in avoid.choices}
        raise ValidationError(f"{message}: " + ", ".join(sorted(names.get(s, s) for s in both)) + ".")
