"""What the report workflow tells the apps above it, without knowing them.

``report_changed`` is sent inside the workflow step's transaction, after the report moved on: a receiver that
writes (the notices app's outbox) writes in the same transaction, so a step that is rolled back leaves nothing.

Arguments: ``report``; ``event`` (``submitted``, ``returned``, ``approved``, ``published``); ``by``, who did it;
``submitted_by``, the id of who had sent the report to the council (for ``returned``, before the return cleared it);
``comment``, the return's comment; ``edition``, the published edition's number (``published``).
"""

from django.dispatch import Signal

report_changed = Signal()
