"""/v1/openapi.json, built once per process and served as bytes.

The description is generated once per process (pulsehr/api/schema.py, generated_schema(), the
same generation the views' query-parameter check reads), and rendered once: the first request
renders it (under a lock: concurrent first requests render it once) and every later one is
handed the same bytes, compact, with a strong ETag:
`If-None-Match` with it answers 304 and no body, and a client that accepts gzip gets the
gzipped bytes (about 16 KB instead of 260 KB), compressed once as well."""

import gzip
import hashlib
import threading
from dataclasses import dataclass

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import parse_etags, patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.settings import spectacular_settings
from rest_framework.renderers import JSONRenderer

from .exceptions import error_json_response
from .schema import forget_schema, generated_schema

MEDIA_TYPE = "application/vnd.oai.openapi+json"


@dataclass(frozen=True)
class Document:
    body: bytes
    gzipped: bytes
    etag: str
    gzip_etag: str  # a strong ETag names exact bytes, so the gzipped ones have their own


_document: Document | None = None
_lock = threading.Lock()


def build() -> Document:
    body = JSONRenderer().render(generated_schema())
    digest = hashlib.sha256(body).hexdigest()[:32]
    # mtime=0: the same bytes in every process, so every replica answers with the same ETag.
    gzipped = gzip.compress(body, compresslevel=9, mtime=0)
    return Document(body=body, gzipped=gzipped, etag=f'"{digest}"', gzip_etag=f'"{digest}-gzip"')


def document() -> Document:
    global _document
    if _document is None:
        with _lock:
            if _document is None:
                _document = build()
    return _document


def forget() -> None:
    """Drop the built document and the schema it was made from (tests that change the API's shape)."""
    global _document
    with _lock:
        _document = None
    forget_schema()


def _accepts_gzip(request) -> bool:
    for part in request.headers.get("Accept-Encoding", "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() == "gzip" and params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00"):
            return True
    return False


@csrf_exempt
def openapi_json(request):
    if request.method not in ("GET", "HEAD"):
        response = error_json_response(request, 405, f"Method {request.method} is not allowed here.")
        response["Allow"] = "GET, HEAD"
        return response
    doc = document()
    compressed = _accepts_gzip(request)
    etag = doc.gzip_etag if compressed else doc.etag
    wanted = parse_etags(request.headers.get("If-None-Match", ""))
    if "*" in wanted or doc.etag in wanted or doc.gzip_etag in wanted:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(doc.gzipped if compressed else doc.body, content_type=MEDIA_TYPE)
        if compressed:
            response["Content-Encoding"] = "gzip"
        response["Content-Disposition"] = f'inline; filename="{spectacular_settings.TITLE or "schema"}.json"'
    response["ETag"] = etag
    # Revalidate every time: a 304 costs nothing, and a new release changes the document.
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ("Accept-Encoding",))
    return response
