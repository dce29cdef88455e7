from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from promises.form_messages import PortalMessages
from promises.forms import KeepsLinksOutsideScope, RefusesStaleEdits, date_hint
from promises.models import Municipality
from promises.scope import Role

from .models import Assessment, Council, TertialReport
from .progress import Status
from .services import MEETING_AFTER_PERIOD, UNCHANGED

STATUS_CHOICES = [(status.value, status.label) for status in Status]


class ReportForm(PortalMessages, forms.Form):
    """The draft's summary and one assessment per activity: status, comment and, at the end, a verdict.

    The fields of each activity are named after its id (``status_12``, ``comment_12`` …) so one form holds the
    whole report. ``activities`` are the promise's activities in order, ``computed`` maps each id to the status
    computed now. The status field starts at "computed" (empty), whatever the figures have become since the draft
    was started; choosing another status requires a comment saying why, and choosing the computed one stores
    nothing, so a status differs from the computed one only where someone chose it. At the period's last report
    the verdict starts at "kept" for an activity whose target is met, so the coordinator confirms rather than picks.
    """

    revision = forms.IntegerField(widget=forms.HiddenInput)
    # Form fields made by the model's fields carry their guard, length and messages (promises.fields).
    summary = TertialReport._meta.get_field("summary").formfield(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the forum and citizens should know about the period. Describe work, never people."),
    )

    def __init__(self, *args, report, activities, computed, with_verdicts, forums=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        # The forum the report goes to: one of the councils of the promise's municipalities (issue 15).
        self.forums = {str(council.pk): council for council in forums}
        if self.forums:
            self.fields["council"] = forms.ChoiceField(
                label=_("Forum"),
                # Left out (an older form), the report keeps its forum.
                required=False,
                choices=[(pk, f"{council.name} ({council.forum.kind_label})") for pk, council in self.forums.items()],
                initial=str(report.council_id) if report.council_id else next(iter(self.forums)),
                help_text=_("The forum that follows up this report, among those of the promise's municipalities."),
            )
        self.computed = computed  # activity id -> Status computed now
        self.with_verdicts = with_verdicts
        existing = {assessment.activity_id: assessment for assessment in report.assessments.all()}
        self.rows = []
        for activity in activities:
            key = activity.pk
            assessment = existing.get(key) or Assessment(report=report, activity=activity)
            status = computed.get(key)
            chosen = assessment.status if assessment.status and assessment.status != status else ""
            follow = _("Computed: %(status)s") % {"status": Status(status).label} if status else "–"
            self.fields[f"status_{key}"] = forms.ChoiceField(
                label=_("Status"),
                required=False,
                choices=[("", follow), *STATUS_CHOICES],
                initial=chosen,
                help_text=_("Choose another status only with a comment saying why."),
            )
            self.fields[f"comment_{key}"] = Assessment._meta.get_field("comment").formfield(
                label=_("Comment"),
                initial=assessment.comment,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"comment_public_{key}"] = forms.BooleanField(
                label=_("Publish the comment for citizens"),
                required=False,
                initial=assessment.comment_public,
                help_text=_("Comments are internal unless you tick this."),
            )
            if with_verdicts:
                default = Assessment.Verdict.KEPT if status == Status.DONE else ""
                self.fields[f"verdict_{key}"] = forms.ChoiceField(
                    label=_("Verdict"),
                    required=False,
                    choices=[("", _("Not yet decided")), *Assessment.Verdict.choices],
                    initial=assessment.verdict or default,
                )
                self.fields[f"verdict_reason_{key}"] = forms.ChoiceField(
                    label=_("Reason, unless kept"),
                    required=False,
                    choices=[("", "–"), *Assessment.Reason.choices],
                    initial=assessment.verdict_reason,
                )
                self.fields[f"verdict_explanation_{key}"] = Assessment._meta.get_field("verdict_explanation").formfield(
                    label=_("Explanation for citizens, unless kept"),
                    initial=assessment.verdict_explanation,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    help_text=_("Published with the verdict: why the promise was not kept in full."),
                )
            self.rows.append({"activity": activity, "assessment": assessment, "key": key})
        self.initial.setdefault("revision", report.revision)
        self.initial.setdefault("summary", report.summary)

    def bound_rows(self):
        """Each activity's assessment with its bound fields, for the template."""
        for row in self.rows:
            key = row["key"]
            yield {
                **row,
                "computed": self.computed.get(key),
                "status": self[f"status_{key}"],
                "comment": self[f"comment_{key}"],
                "comment_public": self[f"comment_public_{key}"],
                "verdict": self[f"verdict_{key}"] if self.with_verdicts else None,
                "verdict_reason": self[f"verdict_reason_{key}"] if self.with_verdicts else None,
                "verdict_explanation": self[f"verdict_explanation_{key}"] if self.with_verdicts else None,
            }

    def clean(self):
        cleaned = super().clean()
        for row in self.rows:
            key = row["key"]
            chosen, comment = cleaned.get(f"status_{key}"), cleaned.get(f"comment_{key}", "")
            computed = self.computed.get(key)
            if chosen and computed and chosen != computed and not comment.strip():
                self.add_error(
                    f"comment_{key}",
                    _("You changed the status from the computed “%(computed)s”: say why in a comment.")
                    % {"computed": Status(computed).label},
                )
            if self.with_verdicts:
                verdict = cleaned.get(f"verdict_{key}")
                if verdict and verdict != Assessment.Verdict.KEPT:
                    if not cleaned.get(f"verdict_reason_{key}"):
                        self.add_error(
                            f"verdict_reason_{key}", _("Give a reason when the activity was not kept in full.")
                        )
                    if f"verdict_explanation_{key}" in cleaned and not cleaned[f"verdict_explanation_{key}"].strip():
                        self.add_error(
                            f"verdict_explanation_{key}",
                            _("Explain to citizens why the activity was not kept in full."),
                        )
        return cleaned

    def chosen_forum(self):
        """The council chosen, or the services' UNCHANGED when the promise's municipalities have none."""
        if "council" not in self.fields or not self.cleaned_data.get("council"):
            return UNCHANGED
        return self.forums[self.cleaned_data["council"]]

    def assessments(self):
        """activity id -> the fields to save on its assessment; the computed status is stored as no choice."""
        result = {}
        for row in self.rows:
            key = row["key"]
            chosen = self.cleaned_data[f"status_{key}"]
            fields = {
                "status": "" if chosen == self.computed.get(key) else chosen,
                "comment": self.cleaned_data[f"comment_{key}"],
                "comment_public": self.cleaned_data[f"comment_public_{key}"],
            }
            if self.with_verdicts:
                verdict = self.cleaned_data[f"verdict_{key}"]
                kept = verdict in ("", Assessment.Verdict.KEPT)
                fields["verdict"] = verdict
                fields["verdict_reason"] = "" if kept else self.cleaned_data[f"verdict_reason_{key}"]
                fields["verdict_explanation"] = "" if kept else self.cleaned_data[f"verdict_explanation_{key}"]
            result[key] = fields
        return result


class RevisionForm(PortalMessages, forms.Form):
    """A workflow step names the revision it was shown, so a step on a changed report is refused.

    ``period`` is the follow-up period the report reviews, for the steps that ask for a date (ApproveForm)."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, period=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period


class ApproveForm(RevisionForm):
    meeting_date = forms.DateField(
        label=_("Date of the meeting"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.period is not None:
            # The days followup.services.report_approve takes: from the period's start until today, at most a
            # year after its end. Today is the usual answer: the decision is mostly recorded the day it is made.
            today = timezone.localdate()
            first, last = self.period.start, min(today, self.period.end + MEETING_AFTER_PERIOD)
            open_days = (first, last) if first <= last else None
            self.fields["meeting_date"].help_text = date_hint(open_days)
            if open_days and last == today and not self.is_bound:
                self.initial.setdefault("meeting_date", today)

    def clean_meeting_date(self):
        meeting_date = self.cleaned_data["meeting_date"]
        if meeting_date > timezone.localdate():
            raise forms.ValidationError(_("The meeting date cannot be in the future."))
        return meeting_date


class ReturnForm(RevisionForm):
    comment = TertialReport._meta.get_field("return_comment").formfield(
        label=_("Why it goes back to draft"),
        required=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the report's history."),
    )


class CouncilForm(PortalMessages, KeepsLinksOutsideScope, RefusesStaleEdits, forms.ModelForm):
    """A forum's name and municipalities; a joint council keeps the municipalities the user does not coordinate."""

    class Meta:
        model = Council
        fields = ["name", "kind", "decision", "municipalities"]
        widgets = {
            "municipalities": forms.CheckboxSelectMultiple,
            "kind": forms.RadioSelect,
            "decision": forms.RadioSelect,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_to("municipalities", Municipality.objects.in_scope_of(user, Role.COORDINATOR).order_by("name"))
        if self.instance.pk:
            municipalities = sorted(self.instance.municipalities.all(), key=lambda municipality: municipality.name)
            self.guard(
                {
                    "name": self.instance.name,
                    "kind": self.instance.kind,
                    "decision": self.instance.decision,
                    "municipalities": [municipality.pk for municipality in municipalities],
                },
                [
                    (_("Name"), self.instance.name),
                    (_("Kind of forum"), self.instance.get_kind_display()),
                    (_("Decision on a follow-up"), self.instance.get_decision_display()),
                    (_("Municipalities"), ", ".join(municipality.name for municipality in municipalities)),
                ],
            )

    def clean(self):
        cleaned = self.keep_links(super().clean())
        self.refuse_if_stale()
        if "municipalities" in cleaned and not cleaned["municipalities"]:
            self.add_error("municipalities", _("Choose at least one municipality."))
        return cleaned


class CorrectionForm(RevisionForm):
    reason = TertialReport._meta.get_field("correction_reason").formfield(
        label=_("What needs correcting"),
        required=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Published with the corrected report, e.g. “A typing error in the summary”. The published report stays "
            "public, unchanged, until the correction is approved and published."
        ),
    )
