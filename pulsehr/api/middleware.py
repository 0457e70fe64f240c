from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from ulid import ULID

from pulsehr.logs import request_id_var

API_PATH = "/v1"


class RequestIdMiddleware:
    """Gives every request an id (`req_…`), returned in X-Request-Id and in error bodies,
    so a support conversation can start from one string. Log lines written while the request
    runs carry it too (pulsehr/logs.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = f"req_{ULID()}"
        token = request_id_var.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-Id"] = request.request_id
        return response


def is_api_request(request) -> bool:
    """/v1 and everything under it: requests that authenticate by API key, never by cookie."""
    path = request.path_info
    return path == API_PATH or path.startswith(API_PATH + "/")


def browser_only(middleware_class: type) -> type:
    """`middleware_class`, skipped for /v1 requests. An API request carries a key, not a
    cookie: it has no session to load, no CSRF token to check (DRF exempts its views; key
    authentication is not ambient), no user to attach and no messages to show, and the
    profile showed that machinery in every API request. Everything else (the admin,
    /developers) keeps the class as it is. A subclass rather than a wrapper, so the admin's
    system checks and anything else that looks for the class still find it."""

    class BrowserOnly(middleware_class):
        def __call__(self, request):
            if is_api_request(request):
                return self.get_response(request)  # a coroutine in async mode, awaited by the caller
            return super().__call__(request)

        if hasattr(middleware_class, "process_view"):

            def process_view(self, request, view_func, view_args, view_kwargs):
                if is_api_request(request):
                    return None
                return super().process_view(request, view_func, view_args, view_kwargs)

    BrowserOnly.__name__ = BrowserOnly.__qualname__ = f"BrowserOnly{middleware_class.__name__}"
    BrowserOnly.__module__ = __name__
    return BrowserOnly


BrowserOnlySessionMiddleware = browser_only(SessionMiddleware)
BrowserOnlyCsrfViewMiddleware = browser_only(CsrfViewMiddleware)
BrowserOnlyAuthenticationMiddleware = browser_only(AuthenticationMiddleware)
BrowserOnlyMessageMiddleware = browser_only(MessageMiddleware)
