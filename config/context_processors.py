from django.conf import settings

from promises.scope import scope_for


def portal_scope(request):
    """The user's scope for the menu, read lazily so pages that never show the menu pay nothing."""
    return {"portal_scope": lambda: scope_for(request.user)}


def open_data_licence(request):
    """The terms of the published data, which every page's footer states."""
    return {"open_data_licence": settings.OPEN_DATA_LICENCE}


def session_expiry(request):
    """Seconds a logged-in page can be sure its session lasts: the idle limit less the refresh interval."""
    return {"session_seconds": max(settings.SESSION_IDLE_TIMEOUT - settings.SESSION_REFRESH_INTERVAL, 0)}


def identity_providers(request):
    """The active identity providers for the log-in page's buttons, read only by a page that shows them."""
    from config.accounts import identity_providers as active

    return {"identity_providers": lambda: active(request)}
