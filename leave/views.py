"""The calendar feed's URL, outside /v1: calendar apps fetch it without an API key."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from .feeds import feed_for_token, feed_ics


@require_GET
def calendar_feed(request, token: str):
    """A feed's iCalendar text. A bad, unknown or revoked token is a 404 that says nothing more."""
    feed = feed_for_token(token)
    if feed is None:
        raise Http404
    response = HttpResponse(feed_ics(feed), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
