"""Citizens subscribe by e-mail to a municipality or one promise: double opt-in, one-click unsubscribe.

Whatever the address, the answer to a request is the same page, sent as fast: nobody can learn from it whether an
address already follows something. Requests are limited per client address (SUBSCRIBE_RATE_PER_HOUR). Confirming
and unsubscribing happen on a POST (a button on the page the link opens, or the mail program's one-click
List-Unsubscribe-Post), so that a link scanner opening links never subscribes or unsubscribes anybody.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from notices.services import (
    SubscriptionLinkInvalid,
    subscription_confirm,
    subscription_request,
    subscription_unsubscribe,
)
from notices.subscription_forms import SubscribeForm
from promises.models import Municipality, Promise


def _over_the_rate(request) -> bool:
    address = import_string(settings.AXES_CLIENT_IP_CALLABLE)(request)
    key = f"subscribe-rate:{address}"
    cache.add(key, 0, 60 * 60)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, 60 * 60)
        count = 1
    return count > settings.SUBSCRIBE_RATE_PER_HOUR


@require_http_methods(["GET", "POST"])
def subscribe(request, municipality):
    municipality = get_object_or_404(Municipality, slug=municipality)
    promises = list(Promise.objects.public().filter(municipalities=municipality).order_by("-year", "title", "pk"))
    if not promises:
        # A municipality without a public promise has nothing to follow yet.
        raise Http404
    form = SubscribeForm(request.POST or None, municipality=municipality, promises=promises)
    context = {"form": form, "municipality": municipality, "confirmation_days": 7}
    if request.method == "POST":
        if _over_the_rate(request):
            return render(request, "public/subscribe_limited.html", context, status=429)
        if form.is_valid():
            promise = form.promise
            subscription_request(
                email=form.cleaned_data["email"],
                municipality=None if promise else municipality,
                promise=promise,
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
            return render(request, "public/subscribe_sent.html", context)
    return render(request, "public/subscribe.html", context)


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    if request.method == "GET":
        return render(request, "public/subscription_confirm.html", {"token": token})
    try:
        subscription_confirm(token)
    except SubscriptionLinkInvalid:
        return render(request, "public/subscription_link_invalid.html", status=400)
    return render(request, "public/subscription_confirmed.html")


@csrf_exempt  # the mail program's one-click unsubscribe (RFC 8058) posts without a form; the token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    if request.method == "GET":
        return render(request, "public/unsubscribe.html", {"token": token})
    try:
        subscription_unsubscribe(token)
    except SubscriptionLinkInvalid:
        return render(request, "public/subscription_link_invalid.html", status=400)
    return render(request, "public/unsubscribed.html")
