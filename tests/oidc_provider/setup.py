"""Fills the test provider's database: ``python -m tests.oidc_provider.setup SPEC.json``.

SPEC holds the client (id, secret, redirect URIs) and the provider's users (username, password, email, first and
last name).
"""

import json
import os
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")


def main(spec_path):
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oauth2_provider.models import Application

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    call_command("migrate", verbosity=0, interactive=False)
    for person in spec["users"]:
        get_user_model().objects.create_user(**person)
    Application.objects.create(
        name="Medborgarlöften",
        client_id=spec["client_id"],
        client_secret=spec["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(spec["redirect_uris"]),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


if __name__ == "__main__":
    main(sys.argv[1])
