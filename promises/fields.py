"""Choice fields whose ids must fit a 64-bit integer column: one beyond it is refused before it reaches the query.

SQLite raises OverflowError for an integer beyond 64 bits in a lookup, which Django's choice fields do not
expect; such an id can only come from a tampered form, so it gets the field's ordinary "not a valid choice".
"""

from django import forms

BIGINT = range(-(2**63), 2**63)


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
