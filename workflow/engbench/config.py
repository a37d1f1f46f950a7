"""Validate an edition's configuration against its JSON schema.

Snakemake's own ``validate`` reports the raw jsonschema error (schema dump
included); researchers need one line per problem naming the key, what was
found and what was expected. This module gives that, fills in the schema's
defaults, and checks what a schema cannot (dates in order, time zone known).
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import jsonschema
import yaml

# The schemas are package data: found the same way in a checkout and in an installed wheel.
SCHEMA_DIR = resources.files("engbench") / "schemas"
CONFIG_SCHEMA = SCHEMA_DIR / "config.schema.yaml"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class ConfigError(ValueError):
    """The configuration does not match its schema; the message lists every problem."""


def load_schema(path: str | Path | Traversable = CONFIG_SCHEMA) -> dict[str, Any]:
    """A schema: by default one of the package's own (``SCHEMA_DIR``), or any YAML file."""
    source = Path(path) if isinstance(path, str) else path
    return yaml.safe_load(source.read_text(encoding="utf-8"))


def _key_path(error: jsonschema.ValidationError, child: str | None = None) -> str:
    parts = [f"[{p}]" if isinstance(p, int) else str(p) for p in error.absolute_path]
    if child is not None:
        parts.append(child)
    return ".".join(parts).replace(".[", "[") or "(top level)"


def _problem(error: jsonschema.ValidationError) -> str:
    """One line: the key, what was found, what was expected (and what the key is for)."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    validator = error.validator
    if validator == "required":
        missing = error.message.split("'")[1]
        sub = schema.get("properties", {}).get(missing, {})
        about = f" — {sub['description'].strip()}" if sub.get("description") else ""
        return f"key `{_key_path(error, missing)}`: missing; this key is required{about}"
    if validator == "additionalProperties":
        allowed = ", ".join(sorted(schema.get("properties", {})))
        extra = sorted(set(error.instance) - set(schema.get("properties", {})))
        return "; ".join(
            f"key `{_key_path(error, key)}`: unknown key; expected one of: {allowed}"
            for key in extra
        )
    description = schema.get("description", "").strip()
    found = repr(error.instance)
    if len(found) > 80:
        found = found[:77] + "..."
    what = {
        "type": f"expected type {_types(schema.get('type'))}",
        "enum": "expected one of " + ", ".join(map(str, schema.get("enum", []))),
        "pattern": f"expected {description}"
        if description
        else f"expected text matching {schema.get('pattern')}",
        "minimum": f"expected at least {schema.get('minimum')}",
        "maximum": f"expected at most {schema.get('maximum')}",
        "exclusiveMinimum": f"expected more than {schema.get('exclusiveMinimum')}",
        "minItems": f"expected at least {schema.get('minItems')} item(s)",
    }.get(validator, error.message)
    message = f"key `{_key_path(error)}`: found {found}; {what}"
    if description and validator != "pattern":
        message += f" — {description}"
    return message


def _types(kind: str | list[str] | None) -> str:
    return " or ".join(kind) if isinstance(kind, list) else str(kind)


def _with_defaults(validator_class: type) -> type:
    """A validator that fills in each property's `default` (jsonschema FAQ recipe)."""
    validate_properties = validator_class.VALIDATORS["properties"]

    def set_defaults(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for name, sub in properties.items():
                if "default" in sub and name not in instance:
                    instance[name] = _copy(sub["default"])
        yield from validate_properties(validator, properties, instance, schema)

    return jsonschema.validators.extend(validator_class, {"properties": set_defaults})


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def validate_config(
    config: dict[str, Any],
    schema_path: str | Path | Traversable = CONFIG_SCHEMA,
    source: str = "config",
    key_required: bool = True,
) -> dict[str, Any]:
    """Check ``config`` against the schema, fill defaults in place and return it.

    ``key_required=False`` skips the check that a real edition's pseudonymisation key is
    set (``engbench init`` writes a config before the key exists).

    Raises ConfigError listing every problem as ``<source>: key `a.b`: found …;
    expected …``.
    """
    schema = load_schema(schema_path)
    validator_class = _with_defaults(jsonschema.Draft202012Validator)
    validator = validator_class(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(config), key=lambda e: list(map(str, e.absolute_path)))
    problems = [_problem(e) for e in errors]
    if not problems:
        problems = _semantic_problems(config, key_required)
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems)
        raise ConfigError(f"{source} is not a valid engbench configuration:\n{lines}")
    return config


def _semantic_problems(config: dict[str, Any], key_required: bool = True) -> list[str]:
    problems = []
    start = dt.date.fromisoformat(config["period"]["start"])
    end = dt.date.fromisoformat(config["period"]["end"])
    if end <= start:
        problems.append(
            f"key `period.end`: found {end.isoformat()}; expected a date after "
            f"period.start ({start.isoformat()}) — the end is exclusive"
        )
    try:
        zoneinfo.ZoneInfo(config["timezone"])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        problems.append(
            f"key `timezone`: found {config['timezone']!r}; expected an IANA time zone "
            "such as 'Europe/Amsterdam'"
        )
    for day, hours in config.get("webcare_hours", {}).items():
        if hours != "closed":
            opens, closes = hours.split("-")
            if closes != "24:00" and closes <= opens:
                problems.append(
                    f"key `webcare_hours.{day}`: found {hours!r}; expected the closing "
                    "time after the opening time (use 00:00-24:00 for all day)"
                )
    privacy = config["privacy"]
    if (
        key_required
        and not config["demo"]["enabled"]
        and not (privacy.get("key_file") or os.environ.get(privacy["key_env"]))
    ):
        problems.append(
            f"key `privacy`: no pseudonymisation key; expected the environment variable "
            f"{privacy['key_env']} or `privacy.key_file` (at least 16 random characters, kept "
            "outside the repository) — a real edition's authors are pseudonymised with it"
        )
    if not config["demo"]["enabled"] and not config["sources"]:
        problems.append(
            "key `sources`: found an empty list; expected at least one raw source "
            "(or demo.enabled: true for the simulated demo edition)"
        )
    weights = config.get("metrics", {}).get("index_weights", {})
    if weights and not sum(weights.values()) > 0:
        problems.append(
            f"key `metrics.index_weights`: found {weights}; expected at least one weight above "
            "0 — the engagement index is the weighted mean of its components"
        )
    return problems


def parse_webcare_hours(webcare_hours: dict[str, str]) -> dict[int, tuple[int, int] | None]:
    """Weekday (0 = Monday) → (open, close) in minutes after midnight, or None if closed."""
    out: dict[int, tuple[int, int] | None] = {}
    for i, day in enumerate(WEEKDAYS):
        hours = webcare_hours.get(day, "closed")
        if hours == "closed":
            out[i] = None
            continue
        opens, closes = hours.split("-")
        out[i] = (_minutes(opens), _minutes(closes))
    return out


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)
