"""The living style page (/stil/): every component of the portal's design system, with Swedish example text.

Staff only (any role): it is a reference for the people who build and check the pages, not a page for citizens.
Its example form is refused on purpose, so the page shows the error summary and the field errors as a real form does.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from followup.progress import Status
from promises.scope import scope_for

ORGANISATIONS = [("polisen", "Polisen Strängnäs"), ("kommunen", "Strängnäs kommun"), ("raddning", "Räddningstjänsten")]
PLACES = [("mariefred", "Mariefred"), ("stallarholmen", "Stallarholmen"), ("strangnas", "Strängnäs tätort")]


class ExampleForm(forms.Form):
    """The log form's kinds of field, in Swedish (the page shows Swedish example text in either language)."""

    occurred_on = forms.DateField(label="Datum", help_text="Skriv datumet som år-månad-dag, till exempel 2020-03-10.")
    quantity = forms.IntegerField(label="Antal", min_value=1)
    organisations = forms.MultipleChoiceField(
        label="Vilka organisationer var med?",
        help_text="Kryssa i alla som var med.",
        choices=ORGANISATIONS,
        widget=forms.CheckboxSelectMultiple,
    )
    place = forms.ChoiceField(label="Plats", choices=PLACES, widget=forms.RadioSelect)
    summary = forms.CharField(label="Kort beskrivning", required=False, widget=forms.Textarea)
    public = forms.BooleanField(label="Kommentaren får visas för medborgare", required=False)


def _refused_form():
    form = ExampleForm(data={"occurred_on": "", "quantity": "0", "organisations": ["polisen"], "place": "mariefred"})
    form.full_clean()
    # The portal's own wording, not Django's defaults: what is wrong and how to put it right.
    form.errors.clear()
    form.add_error("occurred_on", "Skriv datumet då aktiviteten gjordes, till exempel 2020-03-10.")
    form.add_error("quantity", "Antalet måste vara 1 eller mer.")
    return form


@login_required
@require_safe
def style_guide(request):
    if not scope_for(request.user).is_staff_member:
        raise Http404
    return render(
        request,
        "staff/style.html",
        {
            "example_form": _refused_form(),
            "empty_form": ExampleForm(initial={"organisations": ["polisen"], "place": "mariefred"}),
            "statuses": list(Status),
        },
    )
