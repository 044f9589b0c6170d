"""Text and numbers from outside, checked once for every door (forms, API bodies and query
parameters, spreadsheet imports).

- Text: a NUL character or a lone surrogate (``\\ud800``) is refused with a field error:
  PostgreSQL cannot store either, and no person types them. :class:`dualcirc.ops.middleware.
  HostileTextMiddleware` applies :func:`find_bad_text` to every query parameter and API form
  field, the API's parser (dualcirc.api.CheckedJSONParser) to every JSON body, the project's
  form base (dualcirc.core.forms.SanitizedFormMixin) to every page form; the import reader
  applies :func:`text_problem` to every cell.
- Lengths: :data:`TEXT_LIMITS` is the one table of length limits of free-text fields that the
  database does not bound itself (``TextField``, JSON lists and maps); domain checks and API
  schemas read it (docs/operations.md lists it).
- Numbers: :func:`column_limits` bounds an API field by the database column its value goes to
  (digits, decimal places, integer range), so ``1e30`` or ``10**12`` is a field error before
  any arithmetic or SQL sees it.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from pydantic import Field

from dualcirc.core.errors import FieldError

# Length limits of free text (characters) and of lists, per kind of field.
TEXT_LIMITS: dict[str, int] = {
    "description": 20000,  # product and enterprise descriptions, request needs
    "attribute_key": 100,
    "attribute_value": 500,
    "attributes": 100,  # pairs per product
    "list_item": 100,  # a certification, market, industry
    "list": 100,  # items per list
    "reason": 2000,  # correction reasons, state-change notes
    "message": 10000,  # a negotiation message, a case description
    "password": 4096,  # a password sent to POST /api/tokens
}

# Integer columns: the range every supported database stores.
INTEGER_RANGES: dict[type[models.Field[Any, Any]], tuple[int, int]] = {
    models.PositiveSmallIntegerField: (0, 32767),
    models.SmallIntegerField: (-32768, 32767),
    models.PositiveIntegerField: (0, 2147483647),
    models.IntegerField: (-2147483648, 2147483647),
    models.PositiveBigIntegerField: (0, 9223372036854775807),
    models.BigIntegerField: (-9223372036854775808, 9223372036854775807),
}


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored, or None (one regular-expression scan: cheap per cell)."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return _("The text contains a NUL character, which is not allowed.")
    return _("The text contains an invalid character (a lone surrogate).")


def find_bad_text(value: Any, field: str | None) -> list[FieldError]:
    """A field error for each text in ``value`` (nested dicts and lists, keys included) that
    :func:`text_problem` refuses; the field is the dotted path (a bad key names its map)."""
    errors: list[FieldError] = []
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            errors.append(FieldError(field=field, message=problem))
    elif isinstance(value, dict):
        for key, item in value.items():
            key_text = str(key)
            problem = text_problem(key_text)
            if problem:
                errors.append(FieldError(field=field, message=problem))
                continue
            errors.extend(find_bad_text(item, f"{field}.{key_text}" if field else key_text))
    elif isinstance(value, list):
        for position, item in enumerate(value):
            errors.extend(find_bad_text(item, f"{field}.{position}" if field else str(position)))
    return errors


def check_length(value: str, *, kind: str, field: str) -> FieldError | None:
    """A field error when ``value`` is longer than ``TEXT_LIMITS[kind]``."""
    limit = TEXT_LIMITS[kind]
    if len(value) > limit:
        return FieldError(
            field=field,
            message=_("At most %(limit)d characters (this has %(count)d).")
            % {"limit": limit, "count": len(value)},
        )
    return None


def _decimal_pattern(digits: int, places: int) -> str:
    whole = digits - places
    return rf"^-?\d{{1,{whole}}}(\.\d{{1,{places}}})?$" if places else rf"^-?\d{{1,{whole}}}$"


def column_limits(model: type[models.Model], name: str) -> Any:
    """Field limits for an API value that goes to the column ``model.name``, to put in an
    ``Annotated[Decimal, …]`` or ``Annotated[int, …]``: a Decimal gets the column's digits and
    decimal places (trailing zeros aside) and must be finite; an integer gets the column's
    range. The OpenAPI document states them."""
    column = model._meta.get_field(name)
    if isinstance(column, models.DecimalField):
        digits, places = int(column.max_digits or 0), int(column.decimal_places or 0)
        pattern = _decimal_pattern(digits, places)

        def document(schema: dict[str, Any]) -> None:
            for branch in schema.get("anyOf", [schema]):
                if branch.get("type") == "string":
                    branch["pattern"] = pattern
                elif branch.get("type") == "number":
                    branch["exclusiveMaximum"] = 10 ** (digits - places)
                    branch["exclusiveMinimum"] = -(10 ** (digits - places))
            # OpenAPI text is English, written when the schemas are built (no language).
            schema["description"] = (
                f"{schema.get('description', '')} At most {digits - places} digits before "
                f"the point and {places} after it."
            ).strip()

        return Field(
            max_digits=digits,
            decimal_places=places,
            allow_inf_nan=False,
            json_schema_extra=document,
        )
    for kind in type(column).__mro__:
        if kind in INTEGER_RANGES:
            low, high = INTEGER_RANGES[kind]
            return Field(ge=low, le=high)
    raise TypeError(f"{model.__name__}.{name} is neither a decimal nor an integer column")


def text_limit(kind: str) -> Any:
    """Field limits for free text of ``TEXT_LIMITS[kind]`` characters at most, to put in an
    ``Annotated[str, …]``."""
    return Field(max_length=TEXT_LIMITS[kind])


def column_length(model: type[models.Model], name: str) -> Any:
    """Field limits for text that goes to the CharField ``model.name`` (its ``max_length``), to
    put in an ``Annotated[str, …]``: the OpenAPI document states them, and a longer text is a
    422 naming the field instead of a database error."""
    column = model._meta.get_field(name)
    if not isinstance(column, models.CharField) or not column.max_length:
        raise TypeError(f"{model.__name__}.{name} is not a CharField with a max_length")
    return Field(max_length=column.max_length)


def list_limit() -> Any:
    """Field limits of a list sent to the API: at most ``TEXT_LIMITS["list"]`` items."""
    return Field(max_length=TEXT_LIMITS["list"])


def column_scale(model: type[models.Model], name: str) -> Any:
    """The serializer of an API answer's Decimal read from ``model.name``: a JSON string with
    the column's scale (``"500.000"`` for a quantity), whether the value was just written as
    sent (``500``) or read back from the database (docs/api.md, "Numbers")."""
    from decimal import Decimal

    from pydantic import PlainSerializer

    column = model._meta.get_field(name)
    assert isinstance(column, models.DecimalField)
    step = Decimal(1).scaleb(-int(column.decimal_places or 0))

    def write(value: Decimal) -> str:
        return str(Decimal(value).quantize(step))

    return PlainSerializer(write, return_type=str)


def column_problem(value: Any, model: type[models.Model], name: str) -> str | None:
    """Why ``value`` does not fit the column ``model.name`` (digits and decimal places of a
    DecimalField, the range of an integer field), or None; the same bounds as
    :func:`column_limits`, for input parsed outside the API's schemas (forms, importers)."""
    from decimal import Decimal

    try:
        column = model._meta.get_field(name)
    except Exception:  # not a column of the model: nothing to bound
        return None
    if isinstance(column, models.DecimalField) and isinstance(value, Decimal):
        digits, places = int(column.max_digits or 0), int(column.decimal_places or 0)
        normal = value.normalize()
        exponent = normal.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -places:
            return _("At most %(places)d decimal places.") % {"places": places}
        if abs(value) >= Decimal(10) ** (digits - places):
            return _("At most %(whole)d digits before the decimal point.") % {
                "whole": digits - places
            }
        return None
    if isinstance(value, int):
        for kind in type(column).__mro__:
            if kind in INTEGER_RANGES:
                low, high = INTEGER_RANGES[kind]
                if not low <= value <= high:
                    return _("Enter a whole number from %(low)d to %(high)d.") % {
                        "low": low,
                        "high": high,
                    }
                return None
    return None


# Page forms ------------------------------------------------------------------------------------

_REPLACEMENT = "\ufffd"


def unstorable_form_fields(form: Any) -> dict[str, str]:
    """The fields of a bound form whose submitted text :func:`text_problem` refuses, with why."""
    found: dict[str, str] = {}
    for name, field in form.fields.items():
        raw = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        values = raw if isinstance(raw, (list, tuple)) else [raw]
        errors = find_bad_text([v for v in values if isinstance(v, str)], None)
        if errors:
            found[name] = errors[0].message
    return found


def storable_data(data: Any) -> Any:
    """A copy of a form's data with every unstorable character replaced by U+FFFD."""
    if hasattr(data, "lists"):
        copy = data.copy()
        for key, values in data.lists():
            copy.setlist(key, [_storable(v) for v in values])
        return copy
    return {key: _storable(value) for key, value in data.items()}


def _storable(value: Any) -> Any:
    if isinstance(value, str):
        return _UNSTORABLE.sub(_REPLACEMENT, value)
    if isinstance(value, list):
        return [_storable(v) for v in value]
    return value
