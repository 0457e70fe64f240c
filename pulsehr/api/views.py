"""The base every /v1 view stands on: tenant scoping, rate limits, idempotency and
optimistic-locking helpers live here once, so resources cannot forget them."""

from django.db import transaction
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from pulsehr.errors import InvalidInput

from . import bodies, idempotency, ratelimit
from .clientaddr import client_address
from .exceptions import RateLimited, error_json_response
from .schema import documented_query_parameters, operation_key


class _Replay(Exception):
    """Raised from initial() to short-circuit a request whose response is replayed."""

    def __init__(self, response: HttpResponse):
        self.response = response


def reject_nul_characters(request) -> None:
    """PostgreSQL cannot store or compare NUL characters; refuse them up front as a 400
    rather than let the database turn them into a 500."""
    if "\x00" in request.path:
        raise InvalidInput("The URL contains a NUL character.")
    bad = sorted({name for name, values in request.query_params.lists() for v in [name, *values] if "\x00" in v})
    if bad:
        raise InvalidInput("Query parameters may not contain NUL characters.", fields=bad)


def reject_unknown_query_parameters(view, request) -> None:
    """A misspelt filter (`?statuz=former`) must not quietly list everyone: any parameter the
    operation's OpenAPI description does not name is a 400 naming it, as Stripe answers."""
    key = operation_key(view, request.method)
    if key is None:
        return  # OPTIONS, or a method the view does not route: its 405 is the answer
    known = documented_query_parameters(type(view), key)
    unknown = [name for name in request.query_params if name not in known]
    if unknown:
        raise InvalidInput(f"Unknown query parameter: {', '.join(unknown)}.", fields=unknown)


def unauthenticated_limit(request) -> RateLimited | None:
    """Count an unauthenticated answer (401, the catch-all 404) for the client's address; the
    429 to answer instead once the address is over PULSEHR_UNAUTHENTICATED_RATE_LIMIT."""
    state = ratelimit.hit_unauthenticated(client_address(request))
    if state is not None and state.exceeded:
        return RateLimited(state.retry_after, state.limit, per="address")
    return None


class PulseAPIView(APIView):
    """Adds rate limiting and Idempotency-Key handling to DRF's request cycle."""

    scope_resource: str = ""

    def perform_authentication(self, request):
        super().perform_authentication(request)
        self.rate_limit = None
        if request.auth is not None:
            self.rate_limit = ratelimit.hit(request.auth.pk)
            if self.rate_limit is not None and self.rate_limit.exceeded:
                raise RateLimited(self.rate_limit.retry_after, self.rate_limit.limit)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Only now, authenticated and within its scopes, is the request's body read (bounded).
        body = bodies.load(request)
        reject_nul_characters(request)
        reject_unknown_query_parameters(self, request)
        self.idempotency_record = None
        raw_key = request.headers.get(idempotency.HEADER)
        if request.method == "POST" and raw_key is not None:
            key = idempotency.validate_key(raw_key)
            request_fingerprint = idempotency.fingerprint(request.method, request.get_full_path(), body)
            record, replay = idempotency.claim(api_key=request.auth, key=key, request_fingerprint=request_fingerprint)
            if replay is not None:
                raise _Replay(replay)
            self.idempotency_record = record
            method = request.method.lower()
            setattr(self, method, self._with_stored_response(getattr(self, method)))

    def _with_stored_response(self, handler):
        """Run the handler and store its response for replay in one transaction, so the write
        and its replayable answer commit together or not at all."""

        def handle(request, *args, **kwargs):
            with transaction.atomic():
                return self.finalize_response(request, handler(request, *args, **kwargs), *args, **kwargs)

        return handle

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            return exc.response
        if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
            # Answers that no key pays for count against the caller's address instead.
            exc = unauthenticated_limit(self.request) or exc
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(self, "rate_limit", None) is not None:
            for name, value in self.rate_limit.headers().items():
                response[name] = value
        # Taken before completing, so a failed completion is not retried on the error response.
        record, self.idempotency_record = getattr(self, "idempotency_record", None), None
        if record is not None:
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            idempotency.complete(record, response)
        return response

    # --- Tenancy ----------------------------------------------------------------------

    @property
    def tenant(self):
        return self.request.auth.tenant

    # --- Optimistic locking -----------------------------------------------------------

    def expected_version(self) -> int | None:
        """The version named by If-Match (`"3"`, `W/"3"` or `*`), or None when absent."""
        raw = self.request.headers.get("If-Match")
        if raw is None or raw.strip() == "*":
            return None
        tag = raw.strip().removeprefix("W/").strip('"')
        if not (tag.isascii() and tag.isdigit()):
            raise InvalidInput('If-Match must be the ETag of the resource, e.g. "3".', fields=["If-Match"])
        return int(tag)


def etag_for(version: int) -> str:
    return f'"{version}"'


class TenantViewSet(PulseAPIView, viewsets.GenericViewSet):
    """Every queryset passes through the tenant's scope before a view sees it.

    Subclasses set `model`, `scope_resource` and `serializer_class` (the read shape), and
    add `list`/`retrieve` by mixing in ListMixin/RetrieveMixin; writes call a service and
    answer with `respond()`."""

    model = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    # Whether GET /<resource>/{id} exists, so a 201 can carry a Location header.
    has_detail_route = True
    # Whether the resource carries `version` (optimistic locking) and so an ETag.
    versioned = False

    def get_queryset(self):
        return self.tenant.scope(self.model.objects.all())

    def get_serializer_context(self):
        # Statuses and defaults depend on the date where the workspace is.
        return {**super().get_serializer_context(), "today": self.tenant.today()}

    def respond(self, instance, status_code: int = 200, serializer_class=None, *, location: str = "") -> Response:
        """A single resource, bare, with its ETag and (on create) its Location; in another
        read shape than the view's when `serializer_class` is given. `location` names a
        resource created under another route than its own (a thread opened in its room)."""
        headers = {}
        if self.versioned:
            headers["ETag"] = etag_for(instance.version)
        if status_code == 201 and self.has_detail_route:
            headers["Location"] = location or f"{self.request.path.rstrip('/')}/{instance.pk}"
        serializer_class = serializer_class or self.get_serializer_class()
        data = serializer_class(instance, context=self.get_serializer_context()).data
        return Response(data, status=status_code, headers=headers)


class ListMixin:
    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        serializer_class = self.get_serializer_class()
        row_fields = getattr(serializer_class, "row_fields", ())
        if row_fields:
            # The hot path: plain rows straight into the representation (see RowSerializer).
            context = self.get_serializer_context()
            page = self.paginate_queryset(queryset.values(*row_fields))
            return self.get_paginated_response([serializer_class.represent(row, context) for row in page])
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class RetrieveMixin:
    def retrieve(self, request, pk=None):
        return self.respond(self.get_object())


@csrf_exempt
def not_found(request, exception=None, *args, **kwargs):
    """Unknown URLs under /v1 answer in the envelope, not Django's HTML page; counted against
    the client's address like a 401, since no key pays for them."""
    limited = unauthenticated_limit(request)
    if limited is not None:
        response = error_json_response(request, 429, str(limited.detail))
        response["Retry-After"] = str(limited.retry_after)
        return response
    return error_json_response(request, 404, "Not found.")


def server_error(request, *args, **kwargs):
    if request.path.startswith("/v1"):
        return error_json_response(request, 500, "An internal error occurred.")
    from django.views.defaults import server_error as django_server_error

    return django_server_error(request)


def page_not_found(request, exception=None):
    if request.path.startswith("/v1"):
        return not_found(request)
    from django.views.defaults import page_not_found as django_page_not_found

    return django_page_not_found(request, exception)
