"""Field types shared by the apps: text that carries the privacy guard, and ids that fit a 64-bit column.

**Guarded text.** Every text a person types into is stored in a :class:`GuardedCharField`,
:class:`GuardedTextField`, :class:`GuardedSlugField`, :class:`GuardedEmailField` or :class:`GuardedURLField`
(tests/promises/test_guarded_fields.py walks every model and fails on a plain one). The type carries what every
such field must do, so that a new field cannot forget it:

- it refuses a personal identity or coordination number (:func:`promises.privacy.validate_no_identity_number`),
  in the model's ``full_clean`` and in every form made from it (ModelForms, the admin, ``formfield()``);
- it has a ``max_length``, checked by the form (with a message in plain words, and ``maxlength`` on the input),
  by ``full_clean`` and by the database itself: a check constraint on the column's length (named
  ``<table>_<column>_length``), since SQLite does not hold a ``varchar(n)`` to its length and a ``text`` column
  has none anywhere.

Fields holding what no person types (a hashed token, a value chosen from a list) stay plain; the walk lists them.

**Choice fields for ids.** SQLite raises OverflowError for an integer beyond 64 bits in a lookup, which Django's
choice fields do not expect; such an id can only come from a tampered form, so it gets the field's ordinary
"not a valid choice".
"""

import hashlib

from django import forms
from django.core import validators
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from .privacy import validate_no_identity_number

BIGINT = range(-(2**63), 2**63)

# The bounds of long texts, one home for all apps. Generous: a person writing normally never meets them; they
# keep a pasted novel (or a million characters from a script) out of pages, PDFs and the database.
PROMISE_TEXT_LENGTH = 20_000  # a section of the signed promise: situation picture, pledge, follow-up …
STATEMENT_TEXT_LENGTH = 10_000  # a part of the accessibility statement
REPORT_SUMMARY_LENGTH = 10_000  # a follow-up report's summary
DESCRIPTION_LENGTH = 4_000  # descriptions, a record's summary, comments and public explanations
REASON_LENGTH = 2_000  # reasons (voiding, returning, correcting) and notes

TOO_LONG = _("The text is too long: at most %(limit_value)d characters (it has %(show_value)d).")


class GuardedTextMixin:
    """What every guarded text field adds to its Django field type: the guard, the bound and their messages."""

    default_error_messages = {"max_length": TOO_LONG}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is None:
            raise TypeError(f"{type(self).__name__} needs a max_length: free text is bounded.")
        if not any(isinstance(each, validators.MaxLengthValidator) for each in self.validators):
            self.validators.append(validators.MaxLengthValidator(self.max_length))  # CharField adds its own

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        if cls._meta.abstract:
            return  # each concrete model gets its own copy of the field, and so its own constraint
        # A table constraint rather than a column check: migrations add it on PostgreSQL and SQLite alike (Django
        # alters a column's own check only for its built-in types). History tables get theirs from their copy.
        constraint_name = f"{cls._meta.db_table}_{self.column}_length"
        if len(constraint_name) > 60:  # PostgreSQL cuts names at 63 characters
            digest = hashlib.sha1(constraint_name.encode(), usedforsecurity=False).hexdigest()[:8]
            constraint_name = f"{constraint_name[:51]}_{digest}"
        constraint = models.CheckConstraint(
            condition=LessThanOrEqual(Length(self.attname), self.max_length), name=constraint_name
        )
        cls._meta.constraints = [*cls._meta.constraints, constraint]

    def formfield(self, **kwargs):
        guard = [validate_no_identity_number] if validate_no_identity_number not in kwargs.get("validators", ()) else []
        kwargs["validators"] = [*kwargs.get("validators", ()), *guard]
        kwargs["error_messages"] = {"max_length": TOO_LONG, **kwargs.get("error_messages", {})}
        return super().formfield(**kwargs)


class GuardedCharField(GuardedTextMixin, models.CharField):
    default_validators = [*models.CharField.default_validators, validate_no_identity_number]


class GuardedTextField(GuardedTextMixin, models.TextField):
    default_validators = [*models.TextField.default_validators, validate_no_identity_number]


class GuardedSlugField(GuardedTextMixin, models.SlugField):
    default_validators = [*models.SlugField.default_validators, validate_no_identity_number]


class GuardedEmailField(GuardedTextMixin, models.EmailField):
    default_validators = [*models.EmailField.default_validators, validate_no_identity_number]


class GuardedURLField(GuardedTextMixin, models.URLField):
    default_validators = [*models.URLField.default_validators, validate_no_identity_number]


def _out_of_range(value):
    try:
        return int(str(value).strip()) not in BIGINT
    except (TypeError, ValueError):
        return False  # not a number at all: the field's own check refuses it


class BigIntIdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses an id no BIGINT column can hold."""

    def to_python(self, value):
        if value not in self.empty_values and _out_of_range(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class BigIntIdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses any id no BIGINT column can hold."""

    def _check_values(self, value):
        for each in value or ():
            if _out_of_range(each):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": each}
                )
        return super()._check_values(value)
