"""ICS calendar of a municipality's planned public activities, for phones and calendar programs to subscribe to."""

import datetime
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vDuration
from icalendar.enums import STATUS

from activities.models import PlannedEvent
from promises.models import Municipality

from .page_cache import cached_public_page

TZID = "Europe/Stockholm"
STOCKHOLM = ZoneInfo(TZID)
# Recent events stay in the feed for a while, so that a calendar keeps what happened instead of dropping it at once.
PAST = datetime.timedelta(days=90)
REFRESH = datetime.timedelta(hours=1)


@cached_public_page
def municipality_calendar(request, municipality):
    """The municipality's public events, upcoming and of the last 90 days, with two queries however many.

    Each event keeps its UID for ever, so a subscribed calendar updates it (its SEQUENCE grows with every change)
    instead of adding a copy; a cancelled event stays in the feed as CANCELLED so that calendars remove it.
    Times are given in Europe/Stockholm local time with the zone's rules, so they are right on both sides of a
    daylight-saving change.
    """
    municipality = get_object_or_404(Municipality, slug=municipality)
    now = timezone.now()
    events = list(
        PlannedEvent.objects.public().in_municipality(municipality).upcoming(now=now - PAST).select_related("place")
    )
    page_url = request.build_absolute_uri(reverse("municipality", args=[municipality.slug]))
    portal = _("Medborgarlöften")
    name = f"{portal} – {municipality.name}"

    calendar = Calendar.new(
        prodid="-//Medborgarloften//Planerade aktiviteter//SV",
        uid=f"kommun-{municipality.code}@medborgarloften",
        name=name,
        url=page_url,
    )
    calendar.add("X-WR-TIMEZONE", TZID)
    # How often a subscribed calendar should fetch the feed again: the standard way, and the one Apple and Google read.
    calendar.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    calendar.add_component(_timezone_for(events, now))
    for event in events:
        calendar.add_component(_vevent(event, page_url))

    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{municipality.slug}.ics"'
    if events:
        # A cached copy is good until the first event leaves the feed's window.
        response.cache_valid_until = min(event.ends_at for event in events) + PAST
    return response


def _vevent(event, url):
    location = ", ".join(part for part in (event.place.name if event.place else "", event.place_text) if part)
    return Event.new(
        uid=f"{event.uid}@medborgarloften",
        stamp=event.updated_at,
        created=event.created_at,
        last_modified=event.updated_at,
        start=timezone.localtime(event.starts_at, STOCKHOLM),
        end=timezone.localtime(event.ends_at, STOCKHOLM),
        summary=event.title,
        location=location or None,
        description=event.description or None,
        sequence=event.sequence,
        status=STATUS.CANCELLED if event.is_cancelled else STATUS.CONFIRMED,
        url=url,
    )


def _timezone_for(events, now):
    """Europe/Stockholm's rules for the years the feed covers (the full 1970–2038 table would be most of the file)."""
    moments = [now - PAST, now, *(event.starts_at for event in events), *(event.ends_at for event in events)]
    years = [timezone.localtime(moment, STOCKHOLM).year for moment in moments]
    return Timezone.from_tzid(
        TZID, first_date=datetime.date(min(years), 1, 1), last_date=datetime.date(max(years) + 1, 1, 1)
    )
