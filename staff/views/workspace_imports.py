"""The workspace's imports (issue 16): a promise from the XLSX template or from its published text, any promise
exported as the same template, and records of a promise from a sheet, previewed before they are saved.

Each import goes through activities.imports, which runs the workspace's own forms on every row in one transaction:
either everything is saved or nothing, and every refused row is listed with where it is and why. Everything here
is for coordinators, limited to the municipalities they coordinate; anything else answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from activities import imports
from activities import promise_sheet as sheets
from activities.import_forms import (
    PastedPromiseForm,
    ReviewActivityFormSet,
    ReviewFocusAreaFormSet,
    ReviewMetaForm,
    SheetUploadForm,
    review_choices,
)
from followup.documents.names import file_name
from promises.forms import PromiseForm
from promises.models import Promise

from ..access import promise_for_coordinator
from ..kept_forms import form_data
from .workspace import require_coordinator


def _posted(request):
    """The form's data and files on a POST, even an empty one; on a GET what a log-in kept (never a file), or None."""
    if request.method == "POST":
        return request.POST, request.FILES
    return form_data(request), None


def _xlsx(content, name):
    response = HttpResponse(content, content_type=sheets.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.xlsx")
    return response


# --- A promise from the template, and any promise as the template --------------------------------------------


@login_required
@require_safe
def promise_template(request):
    """The empty template, with the user's kinds, organisations, places and municipalities in its lists."""
    require_coordinator(request.user)
    return _xlsx(sheets.promise_workbook(None, imports.lists_for_user(request.user)), "medborgarlofte-mall")


@login_required
@require_safe
def promise_export(request, promise_id):
    """The promise as the template holds it: importing the file gives the same draft."""
    promise = promise_for_coordinator(request.user, promise_id)
    content = sheets.promise_workbook(sheets.sheet_of(promise), imports.lists_for_user(request.user, promise=promise))
    return _xlsx(content, file_name("medborgarlofte", promise.slug, str(promise.year)))


@login_required
@require_http_methods(["GET", "POST"])
def promise_import(request):
    """Upload a filled-in template: a draft to review, or every refused row with its reason and nothing saved."""
    require_coordinator(request.user)
    form = SheetUploadForm(*_posted(request))
    refusals = []
    if request.method == "POST" and form.is_valid():
        try:
            sheet = sheets.read_promise_sheet(form.cleaned_data["file"])
        except sheets.SheetUnreadable as unreadable:
            form.add_error("file", str(unreadable))
        else:
            try:
                promise = imports.promise_import_sheet(sheet=sheet, by=request.user)
            except imports.ImportRefused as refused:
                refusals = imports.located(refused.problems, sheet)
            else:
                _created(request, promise, wanted=sheet.promise.get("slug") or slugify(sheet.promise.get("title", "")))
                return redirect("workspace:promise", promise_id=promise.pk)
    return render(request, "staff/workspace/import.html", {"form": form, "refusals": refusals})


def _created(request, promise, *, wanted):
    count = promise.activities.count()
    messages.success(
        request,
        ngettext(
            "The draft “%(title)s” was made with %(count)s activity. Check it, then sign it when it is right.",
            "The draft “%(title)s” was made with %(count)s activities. Check it, then sign it when it is right.",
            count,
        )
        % {"title": promise.title, "count": count},
    )
    if wanted and wanted != promise.slug:
        messages.info(
            request,
            _("The address name “%(wanted)s” was taken that year, so the draft is called “%(slug)s”.")
            % {"wanted": wanted, "slug": promise.slug},
        )


# --- A promise from its published text ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def promise_paste(request):
    """Paste a published promise; review what it was read as (texts, activities, kinds, leads, targets, places),
    correct it, and only then make the draft. The review page posts back here with ``step=create``."""
    require_coordinator(request.user)
    if request.method == "POST" and request.POST.get("step") == "create":
        return _review(request)
    form = PastedPromiseForm(_posted(request)[0], user=request.user)
    if request.method == "POST" and form.is_valid():
        municipality = form.cleaned_data["municipality"]
        suggestion = imports.suggest_from_text(
            text=form.cleaned_data["text"], municipality=municipality, by=request.user, year=form.cleaned_data["year"]
        )
        if len(suggestion.activities) > MAX_REVIEWED:
            form.add_error(
                "text",
                _(
                    "The text holds %(count)s commitments, more than one page can review (%(limit)s). Paste it in "
                    "parts, or use the spreadsheet template."
                )
                % {"count": len(suggestion.activities), "limit": MAX_REVIEWED},
            )
        elif not suggestion.activities:
            form.add_error(
                "text",
                _(
                    "No commitment was found in the text. The activities are read from its bullet lists (•, - or *) "
                    "under a heading such as “Aktiviteter” or “… lovar”."
                ),
            )
        else:
            return _review_page(request, municipality=municipality, suggestion=suggestion)
    return render(request, "staff/workspace/paste.html", {"form": form})


# The most activities one review page holds: each has a dozen fields, and a page posts at most
# DATA_UPLOAD_MAX_NUMBER_FIELDS (1 000) of them. Real promises have a handful, rarely twenty.
MAX_REVIEWED = 60


def _review_page(request, *, municipality, suggestion):
    initial = dict(suggestion.promise)
    initial["slug"] = imports.free_slug(
        slugify(initial["title"])[:100], year=initial["year"], municipality_ids=[municipality.pk]
    )
    promise_form = PromiseForm(prefix="promise", user=request.user, initial=initial)
    areas = ReviewFocusAreaFormSet(prefix="areas", initial=suggestion.focus_areas)
    choices = review_choices(
        municipality=municipality, user=request.user, focus_areas=[a["title"] for a in suggestion.focus_areas]
    )
    activities = ReviewActivityFormSet(
        prefix="activities", initial=suggestion.activities, form_kwargs={"choices": choices}
    )
    meta = ReviewMetaForm(
        user=request.user, initial={"municipality": municipality.pk, "unplaced": "\n\n".join(suggestion.unplaced)}
    )
    return _render_review(request, meta, promise_form, areas, activities, unplaced=suggestion.unplaced)


def _render_review(request, meta, promise_form, areas, activities, *, unplaced):
    context = {
        "meta": meta,
        "promise_form": promise_form,
        "areas": areas,
        "activities": activities,
        "unplaced": unplaced,
    }
    return render(request, "staff/workspace/paste_review.html", context)


def _review(request):
    meta = ReviewMetaForm(request.POST, user=request.user)
    if not meta.is_valid():
        # Only a tampered page lacks its municipality: start again rather than guess.
        messages.error(request, _("The review could not be read. Paste the text again."))
        return redirect("workspace:promise_paste")
    municipality = meta.cleaned_data["municipality"]
    promise_form = PromiseForm(request.POST, prefix="promise", user=request.user)
    areas = ReviewFocusAreaFormSet(request.POST, prefix="areas")
    titles = [form["title"].value() or "" for form in areas.forms]
    choices = review_choices(municipality=municipality, user=request.user, focus_areas=titles)
    activities = ReviewActivityFormSet(request.POST, prefix="activities", form_kwargs={"choices": choices})
    unplaced = [part for part in meta.cleaned_data["unplaced"].split("\n\n") if part.strip()]
    included = [form for form in activities.forms if form.included]
    ready = areas.is_valid() and activities.is_valid() and all(form.is_valid() for form in included)
    if ready and not included:
        activities._non_form_errors = activities.error_class([_("Keep at least one activity in the draft.")])
        ready = False
    if ready:
        try:
            promise = imports.promise_import_review(
                by=request.user,
                promise_form=promise_form,
                focus_areas=[form.cleaned_data for form in areas.forms],
                activities=[form.activity_data() for form in included],
            )
        except imports.ImportRefused as refused:
            _show_problems(refused.problems, areas=areas, included=included)
        else:
            _created(request, promise, wanted="")
            return redirect("workspace:promise", promise_id=promise.pk)
    else:
        # The promise form is checked too, so that every mistake on the page is shown at once.
        promise_form.is_valid()
    return _render_review(request, meta, promise_form, areas, activities, unplaced=unplaced)


def _show_problems(problems, *, areas, included):
    """Each refusal beside the field it concerns (the promise form carries its own)."""
    for problem in problems:
        if problem.part == "focus_area":
            form = areas.forms[problem.index]
        elif problem.part == "activity":
            form = included[problem.index]
        else:
            continue
        field = problem.field if problem.field in form.fields else None
        form.add_error(field, problem.message)


# --- Records from a sheet --------------------------------------------------------------------------------------

PREVIEW_SALT = "workspace.records_import"
# How long a preview can be saved from: long enough to read it, short enough that it is recent.
PREVIEW_MAX_AGE = 60 * 60


@login_required
@require_safe
def records_template(request, promise_id):
    """The records sheet of one promise: its activities, places and organisations in the lists."""
    promise = promise_for_coordinator(request.user, promise_id)
    lists = imports.records_lists(promise, request.user)
    content = sheets.records_workbook(lists, period_start=promise.period_start, period_end=promise.period_end)
    return _xlsx(content, file_name("registreringar", promise.slug, str(promise.year)))


@login_required
@require_http_methods(["GET", "POST"])
def records_import(request, promise_id):
    """Upload a records sheet, see every row as it will be stored (and the refused ones with their reasons), then
    save them all in a second step that checks every row again."""
    promise = promise_for_coordinator(request.user, promise_id)
    context = {"promise": promise, "loggable": promise.status == Promise.Status.SIGNED}
    if request.method == "POST" and "preview" in request.POST:
        return _records_save(request, promise, context)
    form = SheetUploadForm(*_posted(request))
    context["form"] = form
    if request.method == "POST" and context["loggable"] and form.is_valid():
        try:
            rows = sheets.read_records_sheet(form.cleaned_data["file"])
        except sheets.SheetUnreadable as unreadable:
            form.add_error("file", str(unreadable))
        else:
            if not rows:
                form.add_error("file", _("The sheet has no rows to import."))
            else:
                checked = imports.records_check(promise=promise, rows=rows, by=request.user)
                context.update(_preview(promise, request.user, rows, checked))
    return render(request, "staff/workspace/records_import.html", context)


def _preview(promise, user, rows, checked):
    """The preview's rows, its refusals, and (when every row can be stored) the signed preview to save."""
    headings = {column.key: str(column.heading) for column in sheets.RECORD_COLUMNS}
    place = {column.key: number for number, column in enumerate(sheets.RECORD_COLUMNS)}
    refusals = [
        {"row": item.row, "column": headings.get(column, ""), "message": message}
        for item in checked
        # A row's refusals in the order of its columns, the whole row's first.
        for column, message in sorted(item.problems, key=lambda problem: place.get(problem[0], -1))
    ]
    preview = None
    if not refusals:
        preview = signing.dumps(
            {
                "promise": promise.pk,
                "user": user.pk,
                "rows": [[row.number, row.values] for row in rows],
                "keys": [item.key for item in checked],
            },
            salt=PREVIEW_SALT,
            compress=True,
        )
    return {
        "checked": [item for item in checked if item.ok],
        "refusals": refusals,
        "preview": preview,
        "total": len(checked),
    }


def _records_save(request, promise, context):
    try:
        payload = signing.loads(request.POST["preview"], salt=PREVIEW_SALT, max_age=PREVIEW_MAX_AGE)
        if payload["promise"] != promise.pk or payload["user"] != request.user.pk:
            raise signing.BadSignature
        rows = [sheets.Row(number, values) for number, values in payload["rows"]]
        keys = [str(key) for key in payload["keys"]]
        if len(keys) != len(rows):
            raise signing.BadSignature
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        messages.error(
            request, _("The preview is too old or was changed, so nothing was saved. Upload the sheet again.")
        )
        return redirect("workspace:records_import", promise_id=promise.pk)
    try:
        saved = imports.records_save(promise=promise, rows=rows, keys=keys, by=request.user)
    except imports.AlreadySaved:
        messages.info(request, _("These records were already saved; they were not saved twice."))
        return redirect("workspace:promise", promise_id=promise.pk)
    except imports.ImportRefused:
        checked = imports.records_check(promise=promise, rows=rows, by=request.user, keys=keys)
        context.update(_preview(promise, request.user, rows, checked))
        context["form"] = SheetUploadForm()
        context["stale"] = True
        return render(request, "staff/workspace/records_import.html", context)
    messages.success(
        request,
        ngettext(
            "%(count)s record was saved to “%(title)s”.", "%(count)s records were saved to “%(title)s”.", len(saved)
        )
        % {"count": len(saved), "title": promise.title},
    )
    return redirect("workspace:promise", promise_id=promise.pk)
