"""Write webhooks/signatures.json and errors.json with the server's own signing code and error codes.

Run from the repository root: `.venv/bin/python sdk/conformance/generate_vectors.py`.
`--check` exits 1 when the committed files differ from what this produces."""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from webhooks.signing import pulse_signature, standard_signature  # noqa: E402

HERE = Path(__file__).resolve().parent
# Fixed secrets and clock: the vectors must be byte-for-byte reproducible.
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
OLD_SECRET = "whsec_C2FVsBQIhrscChlQiMV+b5H6ur7aOo6fQ5P+fbpP2aI="
WRONG_SECRET = "whsec_aGVsbG8gd29ybGQgdGhpcyBpcyBub3QgaXQ="
NOW = 1767225600
TOLERANCE = 300
MSG_ID = "msg_2mNbE6mPLxGDgsyfrIZsXbXmJc0"
BODY = json.dumps(
    {
        "id": "evt_conformance_1",
        "type": "employee.created",
        "created_at": "2026-01-01T00:00:00Z",
        "data": {"id": "emp_1"},
    },
    separators=(",", ":"),
)


def _case(scheme, name, secret, tolerance, body, headers, valid, reason):
    """One vector: what the verifier is given, and what it must answer."""
    return {
        "name": f"{scheme}/{name}",
        "scheme": scheme,
        "secret": secret,
        "now": NOW,
        "tolerance": tolerance,
        "body": body,
        "headers": headers,
        "valid": valid,
        "reason": reason,
    }


def pulse_case(
    name,
    *,
    t=NOW,
    secrets=(SECRET,),
    body=BODY,
    signed_body=None,
    secret=SECRET,
    valid,
    reason,
    header=None,
    tolerance=TOLERANCE,
):
    value = (
        header
        if header is not None
        else pulse_signature(body=(signed_body or body).encode(), timestamp=t, secrets=list(secrets))
    )
    headers = {} if value is False else {"X-Pulse-Signature": value}
    return _case("pulse", name, secret, tolerance, body, headers, valid, reason)


def standard_case(
    name,
    *,
    t=NOW,
    secrets=(SECRET,),
    body=BODY,
    signed_body=None,
    secret=SECRET,
    valid,
    reason,
    header=None,
    tolerance=TOLERANCE,
):
    value = (
        header
        if header is not None
        else standard_signature(
            message_id=MSG_ID, body=(signed_body or body).encode(), timestamp=t, secrets=list(secrets)
        )
    )
    headers = {"webhook-id": MSG_ID, "webhook-timestamp": str(t)}
    if value is not False:
        headers["webhook-signature"] = value
    return _case("standard", name, secret, tolerance, body, headers, valid, reason)


def signature_cases():
    cases = []
    for make in (pulse_case, standard_case):
        cases += [
            make("valid", valid=True, reason="ok"),
            make("rotation_new_matches", secrets=(OLD_SECRET, SECRET), valid=True, reason="ok"),
            make("rotation_old_matches", secrets=(SECRET, OLD_SECRET), valid=True, reason="ok"),
            make(
                "rotation_none_matches", secrets=(OLD_SECRET, WRONG_SECRET), valid=False, reason="no_matching_signature"
            ),
            make("at_tolerance_past", t=NOW - TOLERANCE, valid=True, reason="ok"),
            make("past_tolerance_by_one", t=NOW - TOLERANCE - 1, valid=False, reason="timestamp_too_old"),
            make("at_tolerance_future", t=NOW + TOLERANCE, valid=True, reason="ok"),
            make("future_by_one", t=NOW + TOLERANCE + 1, valid=False, reason="timestamp_in_future"),
            make("old_but_tolerance_disabled", t=NOW - 86400, tolerance=None, valid=True, reason="ok"),
            make(
                "tampered_body",
                signed_body=BODY,
                body=BODY.replace("emp_1", "emp_2"),
                valid=False,
                reason="no_matching_signature",
            ),
            make("wrong_secret", secret=WRONG_SECRET, valid=False, reason="no_matching_signature"),
            make("missing_header", header=False, valid=False, reason="missing_header"),
            make("empty_header", header="", valid=False, reason="missing_header"),
        ]
    good = pulse_signature(body=BODY.encode(), timestamp=NOW, secrets=[SECRET])
    digest = good.split("v1=")[1]
    cases += [
        pulse_case("no_timestamp", header=f"v1={digest}", valid=False, reason="malformed_header"),
        pulse_case("non_numeric_timestamp", header=f"t=abc,v1={digest}", valid=False, reason="malformed_header"),
        pulse_case("no_v1", header=f"t={NOW}", valid=False, reason="malformed_header"),
        pulse_case("v0_only", header=f"t={NOW},v0={digest}", valid=False, reason="malformed_header"),
        pulse_case("garbage", header="not a signature", valid=False, reason="malformed_header"),
        # The pulse scheme keys with the whole secret string: the prefix is part of the key.
        pulse_case(
            "secret_without_prefix", secret=SECRET.removeprefix("whsec_"), valid=False, reason="no_matching_signature"
        ),
    ]
    return cases


# code -> status, and the SDK class when it is not Pascal(code) + "Error".
ERRORS = [
    ("invalid_request", 400, None),
    ("unauthenticated", 401, "AuthenticationError"),
    ("permission_denied", 403, None),
    ("not_found", 404, None),
    ("method_not_allowed", 405, None),
    ("conflict", 409, None),
    ("payload_too_large", 413, None),
    ("unsupported_media_type", 415, None),
    ("unprocessable_entity", 422, None),
    ("rate_limited", 429, None),
    ("internal_error", 500, "InternalError"),
]


def error_cases():
    cases = []
    for code, status, override in ERRORS:
        for envelope in (True, False):
            case = {
                "name": f"{code}/{'envelope' if envelope else 'bare'}",
                "status": status,
                "code": code,
                "envelope": envelope,
                "kind": code,
            }
            if override:
                case["python"] = case["typescript"] = override
            cases.append(case)
    for status in (502, 503):
        cases.append(
            {
                "name": f"internal_error/bare_{status}",
                "status": status,
                "code": "internal_error",
                "envelope": False,
                "kind": "internal_error",
                "python": "InternalError",
                "typescript": "InternalError",
            }
        )
    return cases


def render():
    return {
        HERE / "webhooks" / "signatures.json": {"version": 1, "cases": signature_cases()},
        HERE / "errors.json": {"version": 1, "cases": error_cases()},
    }


def dumps(data):
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def main(argv):
    stale = []
    for path, data in render().items():
        text = dumps(data)
        if "--check" in argv:
            if not path.exists() or path.read_text() != text:
                stale.append(path)
        else:
            path.write_text(text)
    for path in stale:
        print(f"{path} is stale: run sdk/conformance/generate_vectors.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
