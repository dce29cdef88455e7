"""What the open data API shows of each object: public fields only, named for readers outside the portal.

Staff, their names and their internal comments never appear: records are not exposed at all, and a report shows
its published edition's snapshot with an explicit list of figures (see :class:`ReportActivitySerializer`), so a key
added to the snapshot later stays private until someone decides to publish it.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from activities.models import Activity, PlannedEvent
from followup.models import Publication
from promises.models import FocusArea, Municipality, Promise


class MunicipalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["name", "slug", "code"]
        read_only_fields = fields


class FocusAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = FocusArea
        fields = ["title", "description", "order"]
        read_only_fields = fields


class PromiseSerializer(serializers.ModelSerializer):
    municipalities = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    signatories = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    focus_areas = FocusAreaSerializer(many=True, read_only=True)

    class Meta:
        model = Promise
        fields = [
            "id",
            "title",
            "slug",
            "year",
            "period_start",
            "period_end",
            "status",
            "signed_on",
            "municipalities",
            "signatories",
            "situation",
            "pledge",
            "expected_effects",
            "follow_up",
            "communication",
            "focus_areas",
        ]
        read_only_fields = fields


class ActivitySerializer(serializers.ModelSerializer):
    focus_area = serializers.CharField(source="focus_area.title", default="", read_only=True)
    kind = serializers.CharField(source="kind.name", read_only=True)
    lead_organisation = serializers.CharField(source="lead_organisation.name", read_only=True)
    partner_organisations = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    target_places = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "promise",
            "focus_area",
            "kind",
            "title",
            "description",
            "lead_organisation",
            "partner_organisations",
            "target_count",
            "unit",
            "unit_singular",
            "target_places",
            "recurrence",
            "target_window_start",
            "target_window_end",
            "target_per_municipality",
        ]
        read_only_fields = fields


class PeriodSerializer(serializers.Serializer):
    """A span of days, both included: a follow-up period (with its code and label) or a promise's period."""

    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True)
    code = serializers.CharField(read_only=True, help_text="E.g. 2020T1; empty for a promise's period.")
    label = serializers.CharField(read_only=True, help_text="E.g. T1 2020; empty for a promise's period.")


class QuantityPerMunicipalitySerializer(serializers.Serializer):
    municipality = serializers.CharField(read_only=True, help_text="Empty for records without a place.")
    quantity = serializers.IntegerField(read_only=True)


class MunicipalPartSerializer(serializers.Serializer):
    municipality = serializers.CharField(read_only=True)
    achieved = serializers.IntegerField(read_only=True)
    status = serializers.CharField(read_only=True)


class ReportActivitySerializer(serializers.Serializer):
    """One activity's row of a published report's snapshot (a :class:`followup.snapshot.ActivitySnapshot`): the
    figures, the status and the verdict.

    The assessment's comment is shown only when the coordinator chose to publish it (``public_comment``); an
    internal comment is the council's working note, never published. The fields are listed one by one, so that a
    field added to the snapshot later stays private until someone decides to publish it.
    """

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True, default="")
    focus_area = serializers.CharField(read_only=True, default="")
    kind = serializers.CharField(read_only=True, default="")
    description = serializers.CharField(read_only=True, default="")
    unit = serializers.CharField(read_only=True, default="")
    target_count = serializers.IntegerField(read_only=True, allow_null=True, default=None)
    recurrence = serializers.CharField(read_only=True, default="")
    lead_organisation = serializers.CharField(read_only=True, default="")
    partner_organisations = serializers.ListField(child=serializers.CharField(), read_only=True, default=list)
    target_places = serializers.ListField(child=serializers.CharField(), read_only=True, default=list)
    achieved = serializers.IntegerField(
        read_only=True, default=0, help_text="The sum of the quantities logged, also for a target without a count."
    )
    expected = serializers.FloatField(read_only=True, default=0.0)
    covered_places = serializers.ListField(child=serializers.CharField(), read_only=True, default=list)
    missing_places = serializers.ListField(child=serializers.CharField(), read_only=True, default=list)
    computed_status = serializers.CharField(read_only=True, default="")
    status = serializers.CharField(read_only=True, default="")
    public_comment = serializers.CharField(read_only=True, default="")
    verdict = serializers.CharField(read_only=True, default="", help_text="kept, partly_kept or not_kept, at the end.")
    verdict_reason = serializers.CharField(read_only=True, default="")
    verdict_explanation = serializers.CharField(read_only=True, default="")
    per_tertial = serializers.DictField(
        child=serializers.IntegerField(),
        read_only=True,
        default=dict,
        help_text="Quantity achieved per tertial up to the report's, keyed by tertial code (e.g. 2020T1).",
    )
    per_municipality = serializers.SerializerMethodField(
        help_text="For a promise of several municipalities: the quantity per municipality; empty otherwise."
    )

    target_window_start = serializers.CharField(
        read_only=True, default="", help_text="The first day the target applies to (ISO date); empty: the period's."
    )
    target_window_end = serializers.CharField(
        read_only=True, default="", help_text="The last day the target applies to, the day it is judged on."
    )
    outside_window = serializers.IntegerField(
        read_only=True, default=0, help_text="The quantity logged outside the target's days: not counted towards it."
    )
    target_per_municipality = serializers.BooleanField(
        read_only=True, default=False, help_text="Whether the target applies to each municipality of the promise."
    )
    parts = serializers.SerializerMethodField(
        help_text="For a target per municipality: each municipality's achieved quantity and status."
    )

    @extend_schema_field(MunicipalPartSerializer(many=True))
    def get_parts(self, item):
        return [{"municipality": name, "achieved": achieved, "status": status} for name, achieved, status in item.parts]

    @extend_schema_field(QuantityPerMunicipalitySerializer(many=True))
    def get_per_municipality(self, item):
        return [{"municipality": name, "quantity": quantity} for name, quantity in item.per_municipality]


class IndicatorValueSerializer(serializers.Serializer):
    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True, help_text="The same as start for a value measured on one day.")
    code = serializers.CharField(read_only=True, help_text="The tertial's code, e.g. 2020T1; empty for a day.")
    value = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    note = serializers.CharField(read_only=True)


class ReportIndicatorSerializer(serializers.Serializer):
    """An indicator of expected effect as the report froze it: its baseline, its values and its trend."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    unit = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True)
    better = serializers.CharField(read_only=True, help_text="lower or higher: which direction is better.")
    target_value = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, allow_null=True)
    baseline = IndicatorValueSerializer(
        read_only=True, allow_null=True, help_text="The latest value before the promise's period, if any."
    )
    values = IndicatorValueSerializer(many=True, read_only=True)
    trend = serializers.CharField(
        read_only=True,
        help_text="falling, rising, unchanged or too_few, from the baseline (or first value) to the last.",
    )
    in_desired_direction = serializers.BooleanField(
        read_only=True, allow_null=True, help_text="Whether the trend goes the way the promise wants; null if flat."
    )
    target_reached = serializers.BooleanField(read_only=True, allow_null=True)


class ReportSerializer(serializers.ModelSerializer):
    """A published report: the current edition of its snapshot, never the live figures."""

    id = serializers.IntegerField(source="report_id", read_only=True, help_text="The report's id.")
    promise = serializers.IntegerField(source="report.promise_id", read_only=True)
    year = serializers.IntegerField(source="report.year", read_only=True)
    tertial = serializers.IntegerField(source="report.number", read_only=True, help_text="1, 2 or 3.")
    code = serializers.CharField(source="report.tertial.code", read_only=True, help_text="E.g. 2020T1.")
    edition = serializers.IntegerField(read_only=True, help_text="1, or more once the report has been corrected.")
    correction = serializers.CharField(
        source="reason", read_only=True, help_text="What this edition corrected; empty for the first edition."
    )
    summary = serializers.CharField(source="frozen.summary", read_only=True, default="")
    council = serializers.CharField(source="frozen.council", read_only=True, default="")
    forum_kind = serializers.CharField(
        source="frozen.forum.kind",
        read_only=True,
        help_text="The kind of forum that decided: crime_prevention, public_health, executive_board, "
        "management_group or other.",
    )
    decision = serializers.CharField(
        source="frozen.forum.decision",
        read_only=True,
        help_text="What the forum did with the follow-up: approved (godkänd), adopted (fastställd) or noted "
        "(har tagit del av).",
    )
    meeting_date = serializers.DateField(source="frozen.meeting_date", read_only=True, allow_null=True)
    judged_at = serializers.DateField(
        source="frozen.judged_at",
        default=None,
        allow_null=True,
        read_only=True,
        help_text="The day the figures were computed for: the tertial's last day, or the period's end if earlier.",
    )
    period = PeriodSerializer(source="frozen.period", read_only=True, allow_null=True)
    promise_period = PeriodSerializer(
        source="frozen.promise_period", read_only=True, allow_null=True, help_text="The period it was judged against."
    )
    final = serializers.BooleanField(
        source="frozen.is_final", read_only=True, help_text="Whether this is the period's last report, with verdicts."
    )
    activities = ReportActivitySerializer(source="frozen.activities", many=True, read_only=True, default=list)
    indicators = ReportIndicatorSerializer(source="frozen.indicators", many=True, read_only=True, default=list)

    class Meta:
        model = Publication
        fields = [
            "id",
            "promise",
            "year",
            "tertial",
            "code",
            "edition",
            "correction",
            "summary",
            "council",
            "forum_kind",
            "decision",
            "meeting_date",
            "published_at",
            "judged_at",
            "period",
            "promise_period",
            "final",
            "activities",
            "indicators",
        ]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    place = serializers.CharField(source="place.name", default="", read_only=True)
    cancelled = serializers.BooleanField(source="is_cancelled", read_only=True)

    class Meta:
        model = PlannedEvent
        fields = ["uid", "activity", "title", "starts_at", "ends_at", "place", "place_text", "description", "cancelled"]
        read_only_fields = fields
