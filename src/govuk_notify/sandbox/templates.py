r"""The sandbox's template file format, and the default set shipped with the package.

A template file is JSON: either ``{"templates": [...]}`` or just the list. Each template:

    {
      "id": "27977601-9753-4b18-afab-ef47bb93bc78",   # required, a UUID
      "name": "Security code",                        # required
      "type": "sms",                                  # required: sms, email or letter
      "body": "Hello ((name)), your code is ((code))",# required
      "subject": "…",                                 # required for email and letter
      "postage": "second",                            # letters: first, second or economy
      "letter_contact_block": "Dept\nPO Box 1",       # letters, optional
      "archived": false,                              # optional; archived = "deleted"
      "created_by": "someone@example.gov.uk",         # optional
      "previous_versions": [ {"body": "…"} ]          # optional, oldest first
    }

The fields at the top are the template's current version. Each item of ``previous_versions`` is
an older version: it may set ``name``, ``body``, ``subject``, ``postage`` and
``letter_contact_block``; what it leaves out is taken from the current version. Versions are
numbered from 1 (the oldest) up to the current one.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

__all__ = [
    "DEFAULT_TEMPLATE_IDS",
    "TemplateDefinition",
    "TemplateFileError",
    "default_templates",
    "load_templates",
    "parse_templates",
]

DEFAULT_TEMPLATE_IDS: Final[Mapping[str, str]] = {
    "sms": "27977601-9753-4b18-afab-ef47bb93bc78",
    "email_with_file": "6ddb7845-8c78-41be-a04f-c94057b5aabf",
    "plain_email": "24195183-379b-4f65-bb31-7f9b87596cc0",
    "letter": "a7fbf154-fb22-468b-8fd8-4e236b126152",
}
"""The fixed ids of the default templates."""

_DEFAULT_CREATED_BY: Final = "sandbox-user@notifications.service.gov.uk"
_VERSION_FIELDS: Final = ("name", "body", "subject", "postage", "letter_contact_block")
_TEMPLATE_FIELDS: Final = frozenset(
    {"id", "type", "archived", "created_by", "previous_versions", *_VERSION_FIELDS}
)


class TemplateFileError(ValueError):
    """The template file is not in the sandbox's format."""


@dataclass(frozen=True)
class TemplateContent:
    """One version of a template."""

    name: str
    body: str
    subject: str | None
    postage: str | None
    letter_contact_block: str | None


@dataclass(frozen=True)
class TemplateDefinition:
    """A template as a file defines it: all its versions, oldest first."""

    id: str
    type: str
    versions: tuple[TemplateContent, ...]
    archived: bool = False
    created_by: str = _DEFAULT_CREATED_BY

    @property
    def current(self) -> TemplateContent:
        """The template's current (last) version."""
        return self.versions[-1]


def _text(entry: Mapping[str, Any], key: str, where: str, *, required: bool) -> str | None:
    value = entry.get(key)
    if value is None:
        if required:
            raise TemplateFileError(f"{where}: '{key}' is required")
        return None
    if not isinstance(value, str):
        raise TemplateFileError(f"{where}: '{key}' must be a string")
    return value


def _content(
    entry: Mapping[str, Any], template_type: str, where: str, base: TemplateContent | None
) -> TemplateContent:
    def pick(key: str) -> str | None:
        if key in entry or base is None:
            return _text(entry, key, where, required=False)
        value: str | None = getattr(base, key)
        return value

    name, body = pick("name"), pick("body")
    if not name:
        raise TemplateFileError(f"{where}: 'name' is required")
    if body is None:
        raise TemplateFileError(f"{where}: 'body' is required")
    subject = pick("subject")
    postage = pick("postage")
    contact_block = pick("letter_contact_block")
    if template_type == "sms":
        if subject is not None or postage is not None or contact_block is not None:
            raise TemplateFileError(
                f"{where}: a text message template has no subject, postage or contact block"
            )
    elif not subject:
        raise TemplateFileError(f"{where}: an {template_type} template needs a 'subject'")
    if template_type == "letter":
        postage = postage or "second"
        if postage not in ("first", "second", "economy"):
            raise TemplateFileError(f"{where}: 'postage' must be first, second or economy")
    elif postage is not None or contact_block is not None:
        raise TemplateFileError(f"{where}: only letter templates have postage or a contact block")
    return TemplateContent(name, body, subject, postage, contact_block)


def parse_templates(data: Any, *, source: str = "templates") -> list[TemplateDefinition]:
    """Check the parsed JSON of a template file and return its templates."""
    entries = data.get("templates") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise TemplateFileError(f'{source}: expected a list of templates or {{"templates": [...]}}')
    seen: set[str] = set()
    definitions = []
    for index, entry in enumerate(entries):
        where = f"{source}: template {index + 1}"
        if not isinstance(entry, dict):
            raise TemplateFileError(f"{where}: must be an object")
        unknown = sorted(set(entry) - _TEMPLATE_FIELDS)
        if unknown:
            raise TemplateFileError(f"{where}: unknown fields {', '.join(unknown)}")
        raw_id = entry.get("id")
        try:
            template_id = str(uuid.UUID(str(raw_id)))
        except ValueError:
            raise TemplateFileError(f"{where}: 'id' must be a UUID") from None
        if template_id in seen:
            raise TemplateFileError(f"{where}: the id {template_id} is used twice")
        seen.add(template_id)
        template_type = entry.get("type")
        if template_type not in ("sms", "email", "letter"):
            raise TemplateFileError(f"{where}: 'type' must be sms, email or letter")
        current = _content(entry, template_type, where, None)
        previous = entry.get("previous_versions") or []
        if not isinstance(previous, list):
            raise TemplateFileError(f"{where}: 'previous_versions' must be a list")
        versions = []
        for number, old in enumerate(previous, start=1):
            if not isinstance(old, dict) or set(old) - set(_VERSION_FIELDS):
                raise TemplateFileError(
                    f"{where}: previous version {number} may only set " + ", ".join(_VERSION_FIELDS)
                )
            versions.append(_content(old, template_type, f"{where} version {number}", current))
        versions.append(current)
        archived = entry.get("archived", False)
        if not isinstance(archived, bool):
            raise TemplateFileError(f"{where}: 'archived' must be true or false")
        created_by = _text(entry, "created_by", where, required=False) or _DEFAULT_CREATED_BY
        definitions.append(
            TemplateDefinition(template_id, template_type, tuple(versions), archived, created_by)
        )
    return definitions


def load_templates(path: str | os.PathLike[str]) -> list[TemplateDefinition]:
    """Read a template file (see the module docstring for the format)."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as err:
        raise TemplateFileError(f"cannot read {os.fspath(path)}: {err.strerror}") from None
    except json.JSONDecodeError as err:
        raise TemplateFileError(f"{os.fspath(path)} is not valid JSON: {err}") from None
    return parse_templates(data, source=os.fspath(path))


def default_templates() -> list[TemplateDefinition]:
    """The templates shipped with the package (``default_templates.json``)."""
    text = (
        resources.files(__package__ or "govuk_notify.sandbox")
        .joinpath("default_templates.json")
        .read_text(encoding="utf-8")
    )
    return parse_templates(json.loads(text), source="default_templates.json")
