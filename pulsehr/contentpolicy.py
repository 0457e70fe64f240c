"""The Content-Security-Policy on every page (django-csp; the policy is CONTENT_SECURITY_POLICY in
settings), plus the one source a static setting cannot name: the WebSocket origin of the page's
own host. JSON answers get a constant policy that allows nothing."""

from csp.constants import HEADER
from csp.middleware import CSPMiddleware, PolicyParts
from django.core.exceptions import DisallowedHost

# A JSON answer is never a page: a browser that opens one may run, load, embed and frame
# nothing. The strictest policy, and a constant, where a page's is built per request (its nonce,
# its socket origin): ~0.1 ms of every API request's ~3.
JSON_POLICY = "default-src 'none'; frame-ancestors 'none'"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """Adds `ws://<host>` (`wss://` over https) to connect-src, so the collaboration widget on the
    demo page can open /v1/realtime on the host that served the page. CSP Level 3 lets 'self'
    match the same host's ws:/wss: too, but not every browser in use implements that, and a bare
    `ws:`/`wss:` would let a page open a socket to anywhere."""

    def process_response(self, request, response):
        media_type = response.get("Content-Type", "").partition(";")[0].strip()
        if (media_type == "application/json" or media_type.endswith("+json")) and HEADER not in response:
            response[HEADER] = JSON_POLICY
            return response
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        try:
            host = request.get_host()
        except DisallowedHost:  # the 400 for a host not in ALLOWED_HOSTS: no page to open a socket from
            return parts
        socket_origin = f"{'wss' if request.is_secure() else 'ws'}://{host}"
        parts.update = {**(parts.update or {})}
        parts.update["connect-src"] = [*parts.update.get("connect-src", []), socket_origin]
        return parts
