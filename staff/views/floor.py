"""The logged-in floor: what every staff page costs before it shows anything of its own (docs/PERFORMANCE.md).

The session, the user, their scope and the base layout with its menu, and nothing else. The benchmark measures it
(``make bench``) so that a staff page's figure can be read against what any logged-in request must pay; for a
person it is a harmless page that says what it is for and links on to "To do".
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe


@login_required
@require_safe
def floor(request):
    return render(request, "staff/floor.html")
