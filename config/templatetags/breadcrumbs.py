"""``{% breadcrumbs %}``: the trail above the current page (config.breadcrumbs) and the page itself, named by its
own title block."""

from django import template
from django.template.loader import render_to_string
from django.template.loader_tags import BLOCK_CONTEXT_KEY

from config.breadcrumbs import root_trail, trail_above

register = template.Library()


def _own_title(context):
    """The page's ``title`` block as rendered, so the last crumb says what the browser tab says."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = blocks.get_block("title") if blocks is not None else None
    if block is None:
        return ""
    with context.push():
        return block.render(context).strip()


@register.simple_tag(takes_context=True)
def breadcrumbs(context, root_only=False):
    """``root_only``: for error pages, whose context lacks the objects the trail names (and whose trail could
    lead to pages that fail the same way), only the start page of the site the address belongs to."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None or not match.view_name:
        return ""
    trail = root_trail(match.view_name, context) if root_only else trail_above(match.view_name, match.kwargs, context)
    current = _own_title(context)
    return render_to_string("_breadcrumbs.html", {"trail": trail, "current": current}, request=None)
