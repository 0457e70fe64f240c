from ulid import ULID

from pulsehr.logs import request_id_var


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
