"""The base of the generated models: typed attributes built from the API's JSON, tolerant of
fields the SDK does not know yet (kept in `extra`, never an error)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from typing import Any, Self, TypeVar, Union, get_args, get_origin

from ._core import Response

M = TypeVar("M", bound="Model")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Model:
    """A resource as the API returns it. `to_dict()` gives back the JSON as received."""

    extra: dict[str, Any] = dataclasses.field(default_factory=dict, repr=False, compare=False)
    _raw: dict[str, Any] = dataclasses.field(default_factory=dict, repr=False, compare=False)
    #: The HTTP answer this came in (status, headers, request id, rate limit, ETag); None for a
    #: model nested in another, or built by hand.
    last_response: Response | None = dataclasses.field(default=None, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """The model of a JSON object. A field the server left out reads as None rather than
        failing, and keys the model does not know are kept in `extra`."""
        hints = _hints(cls)
        names = [f.name for f in dataclasses.fields(cls) if f.name not in ("extra", "_raw", "last_response")]
        values = {name: _convert(hints[name], data.get(name)) for name in names}
        extra = {key: value for key, value in data.items() if key not in values}
        return cls(**values, extra=extra, _raw=dict(data))

    def to_dict(self) -> dict[str, Any]:
        """The JSON object as received."""
        return dict(self._raw)


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [arg for arg in get_args(hint) if arg is not type(None)]
        return _convert(options[0], value) if len(options) == 1 else value
    if origin is list and isinstance(value, list):
        (item,) = get_args(hint) or (Any,)
        return [_convert(item, v) for v in value]
    if isinstance(hint, type):
        if issubclass(hint, Model) and isinstance(value, dict):
            return hint.from_dict(value)
        if hint is dt.datetime and isinstance(value, str):
            return dt.datetime.fromisoformat(value)
        if hint is dt.date and isinstance(value, str):
            return dt.date.fromisoformat(value)
        if hint is float and isinstance(value, int | str) and not isinstance(value, bool):
            return float(value)
    return value
