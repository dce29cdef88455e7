"""The health check (DESIGN §8): 200 when the database answers, 503 when it does not.

Load balancers ask it whether to send traffic here, and the benchmark uses it as its baseline, the cheapest page
the server can answer: one `SELECT 1`, no template, no session, no user. The view is kept out of ATOMIC_REQUESTS
so that the query is not wrapped in BEGIN and COMMIT, which would triple the round trips to the database.

A request without a session cookie (a load balancer's, the benchmark's) never touches the session. One that
carries a logged-in session still has it read by the session middleware like any other page.
"""

import logging

from django.db import Error, connection, transaction
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from config.middleware import describe_database_error

logger = logging.getLogger("portal.availability")


@transaction.non_atomic_requests
@require_safe
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error as error:
        logger.warning("Health check: the database does not answer (%s)", describe_database_error(error))
        response = HttpResponse("unavailable\n", status=503, content_type="text/plain; charset=utf-8")
        # Logged just above: without this Django adds an ERROR line "Service Unavailable" for every poll.
        response._has_been_logged = True
    else:
        response = HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
    # A cached "ok" would hide an outage from whoever asks next.
    response["Cache-Control"] = "no-store"
    return response
