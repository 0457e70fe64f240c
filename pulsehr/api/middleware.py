from ulid import ULID


class RequestIdMiddleware:
    """Gives every request an id (`req_…`), returned in X-Request-Id and in error bodies,
    so a support conversation can start from one string."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = f"req_{ULID()}"
        response = self.get_response(request)
        response["X-Request-Id"] = request.request_id
        return response
