"""A real HTTP server that misbehaves on purpose in front of a live PulseHR server, for the
conformance scenarios every SDK runs (sdk/conformance/README.md).

`POST /__fault/arm` with `{"mode": "drop_first" | "rate_limit_first" | "error_first", "retry_after": <s>,
"status": <5xx>}` arms one fault for the next API request; `GET /__fault/log` lists the API requests seen since
(method, path, Idempotency-Key, what was done to each). Everything else is forwarded upstream."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "content-encoding"}


class FaultServer:
    def __init__(self, upstream: str):
        self.upstream = upstream.rstrip("/")
        self.lock = threading.Lock()
        self.fault: dict | None = None
        self.log: list[dict] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self, status, body, headers=()):
                data = json.dumps(body).encode()
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if self.path == "/__fault/arm":
                    with server.lock:
                        server.fault, server.log = json.loads(body), []
                    return self._answer(200, {"armed": True})
                if self.path == "/__fault/log":
                    with server.lock:
                        return self._answer(200, {"requests": list(server.log)})
                with server.lock:
                    fault, server.fault = server.fault, None
                    entry = {
                        "method": self.command,
                        "path": self.path,
                        "idempotency_key": self.headers.get("Idempotency-Key"),
                        "at": time.monotonic(),
                        "action": (fault or {}).get("mode", "forwarded"),
                    }
                    server.log.append(entry)
                if fault and fault["mode"] == "drop_first":
                    # Close without a byte of answer: to the client, a reset connection.
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return None
                if fault and fault["mode"] == "rate_limit_first":
                    envelope = {"error": {"code": "rate_limited", "message": "Slow down (fault server)."}}
                    return self._answer(429, envelope, [("Retry-After", str(fault.get("retry_after", 1)))])
                if fault and fault["mode"] == "error_first":
                    # A proxy's bare answer, without the envelope: the status alone says what it is.
                    data = b"upstream failed (fault server)"
                    self.send_response(int(fault.get("status", 503)))
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
                upstream = requests.request(
                    self.command, server.upstream + self.path, headers=headers, data=body, timeout=60
                )
                self.send_response(upstream.status_code)
                for name, value in upstream.headers.items():
                    if name.lower() not in HOP_HEADERS:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(upstream.content)))
                self.end_headers()
                self.wfile.write(upstream.content)
                return None

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle

        return Handler
