"""What the open data API shows of each object: public fields only, named for readers outside the portal.

Staff, their names and their comments never appear: records are not exposed at all, and a report shows its
frozen snapshot with an explicit list of figures (see :class:`ReportActivitySerializer`), so a key added to the
snapshot later stays private until someone decides to publish it.
"""

from rest_framework import serializers

from activities.models import Activity, PlannedEvent
from followup.models import TertialReport
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
            "target_places",
            "recurrence",
        ]
        read_only_fields = fields


class ReportActivitySerializer(serializers.Serializer):
    """One activity's row of a published report's snapshot (a :class:`followup.snapshot.ActivitySnapshot`): the
    figures, the status and the verdict.

    The assessment's free-text comment is left out on purpose: it is the council's working note, not part of
    what is published. The fields are listed one by one, so that a field added to the snapshot later stays
    private until someone decides to publish it.
    """

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True, default="")
    focus_area = serializers.CharField(read_only=True, default="")
    kind = serializers.CharField(read_only=True, default="")
    unit = serializers.CharField(read_only=True, default="")
    target_count = serializers.IntegerField(read_only=True, allow_null=True, default=None)
    recurrence = serializers.CharField(read_only=True, default="")
    lead_organisation = serializers.CharField(read_only=True, default="")
    partner_organisations = serializers.ListField(child=serializers.CharField(), read_only=True, default=list)
    target_places = serializers.ListField(child=serializers.CharField(), read_only=True, default=list)
    achieved = serializers.IntegerField(read_only=True, default=0)
    expected = serializers.FloatField(read_only=True, default=0.0)
    covered_places = serializers.ListField(child=serializers.CharField(), read_only=True, default=list)
    computed_status = serializers.CharField(read_only=True, default="")
    status = serializers.CharField(read_only=True, default="")
    verdict = serializers.CharField(read_only=True, default="")
    verdict_reason = serializers.CharField(read_only=True, default="")
    per_tertial = serializers.DictField(
        child=serializers.IntegerField(),
        read_only=True,
        default=dict,
        help_text="Quantity achieved per tertial up to the report's, keyed by tertial code (e.g. 2020T1).",
    )


class ReportSerializer(serializers.ModelSerializer):
    tertial = serializers.IntegerField(source="number", read_only=True, help_text="1, 2 or 3.")
    code = serializers.CharField(source="tertial.code", read_only=True, help_text="E.g. 2020T1.")
    council = serializers.CharField(source="council.name", default="", read_only=True)
    judged_at = serializers.DateField(
        source="frozen.judged_at",
        default=None,
        allow_null=True,
        read_only=True,
        help_text="The day the figures were computed for: the tertial's last day, or the period's end if earlier.",
    )
    activities = ReportActivitySerializer(source="frozen.activities", many=True, read_only=True, default=list)

    class Meta:
        model = TertialReport
        fields = [
            "id",
            "promise",
            "year",
            "tertial",
            "code",
            "summary",
            "council",
            "meeting_date",
            "published_at",
            "judged_at",
            "activities",
        ]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    place = serializers.CharField(source="place.name", default="", read_only=True)
    cancelled = serializers.BooleanField(source="is_cancelled", read_only=True)

    class Meta:
        model = PlannedEvent
        fields = ["uid", "activity", "title", "starts_at", "ends_at", "place", "place_text", "description", "cancelled"]
        read_only_fields = fields
