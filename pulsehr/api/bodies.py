"""Request bodies under /v1 are read once, bounded, after the request is authenticated.

DRF would read the raw stream whatever its size (Django's DATA_UPLOAD_MAX_MEMORY_SIZE guards
only request.body and forms), so PulseAPIView.initial() calls load() once authentication and
scopes have passed: a body declared larger than PULSEHR_MAX_BODY_BYTES is refused without
reading a byte of it, one without a length (chunked) is read up to one byte past the limit and
refused there. The bytes read are what the parser and the Idempotency-Key fingerprint use.

Under ASGI, Django reads the whole body before any view runs; BodyLimitMiddleware (in front of
it, pulsehr/asgi.py) applies the same limit there, so that reading stops at the limit too."""

import asyncio
import io

from django.conf import settings

from .exceptions import PayloadTooLarge


def declared_length(meta) -> int | None:
    try:
        return int(meta.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def load(request) -> bytes:
    """Read the body of a DRF request within the limit and hand it to DRF's parsing."""
    limit = settings.PULSEHR_MAX_BODY_BYTES
    django_request = request._request
    meta = django_request.META
    length = declared_length(meta)
    if length is not None and length > limit:
        raise PayloadTooLarge(limit)
    if length is None and meta.get("wsgi.input_terminated"):
        # A chunked body under WSGI: Django's stream stops at the missing Content-Length, so
        # read the server's own (it ends where the body does).
        body = meta["wsgi.input"].read(limit + 1)
    elif length is None and "wsgi.input" in meta:
        body = b""  # no length and a stream that does not end: nothing can be read safely
    else:
        body = django_request.read(limit + 1)
    if len(body) > limit:
        raise PayloadTooLarge(limit)
    # What DRF's Request._load_stream would have set, now that the bytes are known.
    request._stream = io.BytesIO(body) if body else None
    return body


class BodyLimitMiddleware:
    """ASGI: hands Django at most PULSEHR_MAX_BODY_BYTES + 1 bytes of a /v1 body. One declared
    larger is not read at all (the view refuses it by its Content-Length, after authenticating);
    a chunked one is cut one byte past the limit, which the view refuses as well. A request
    without credentials has none of its body read: every /v1 route that takes a body answers
    it 401 without looking at one. (One with credentials has its body, within the limit, read
    before they are checked, as Django's ASGI handler reads bodies before any view runs.)"""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope.get("path", "").startswith("/v1"):
            return await self.app(scope, receive, send)
        limit = settings.PULSEHR_MAX_BODY_BYTES
        headers = dict(scope.get("headers") or ())
        try:
            length = int(headers.get(b"content-length", b""))
        except ValueError:
            length = None
        state = {"read": 0, "ended": False}

        async def bounded_receive():
            if state["ended"]:
                # Django listens for a disconnect while the view runs and cancels the listener
                # when the response is sent; what is left of the body stays unread.
                await asyncio.Event().wait()
            if (length is not None and length > limit) or b"authorization" not in headers:
                state["ended"] = True
                return {"type": "http.request", "body": b"", "more_body": False}
            message = await receive()
            if message["type"] != "http.request":
                return message
            body = message.get("body", b"")
            room = limit + 1 - state["read"]
            if len(body) >= room:
                state["ended"] = True
                message = {"type": "http.request", "body": body[:room], "more_body": False}
            elif not message.get("more_body", False):
                state["ended"] = True
            state["read"] += len(message.get("body", b""))
            return message

        return await self.app(scope, bounded_receive, send)
