from django.shortcuts import render

from .models import Promise


def home(request):
    """The start page: every signed promise, newest year first, with a way in for staff."""
    promises = Promise.objects.public().prefetch_related("municipalities").order_by("-year", "title")
    return render(request, "promises/home.html", {"promises": promises})
