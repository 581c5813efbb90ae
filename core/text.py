"""Bounds and checks for every free text people type: explicit lengths and no invisible direction overrides.

Models use `bounded_text` on their fields (so forms, the API and services' `full_clean` all refuse the same input,
in Dutch) and `text_length_constraint` in Meta (so the database refuses it too).
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

# Explicit bounds (characters) for the longer texts; names and short fields use their CharField max_length.
EXPLANATION_MAX_LENGTH = 5000
SUMMARY_MAX_LENGTH = 2000
NEXT_STEP_MAX_LENGTH = 1000
AGENDA_MAX_LENGTH = 5000
EVIDENCE_LINKS_MAX = 10

# U+202A–U+202E and U+2066–U+2069 reverse or isolate the reading direction invisibly ("Trojan Source"): a name
# could show as something else than it is.
DIRECTION_OVERRIDES = re.compile("[\u202a-\u202e\u2066-\u2069]")


def validate_no_direction_overrides(value: str) -> None:
    if isinstance(value, str) and DIRECTION_OVERRIDES.search(value):
        raise ValidationError(
            "De tekst bevat onzichtbare tekens die de leesrichting omdraaien (U+202A–U+202E, U+2066–U+2069). "
            "Verwijder ze en sla opnieuw op.",
            code="direction_override",
        )


def bounded_text(max_length: int | None = None) -> list:
    """The validators of a free-text field: no direction overrides and, for a TextField, its maximum length."""
    validators = [validate_no_direction_overrides]
    if max_length is not None:
        validators.append(MaxLengthValidator(max_length))
    return validators


def text_length_constraint(field: str, max_length: int, *, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), max_length), name=name)
