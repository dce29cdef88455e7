"""Template helpers for the staff site's forms."""

from django import forms, template

register = template.Library()


@register.filter
def is_choice_group(bound_field) -> bool:
    """Whether the field is a group of checkboxes or radio buttons, shown as a fieldset with a legend."""
    return isinstance(bound_field.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect)
