from django.shortcuts import render


def csrf_failure(request, reason=""):
    """A form whose CSRF token no longer matches: usually a page left open across a log-out or a new session."""
    return render(request, "403_csrf.html", status=403)
