"""The component of /v1/openapi.json that employee.score_changed carries as `data`: no operation
returns it, so no serializer puts it there. A drf-spectacular post-processing hook
(SPECTACULAR_SETTINGS), run before the webhooks section refers to it."""

SCHEMAS = "#/components/schemas/"


def _score(description: str) -> dict:
    return {"type": ["integer", "null"], "minimum": 0, "maximum": 100, "description": description}


def _band(description: str) -> dict:
    return {"oneOf": [{"$ref": f"{SCHEMAS}ScoreBand"}, {"type": "null"}], "description": description}


def _snapshot_figures(which: str) -> dict:
    return {
        "type": "object",
        "description": f"The {which} week's overall score and band.",
        "required": ["score", "band"],
        "properties": {
            "score": _score(f"The {which} overall score, 0–100; null when it had none."),
            "band": _band(f"The {which} band; null when there was no score."),
        },
    }


SCORE_CHANGE_SCHEMA = {
    "type": "object",
    "description": "An employee's score moving week over week by at least the workspace's change threshold.",
    "required": ["employee_id", "week_start", "threshold", "previous", "current", "factors_moved"],
    "properties": {
        "employee_id": {"type": "string", "description": "The employee (an `emp_` id)."},
        "week_start": {"type": "string", "format": "date", "description": "The Monday of the new snapshot's week."},
        "threshold": {"type": "integer", "description": "The workspace's change threshold in points when recorded."},
        "previous": _snapshot_figures("previous"),
        "current": _snapshot_figures("new"),
        "factors_moved": {
            "type": "array",
            "description": "The factors whose score differs between the two weeks.",
            "items": {
                "type": "object",
                "description": "One factor that moved.",
                "required": ["key", "previous", "current"],
                "properties": {
                    "key": {"$ref": f"{SCHEMAS}ScoreFactorKey", "description": "The factor."},
                    "previous": _score("Its score the week before; null when it had no data."),
                    "current": _score("Its score this week; null when it has no data."),
                },
            },
        },
    },
}


NULL_ENUM = f"{SCHEMAS}NullEnum"


def _plain_null(schema: dict) -> None:
    """drf-spectacular writes a nullable enum as oneOf [the enum, NullEnum]; client generators
    (ours included) read oneOf [the enum, {type: null}] as "the enum or None"."""
    for prop in schema.get("properties", {}).values():
        choices = prop.get("oneOf") or []
        if any(choice.get("$ref") == NULL_ENUM for choice in choices):
            prop["oneOf"] = [{"type": "null"} if choice.get("$ref") == NULL_ENUM else choice for choice in choices]


def add_components(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ScoreChange"] = SCORE_CHANGE_SCHEMA
    for name in ("EmployeeScore", "ScoreSnapshot", "ScoreGroup"):
        if name in schemas:
            _plain_null(schemas[name])
    # NullEnum was only ever these fields' (nothing else of /v1 has a nullable enum).
    if NULL_ENUM not in str(schemas):
        schemas.pop("NullEnum", None)
    return result
