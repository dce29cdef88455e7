"""The portal's URLs plus one view that fails, to see the error page a visitor would get."""

from django.urls import path

from config.urls import urlpatterns as portal


def fails(request):
    raise RuntimeError("a bug")


urlpatterns = [path("fel/", fails), *portal]
