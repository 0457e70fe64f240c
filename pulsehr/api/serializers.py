from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from rest_framework import serializers
from rest_framework.fields import _UnvalidatedField

from pulsehr.jsonvalues import MAX_KEYS, json_value_problem


class RowSerializer(serializers.Serializer):
    """A read shape: its declared fields document the resource in OpenAPI, while rendering
    goes through `represent(row, context)`, a plain function of the row's column values.

    List pages fetch just `row_fields` with `.values()` and call `represent` on each dict,
    skipping model instances and DRF's per-field machinery; a single object passes its
    `__dict__`, so both paths share one representation."""

    row_fields: tuple[str, ...] = ()

    @classmethod
    def represent(cls, row: dict, context: dict) -> dict:
        raise NotImplementedError

    def to_representation(self, instance):
        return self.represent(instance if isinstance(instance, dict) else vars(instance), self.context)


# --- Strict JSON types ---------------------------------------------------------------------

# What any JSON value may be (a field with no type of its own: JSONField, an untyped child).
ANY_JSON = None


def _types_of_choices(field: serializers.ChoiceField) -> tuple[type, ...]:
    return tuple({type(value) for value in field.choices}) or (str,)


# The JSON types (as json.loads makes them) each kind of input field accepts, and nothing else:
# DRF on its own reads 7 as "7", "yes" as true and "10" as 10. A field takes the entry of the
# first class in its MRO listed here; a writable field of a class none of whose bases is
# listed is a programming error, raised when its serializer is first used, so a new kind of
# field cannot slip through. An entry is the types, ANY_JSON, or a function of the field.
JSON_TYPES: dict[type, tuple[type, ...] | None | Callable] = {
    serializers.BooleanField: (bool,),
    serializers.IntegerField: (int,),
    serializers.FloatField: (int, float),
    serializers.DecimalField: (int, float),
    # Also EmailField, URLField, RegexField, SlugField, IPAddressField.
    serializers.CharField: (str,),
    serializers.UUIDField: (str,),
    serializers.DateField: (str,),
    serializers.DateTimeField: (str,),
    serializers.TimeField: (str,),
    serializers.DurationField: (str,),
    serializers.MultipleChoiceField: (list,),
    serializers.ChoiceField: _types_of_choices,
    serializers.ListField: (list,),
    serializers.ListSerializer: (list,),
    serializers.ManyRelatedField: (list,),
    serializers.DictField: (dict,),
    serializers.Serializer: (dict,),
    serializers.RelatedField: (str, int),
    serializers.JSONField: ANY_JSON,
    serializers.HiddenField: ANY_JSON,  # never read from the request
    _UnvalidatedField: ANY_JSON,  # the default child of ListField and DictField
}

_JSON_NAMES = {
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    str: "a string",
    list: "an array",
    dict: "an object",
}


def json_types_of(field: serializers.Field) -> tuple[type, ...] | None:
    """The Python types (as json.loads makes them) the field accepts, or ANY_JSON."""
    for cls in type(field).__mro__:
        if cls in JSON_TYPES:
            types = JSON_TYPES[cls]
            return types(field) if callable(types) else types
    raise ImproperlyConfigured(
        f"{type(field).__name__} ({field.field_name or 'a child'}) has no entry in pulsehr.api.serializers.JSON_TYPES."
    )


def _json_name(types: tuple[type, ...]) -> str:
    if int in types and float in types:
        types = tuple(t for t in types if t is not int)
    return " or ".join(dict.fromkeys(_JSON_NAMES.get(t, t.__name__) for t in types))


def is_json_type(value, types: tuple[type, ...]) -> bool:
    # bool is an int in Python, but true is not a number in JSON.
    return isinstance(value, bool) == (bool in types) and isinstance(value, types)


def require_json_types(field: serializers.Field) -> None:
    """Make the field refuse any value of another JSON type before DRF converts it, and its
    children likewise (list items, dict values, nested serializers' fields). The check runs
    inside the field, so a container reports a child's error as it reports any other. A refused
    choice names the allowed values."""
    if isinstance(field, serializers.ChoiceField):
        allowed = ", ".join(str(choice) for choice in field.choices).replace("{", "{{").replace("}", "}}")
        field.error_messages["invalid_choice"] = f'"{{input}}" is not one of {allowed}.'
    types = json_types_of(field)
    if types is not ANY_JSON:
        convert = field.to_internal_value

        def to_internal_value(data):
            if not is_json_type(data, types):
                raise serializers.ValidationError(
                    f"Must be {_json_name(types)}, not {_json_name((type(data),))}.", code="invalid"
                )
            return convert(data)

        field.to_internal_value = to_internal_value
    for child in (getattr(field, "child", None), getattr(field, "child_relation", None)):
        if child is not None:
            require_json_types(child)
    if isinstance(field, serializers.Serializer) and not isinstance(field, StrictSerializer):
        for nested in field.fields.values():
            if not nested.read_only:
                require_json_types(nested)


class StrictSerializer(serializers.Serializer):
    """The base of every input serializer: a key it does not know is a 400, not a no-op, and
    every field takes only its own JSON types (JSON_TYPES), whatever its class."""

    # The fields naming whom the write is by (a kudos' giver, …). Declared optional, as the
    # document shows them: a key that acts as an employee writes as them. Given the request's
    # Actor as context["actor"], the serializer requires them of any other caller, reported with
    # the other fields at fault as for any required field. (Not in the docstring, which
    # serializers without their own become the schema's description.)
    actor_fields: tuple[str, ...] = ()

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if not field.read_only:
                require_json_types(field)
        actor = self.context.get("actor")
        if actor is not None and not actor.employee_id:
            for name in self.actor_fields:
                fields[name].required = True
        return fields

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - {name for name, field in self.fields.items() if not field.read_only})
            if unknown:
                raise serializers.ValidationError({name: ["Unknown or read-only field."] for name in unknown})
        return super().to_internal_value(data)


# The field of a write that names whom it is by (a kudos' giver, a status-log entry's author, …):
# optional in the document, since a key bound to an employee writes as them (Actor.acting_as).
ACTING_EMPLOYEE_HELP = (
    " Required, unless the API key acts as an employee: then it defaults to that employee, and naming "
    "anyone else is a 403 `permission_denied`."
)


class JSONObjectField(serializers.DictField):
    """A free-form JSON object under PulseHR's JSON-value policy (pulsehr/jsonvalues.py): what
    every database, the renderer and JavaScript clients read back unchanged."""

    def __init__(self, *, max_keys: int = MAX_KEYS, **kwargs):
        self.max_keys = max_keys
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if len(value) > self.max_keys:
            raise serializers.ValidationError(f"At most {self.max_keys} keys.")
        problem = json_value_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=[
            "invalid_request",
            "unauthenticated",
            "permission_denied",
            "not_found",
            "method_not_allowed",
            "conflict",
            "unsupported_media_type",
            "unprocessable_entity",
            "payload_too_large",
            "rate_limited",
            "internal_error",
        ],
        help_text="Stable machine-readable error code.",
    )
    message = serializers.CharField(help_text="What went wrong, for humans.")
    fields = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="The request fields at fault (dotted for nested keys)."
    )
    request_id = serializers.CharField(help_text="The X-Request-Id of the failed request.")


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer(
        help_text="What went wrong: a stable code, a message for humans, the fields at fault and the request's id."
    )
