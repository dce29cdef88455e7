"""gunicorn's settings for the portal.

gunicorn reads ``./gunicorn.conf.py`` by itself, so every ``gunicorn config.wsgi`` started in the project folder
(production's systemd unit, the drills, the benchmark) gets it without a ``-c``. Settings given on the command
line still win.

What it does: gunicorn names itself in a ``Server`` header on every answer and has no setting to stop it; an
attacker learns which application server and so which bugs to try. The answer goes out without that header
(the reverse proxy in front adds its own, without a version: ``server_tokens off``, docs/OPERATIONS.md §4).
"""

from gunicorn.http import wsgi as _gunicorn_wsgi


def _without_server_header(default_headers):
    def headers(self):
        return [line for line in default_headers(self) if not line.lower().startswith("server:")]

    headers.portal_without_server_header = True
    return headers


if not getattr(_gunicorn_wsgi.Response.default_headers, "portal_without_server_header", False):
    _gunicorn_wsgi.Response.default_headers = _without_server_header(_gunicorn_wsgi.Response.default_headers)
