from django.shortcuts import render

from .models import Promise


def home(request):
    """The start page: every signed promise, newest year first, with a way in for staff."""
    promises = Promise.objects.public().prefetch_related("municipalities").order_by("-year", "title")
    return render(request, "promises/home.html", {"promises": promises})


# Placeholders: the public pages are being written.
def accessibility_statement(request):
    raise NotImplementedError


def municipality_page(request, municipality):
    raise NotImplementedError


def promise_page(request, municipality, year, slug=None):
    raise NotImplementedError


def report_page(request, municipality, year, tertial, slug=None):
    raise NotImplementedError


def report_pdf(request, municipality, year, tertial, slug=None):
    raise NotImplementedError
