"""Where each page sits: the trail of pages above it, for the breadcrumb every page shows (issue 18).

Each named address says which page is above it (``PARENTS``), and each page above names itself (``LABELS``): from
a word, or from an object the page already has in its context (a promise's title, a municipality's name), so the
trail costs no query. The current page is named by its own title (the template's ``title`` block), so no view or
template has to hand over its trail. An address not listed sits under the start page of its site: "Att göra" for
the logged-in pages, the portal's home for the public ones.
"""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# The invitation page is not here: the people it is for may have no account yet.
STAFF_NAMESPACES = {"activities", "followup", "workspace", "todo"}
# Addresses outside the staff namespaces that are logged-in pages all the same (config/urls.py).
STAFF_NAMES = {"account", "session_keepalive"}
STAFF_ROOT = "todo:start"
PUBLIC_ROOT = "home"


@dataclass(frozen=True)
class Parent:
    """The page above: its address's name, the current address's arguments it takes, and for a page reached from
    two lists, the context variable that says it came from the other one and that one's name (``via``)."""

    name: str
    arguments: tuple = ()
    via: tuple = field(default=())


def _title(context, *path):
    """An attribute path read from the context (``"promise", "title"``), or None when the page has no such
    object."""
    value = context.get(path[0])
    for attribute in path[1:]:
        value = getattr(value, attribute, None) if value is not None else None
    return str(value) if value not in (None, "") else None


# The label of each page that stands above another: a word, or a function of the context with a word to fall back
# on when the page's context lacks the object.
LABELS = {
    "home": _("Medborgarlöften"),
    "todo:start": _("To do"),
    "activities:mine": _("My activities"),
    "activities:records": _("My records"),
    "activities:municipality_records": _("All records"),
    "activities:events": _("Planned events"),
    "activities:record": (lambda context: _title(context, "record", "activity", "title"), _("Record")),
    "followup:home": _("Follow-up"),
    "followup:dashboard": (lambda context: _title(context, "promise", "title"), _("The promise's follow-up")),
    "followup:report": (lambda context: _title(context, "tertial", "label"), _("Follow-up of the period")),
    "followup:indicators": _("Indicators"),
    "followup:national_latest": _("National overview"),
    "workspace:home": _("Workspace"),
    "workspace:promise": (lambda context: _title(context, "promise", "title"), _("Promise")),
    "workspace:places": _("Places"),
    "workspace:events": _("Planned events"),
    "workspace:people": _("People"),
    "workspace:municipalities": _("Municipalities"),
    "workspace:councils": _("Councils"),
    "workspace:promise_import": _("Import a promise"),
    "municipality": (lambda context: _title(context, "municipality", "name"), _("Municipality")),
    "promise": (lambda context: _title(context, "promise", "title"), _("Promise")),
    "promise_slug": (lambda context: _title(context, "promise", "title"), _("Promise")),
}

_REPORT = ("promise_id", "tertial")
_PUBLIC_PROMISE = ("municipality", "year")
_PUBLIC_PROMISE_SLUG = ("municipality", "year", "slug")

PARENTS = {
    "activities:records": Parent(STAFF_ROOT),
    "activities:municipality_records": Parent(STAFF_ROOT),
    "activities:mine": Parent(STAFF_ROOT),
    "activities:events": Parent(STAFF_ROOT),
    "activities:log": Parent("activities:mine"),
    "activities:log_activity": Parent("activities:mine"),
    # A record a coordinator opened from "Alla registreringar" (?fran=alla) leads back there.
    "activities:record": Parent("activities:records", via=("from_all_records", "activities:municipality_records")),
    "activities:edit": Parent("activities:record", ("record_id",)),
    "activities:void": Parent("activities:record", ("record_id",)),
    "followup:home": Parent(STAFF_ROOT),
    "followup:dashboard": Parent("followup:home"),
    "followup:overview": Parent("followup:home"),
    "followup:national_latest": Parent(STAFF_ROOT),
    "followup:national": Parent("followup:national_latest"),
    "followup:report": Parent("followup:dashboard", ("promise_id",)),
    **{
        f"followup:report_{step}": Parent("followup:report", _REPORT)
        for step in ("create", "submit", "approve", "return", "publish", "correct")
    },
    "followup:indicators": Parent("followup:dashboard", ("promise_id",)),
    "followup:copy_next_year": Parent("followup:dashboard", ("promise_id",)),
    "followup:indicator": Parent("followup:home"),
    "workspace:home": Parent(STAFF_ROOT),
    "workspace:promise_create": Parent("workspace:home"),
    "workspace:promise": Parent("workspace:home"),
    **{
        f"workspace:{name}": Parent("workspace:promise", ("promise_id",))
        for name in (
            "promise_edit",
            "promise_sign",
            "promise_close",
            "promise_reopen",
            "promise_share",
            "focus_area_create",
            "activity_create",
            "records_import",
        )
    },
    "workspace:link_request": Parent("workspace:home"),
    "workspace:link_request_withdraw": Parent("workspace:home"),
    "workspace:focus_area_edit": Parent("workspace:home"),
    "workspace:activity_edit": Parent("workspace:home"),
    "workspace:places": Parent("workspace:home"),
    "workspace:place_create": Parent("workspace:places"),
    "workspace:place_edit": Parent("workspace:places"),
    "workspace:place_retire": Parent("workspace:places"),
    "workspace:events": Parent("workspace:home"),
    "workspace:event_create": Parent("workspace:events"),
    "workspace:event_edit": Parent("workspace:events"),
    "workspace:event_cancel": Parent("workspace:events"),
    "workspace:people": Parent("workspace:home"),
    "workspace:invite": Parent("workspace:people"),
    "workspace:invitation_withdraw": Parent("workspace:people"),
    "workspace:membership_change": Parent("workspace:people"),
    "workspace:membership_end": Parent("workspace:people"),
    "workspace:municipalities": Parent("workspace:home"),
    "workspace:onboard": Parent("workspace:municipalities"),
    "workspace:municipality_settings": Parent("workspace:municipalities"),
    "workspace:councils": Parent("workspace:home"),
    "workspace:council_edit": Parent("workspace:councils"),
    "workspace:promise_import": Parent("workspace:home"),
    "workspace:promise_paste": Parent("workspace:promise_import"),
    "todo:settings": Parent(STAFF_ROOT),
    "todo:open_notice": Parent(STAFF_ROOT),
    "account": Parent(STAFF_ROOT),
    # The public pages: the municipality, its promise of a year, a published result.
    "municipality": Parent(PUBLIC_ROOT),
    "subscribe": Parent("municipality", ("municipality",)),
    "municipality_accessibility": Parent("municipality", ("municipality",)),
    "promise": Parent("municipality", ("municipality",)),
    "promise_slug": Parent("municipality", ("municipality",)),
    "report": Parent("promise", _PUBLIC_PROMISE),
    "report_edition": Parent("promise", _PUBLIC_PROMISE),
    "report_slug": Parent("promise_slug", _PUBLIC_PROMISE_SLUG),
    "report_slug_edition": Parent("promise_slug", _PUBLIC_PROMISE_SLUG),
    "accessibility": Parent(PUBLIC_ROOT),
}


def _root_of(name):
    namespace = name.partition(":")[0] if ":" in name else None
    return STAFF_ROOT if namespace in STAFF_NAMESPACES or name in STAFF_NAMES else PUBLIC_ROOT


def root_trail(name, context):
    """Only the start page of the site ``name`` belongs to (none when ``name`` is that page)."""
    root = _root_of(name)
    return [] if name == root else [(label_of(root, context), reverse(root))]


def label_of(name, context):
    label = LABELS.get(name, "")
    if isinstance(label, tuple):
        read, fallback = label
        return read(context) or str(fallback)
    return str(label)


def trail_above(name, kwargs, context):
    """The pages above the address ``name`` (with the arguments ``kwargs``, on a page with this context), from the
    start page down, each as ``(label, url)``; empty for a start page."""
    trail = []
    seen = {name}
    current, arguments = name, dict(kwargs)
    while True:
        parent = PARENTS.get(current)
        if parent is None:
            root = _root_of(current)
            if current != root and root not in seen:
                trail.append((label_of(root, context), reverse(root)))
            break
        parent_name = parent.name
        if parent.via and context.get(parent.via[0]):
            parent_name = parent.via[1]
        parent_arguments = {key: arguments[key] for key in parent.arguments if key in arguments}
        try:
            url = reverse(parent_name, kwargs=parent_arguments)
        except NoReverseMatch:
            break
        if parent_name in seen:
            break
        seen.add(parent_name)
        trail.append((label_of(parent_name, context), url))
        current, arguments = parent_name, parent_arguments
    return list(reversed(trail))
