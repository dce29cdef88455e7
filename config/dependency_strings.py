"""Strings that Django and the portal's dependencies translate but their Swedish catalogs lack (Django 6.1 is
newer than its Swedish translation; axes, simple_history and django-tasks-db have none), marked here so that
makemessages keeps them in locale/, which LOCALE_PATHS puts before every app's own catalog. Nothing imports this
module: xgettext reads it.

Seen in English on the Swedish admin (issue 18): the empty choice of every select, the date filter's label, and the
names of axes' and the task queue's tables, simple_history's "View history" and kinds of change ("Changed").
"""

from django.utils.translation import gettext_noop

DEPENDENCY_STRINGS = [
    # django.db.models.fields.BLANK_CHOICE_LABEL: the empty choice of every select in the admin.
    gettext_noop("- Select an option -"),
    # admin/date_hierarchy.html: {% blocktranslate %}Filter by {{ field_name }}{% endblocktranslate %}
    gettext_noop("Filter by %(field_name)s"),
    # axes' models.
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    # simple_history (no Swedish catalog): the admin's history pages and the kinds of change.
    gettext_noop("View history: %s"),
    gettext_noop("Change history: %s"),
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop("Deleted %(type_name)s"),
    gettext_noop("None"),
    # django_tasks_db's model.
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
]
