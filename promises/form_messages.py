"""The portal's own error messages for every staff form, in place of Django's defaults (issue 18).

Django's messages ("This field is required.", "Ensure this value is greater than or equal to 1.") name neither the
field nor the fix. :class:`PortalMessages` gives each field, when the form is checked, messages that do both, by
the field's kind and label: "Ange antal – minst 1.", "Välj aktivitet i listan.". A message the form or model sets
itself is kept; only Django's defaults are replaced. Model validation's "… with this … already exists" is replaced
as well, for one field and for several together.

The mixin goes first among a form's bases: ``class PlaceForm(PortalMessages, RefusesStaleEdits, forms.ModelForm)``.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# Placeholders Django fills in when it raises the error; kept as they are when the label is put in.
_KEPT = {name: f"%({name})s" for name in ("limit_value", "show_value", "max", "value")}


HIDDEN_MISSING = gettext_noop("Part of the form was missing or out of date. Reload the page and send it again.")


def _label(field, name):
    label = str(field.label or name.replace("_", " "))
    # "Antal" reads "antal" inside a sentence; an abbreviation ("PDF", "URL") keeps its capitals.
    letters = [char for char in label[1:] if char.isalpha()]
    if letters and letters[0].islower():
        label = label[0].lower() + label[1:]
    return label.rstrip(":").replace("%", "%%")


def _defaults(field):
    defaults = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return defaults


def _messages_for(field, label):
    """{code: message} for this kind of field, the label put in and Django's placeholders kept."""

    def say(text):
        said = text % {"label": label, **_KEPT}
        # Django formats a message only when it has placeholders; without them a "%" of the label stays single.
        return said if "%(" in said else said.replace("%%", "%")

    if isinstance(field, forms.BooleanField):
        required = say(_("Tick the box “%(label)s” to go on."))
    elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.ModelMultipleChoiceField):
        required = say(_("Choose %(label)s."))
    elif isinstance(field, forms.FileField):
        required = say(_("Choose a file for %(label)s."))
    else:
        required = say(_("Enter %(label)s."))
    messages = {
        "required": required,
        "min_value": say(_("Enter %(label)s – at least %(limit_value)s.")),
        "max_value": say(_("Enter %(label)s – at most %(limit_value)s.")),
        "min_length": say(_("Write at least %(limit_value)s characters in %(label)s (now %(show_value)s).")),
        "max_length": say(_("Write at most %(limit_value)s characters in %(label)s (now %(show_value)s).")),
        "invalid_choice": say(_("Choose %(label)s from the list.")),
        "invalid_pk_value": say(_("Choose %(label)s from the list.")),
        "invalid_list": say(_("Choose %(label)s from the list.")),
        "max_digits": say(_("Enter %(label)s with at most %(max)s digits.")),
        "max_decimal_places": say(_("Enter %(label)s with at most %(max)s decimals.")),
        "max_whole_digits": say(_("Enter %(label)s with at most %(max)s digits before the decimal point.")),
        "unique": say(_("This %(label)s is already used. Choose another.")),
        "step_size": say(_("Enter %(label)s as a multiple of %(limit_value)s.")),
    }
    if isinstance(field, forms.IntegerField):
        messages["invalid"] = say(_("Enter %(label)s as a whole number, for example 3."))
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        messages["invalid"] = say(_("Enter %(label)s as a number, for example 2.5."))
    elif isinstance(field, forms.DateTimeField):
        messages["invalid"] = say(_("Enter %(label)s as a date and time, for example 2020-03-02 18:00."))
    elif isinstance(field, forms.DateField):
        messages["invalid"] = say(_("Enter %(label)s as a date, for example 2020-03-02."))
    elif isinstance(field, forms.TimeField):
        messages["invalid"] = say(_("Enter %(label)s as a time, for example 18:00."))
    elif isinstance(field, forms.EmailField):
        messages["invalid"] = say(_("Check %(label)s: an e-mail address looks like name@kommun.se."))
    elif isinstance(field, forms.URLField):
        messages["invalid"] = say(_("Enter %(label)s as a web address, for example https://kommun.se."))
    elif isinstance(field, forms.FileField):
        messages["invalid"] = say(_("Choose a file for %(label)s."))
        messages["empty"] = say(_("The file for %(label)s is empty. Choose another."))
        messages["missing"] = say(_("Choose a file for %(label)s."))
    return messages


def apply_portal_messages(form):
    """Puts the portal's messages on every field of ``form`` where Django's default stands."""
    for name, field in form.fields.items():
        defaults = _defaults(field)
        if field.widget.is_hidden:
            # Not something the user fills in: the page they sent was incomplete or out of date.
            messages = dict.fromkeys(("required", "invalid", "invalid_choice"), _(HIDDEN_MISSING))
        else:
            messages = _messages_for(field, _label(field, name))
        for code, message in messages.items():
            current = field.error_messages.get(code)
            # A message of the form's or model's own (different from Django's default) stays.
            if current is None or current == defaults.get(code):
                field.error_messages[code] = message


class PortalMessages:
    """A form mixin: the portal's messages (:func:`apply_portal_messages`), put on when the form is checked, so that
    the labels and fields the form's own ``__init__`` set count."""

    def full_clean(self):
        apply_portal_messages(self)
        super().full_clean()

    def _update_errors(self, errors):
        # Model validation of fields unique together names them in Django's words: "… with this … already exists".
        if hasattr(errors, "error_dict") and NON_FIELD_ERRORS in errors.error_dict:
            errors.error_dict[NON_FIELD_ERRORS] = [
                self._portal_unique(error) for error in errors.error_dict[NON_FIELD_ERRORS]
            ]
        super()._update_errors(errors)

    def _portal_unique(self, error):
        if error.code not in ("unique_together", "unique") or not error.params:
            return error
        labels = error.params.get("field_labels") or error.params.get("field_label") or ""
        message = _("There is already one with the same %(fields)s. Change one of them.") % {"fields": labels}
        return ValidationError(message, code=error.code)
