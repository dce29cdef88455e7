"""Every persona against every staff URL and admin object: who gets the page, who gets 404.

The outsider (coordinator of another municipality) gets 404 on every Strängnäs object; anonymous visitors are
sent to log in. Rows are URLs, columns personas, in the order of PERSONAS.
"""

import datetime

import pytest
from django.urls import reverse

from activities.models import PlannedEvent
from tests.conftest import make_record

pytestmark = pytest.mark.django_db

PERSONAS = ["police_recorder", "municipal_recorder", "coordinator", "council_member", "outsider", "administrator", None]
LOGIN = "login"  # a redirect to the portal's log-in page
ADMIN_LOGIN = "admin login"  # a redirect to the admin's log-in page (not staff)

MATRIX = {
    # url name: (police, municipal, coordinator, council, outsider, administrator, anonymous)
    "home": (200, 200, 200, 200, 200, 200, 200),
    "mine": (200, 200, 200, 200, 200, 200, LOGIN),
    "records": (200, 200, 200, 200, 200, 200, LOGIN),
    "municipality_records": (404, 404, 200, 404, 200, 200, LOGIN),  # the outsider sees their own
    "events": (200, 200, 200, 200, 200, 200, LOGIN),
    "log": (200, 200, 200, 200, 200, 200, LOGIN),
    "log police activity": (200, 404, 200, 404, 404, 200, LOGIN),
    "log shared activity": (200, 200, 200, 404, 404, 200, LOGIN),
    "log municipal activity": (404, 200, 200, 404, 404, 200, LOGIN),
    "record": (200, 404, 200, 404, 404, 200, LOGIN),
    "edit record": (200, 404, 200, 404, 404, 200, LOGIN),
    "void record": (200, 404, 200, 404, 404, 200, LOGIN),
    # Accounts (issue 16): everyone logged in keeps their own account; the reset is for those who cannot log in.
    "my account": (200, 200, 200, 200, 200, 200, LOGIN),
    "password change": (200, 200, 200, 200, 200, 200, LOGIN),
    "two-factor": (200, 200, 200, 200, 200, 200, LOGIN),
    "password reset": (200, 200, 200, 200, 200, 200, 200),
    "e-mail addresses": (404, 404, 404, 404, 404, 404, 404),
    # Registering an organisation's identity provider is an administrator's (issue 16); to anyone else it is not there.
    "register identity provider": (404, 404, 404, 404, 404, 200, LOGIN),
    # The admin is the administrators' alone: everyone else is sent to its log-in (README, "Admin").
    "admin promise": (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, ADMIN_LOGIN),
    "admin activity": (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, ADMIN_LOGIN),
    "admin record": (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, ADMIN_LOGIN),
    "admin record history": (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, ADMIN_LOGIN),
    "admin place": (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, ADMIN_LOGIN),
    "admin event": (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, ADMIN_LOGIN),
    "admin report list": (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, ADMIN_LOGIN),
    "admin membership add": (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200, ADMIN_LOGIN),
    "admin identity provider add": (ADMIN_LOGIN,) * 5 + (200, ADMIN_LOGIN),
}


def url_for(name, world, record, event):
    return {
        "home": reverse("home"),
        "mine": reverse("activities:mine"),
        "records": reverse("activities:records"),
        "municipality_records": reverse("activities:municipality_records"),
        "events": reverse("activities:events"),
        "log": reverse("activities:log"),
        "log police activity": reverse("activities:log_activity", args=[world.count_activity.pk]),
        "log shared activity": reverse("activities:log_activity", args=[world.continuous_activity.pk]),
        "log municipal activity": reverse("activities:log_activity", args=[world.once_activity.pk]),
        "record": reverse("activities:record", args=[record.pk]),
        "edit record": reverse("activities:edit", args=[record.pk]),
        "void record": reverse("activities:void", args=[record.pk]),
        "register identity provider": reverse("workspace:identity_provider_create", args=[world.strangnas.slug]),
        "my account": reverse("account"),
        "password change": reverse("account_change_password"),
        "two-factor": reverse("mfa_index"),
        "password reset": reverse("account_reset_password"),
        "e-mail addresses": reverse("account_email"),
        "admin promise": f"/admin/promises/promise/{world.promise.pk}/change/",
        "admin activity": f"/admin/activities/activity/{world.count_activity.pk}/change/",
        "admin record": f"/admin/activities/activityrecord/{record.pk}/change/",
        "admin record history": f"/admin/activities/activityrecord/{record.pk}/history/",
        "admin place": f"/admin/promises/place/{world.district.pk}/change/",
        "admin event": f"/admin/activities/plannedevent/{event.pk}/change/",
        "admin report list": "/admin/followup/tertialreport/",
        "admin membership add": "/admin/promises/membership/add/",
        "admin identity provider add": "/admin/promises/identityprovider/add/",
    }[name]


CASES = [
    pytest.param(name, persona, expected, id=f"{name}-{persona or 'anonymous'}")
    for name, row in MATRIX.items()
    for persona, expected in zip(PERSONAS, row, strict=True)
]


@pytest.mark.parametrize(("name", "persona", "expected"), CASES)
def test_the_permission_matrix(client, world, name, persona, expected):
    record = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 10))
    if persona:
        client.force_login(getattr(world, persona))
    event = PlannedEvent.objects.create(
        activity=world.continuous_activity,
        title="Trygghetsvandring",
        starts_at=datetime.datetime(2020, 9, 1, 17, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2020, 9, 1, 19, tzinfo=datetime.UTC),
        created_by=world.coordinator,
    )
    response = client.get(url_for(name, world, record, event))
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")
    else:
        assert response.status_code == expected


def test_the_outsider_sees_none_of_strangnas_in_their_lists(client, world):
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 10))
    client.force_login(world.outsider)
    for url in (reverse("activities:mine"), reverse("activities:municipality_records"), reverse("activities:log")):
        page = client.get(url).content.decode()
        assert "Planlagda insatser" not in page, url
        assert "Medborgarlöfte 2020" not in page, url
