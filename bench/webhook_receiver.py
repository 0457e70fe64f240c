"""A fast local webhook receiver for `make bench`: a raw HTTP/1.1 server on asyncio.

Answers every POST `200 ok` at once (keep-alive honoured) and records, per request, its arrival
time (time.time(), the clock the load generator also reads), its `webhook-id` / X-Pulse-Delivery
header and the body. A control API serves the bench:

- `GET /_stats`: {"count", "first", "last", "cpu_s"} (arrival times of the first and last POST,
  and the CPU this process has used, so its own cost per request can be read off);
- `GET /_dump`: every record as a JSON list of [arrival, delivery_id, event_id, data_id];
- `POST /_reset`: forget everything recorded.

Bodies are parsed only on /_dump, after the measurement, so a POST costs the least it can.
Run: python bench/webhook_receiver.py --port 8765"""

import argparse
import asyncio
import json
import os
import socket
import time

OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"
OK_CLOSE = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"

records: list[tuple[float, bytes, bytes]] = []


def _json_response(payload) -> bytes:
    body = json.dumps(payload).encode()
    return b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)


def _control(method: bytes, path: bytes) -> bytes:
    if path == b"/_stats":
        cpu = os.times()
        return _json_response(
            {
                "count": len(records),
                "first": records[0][0] if records else None,
                "last": records[-1][0] if records else None,
                "cpu_s": cpu.user + cpu.system,
            }
        )
    if path == b"/_dump":
        rows = []
        for arrival, delivery_id, body in records:
            try:
                payload = json.loads(body)
                event_id, data_id = payload.get("id"), (payload.get("data") or {}).get("id")
            except ValueError:
                event_id = data_id = None
            rows.append([arrival, delivery_id.decode(), event_id, data_id])
        return _json_response(rows)
    if path == b"/_reset" and method == b"POST":
        records.clear()
        return _json_response({"count": 0})
    return b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"


class Receiver(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            head_end = self.buffer.find(b"\r\n\r\n")
            if head_end < 0:
                return
            head = self.buffer[:head_end]
            length, delivery_id, close = 0, b"", False
            lines = head.split(b"\r\n")
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"webhook-id":
                    delivery_id = value.strip()
                elif name == b"connection" and value.strip().lower() == b"close":
                    close = True
            end = head_end + 4 + length
            if len(self.buffer) < end:
                return
            body = self.buffer[head_end + 4 : end]
            self.buffer = self.buffer[end:]
            method, path, _ = lines[0].split(b" ", 2)
            if path.startswith(b"/_"):
                self.transport.write(_control(method, path))
            else:
                records.append((time.time(), delivery_id, body))
                self.transport.write(OK_CLOSE if close else OK)
            if close:
                self.transport.close()
                return


async def serve(port: int) -> None:
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    server = await loop.create_server(Receiver, sock=sock, backlog=1024)
    print(f"receiving on 127.0.0.1:{port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    asyncio.run(serve(parser.parse_args().port))
