"""The sandbox's templates: loaded at start, added, changed and archived while running.

`TemplateAdmin` is the part of `Sandbox` that manages
templates; `sync_templates` adds to the store what template definitions have that it does
not.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from typing import Any

from .store import Store, TemplateVersion
from .templates import (
    TemplateContent,
    TemplateDefinition,
    TemplateFileError,
    default_templates,
    load_templates,
    parse_templates,
)

__all__ = ["TemplateAdmin", "TemplatesSetting", "sync_templates"]

TemplatesSetting = str | os.PathLike[str] | Sequence[TemplateDefinition] | None
"""What `Sandbox(templates=...)` takes: a template file's path, a list of `TemplateDefinition`, or
`None` (the default templates, for a new database)."""


def sync_templates(store: Store, definitions: Sequence[TemplateDefinition]) -> None:
    """Add to the store what the definitions have that it does not.

    New templates come with all their versions; a template whose current content changed gets a
    new version.

    Args:
        store: The sandbox's store.
        definitions: The templates as defined (a template file, the defaults, a call).

    Raises:
        TemplateFileError: A definition changes a template's type.
    """
    now = store.now()
    for definition in definitions:
        existing = store.template_versions(definition.id)
        if existing and existing[-1].type != definition.type:
            raise TemplateFileError(
                f"template {definition.id} is a {existing[-1].type} template in the database,"
                f" not {definition.type}"
            )
        contents: Sequence[TemplateContent]
        if not existing:
            contents, first_version, created_at = definition.versions, 1, now
        else:
            contents = [definition.current]
            first_version, created_at = existing[-1].version + 1, existing[0].created_at
        for offset, content in enumerate(contents):
            candidate = TemplateVersion(
                id=definition.id,
                version=first_version + offset,
                type=definition.type,
                name=content.name,
                subject=content.subject,
                body=content.body,
                postage=content.postage,
                letter_contact_block=content.letter_contact_block,
                created_at=created_at,
                version_created_at=now + offset,
                created_by=definition.created_by,
                archived=definition.archived,
            )
            if existing and existing[-1].same_content(candidate):
                if existing[-1].archived != definition.archived:
                    store.set_template_archived(definition.id, definition.archived)
                continue
            store.add_template_version(candidate)


class TemplateAdmin:
    """Managing templates (a part of `Sandbox`)."""

    _templates_setting: TemplatesSetting

    def _running_store(self) -> Store:
        raise NotImplementedError

    def _load_templates(self, store: Store) -> None:
        setting = self._templates_setting
        if setting is None:
            if store.template_count() == 0:
                sync_templates(store, default_templates())
            return
        if isinstance(setting, (str, os.PathLike)):
            definitions = load_templates(setting)
        else:
            definitions = list(setting)
        sync_templates(store, definitions)

    def templates(self) -> list[TemplateVersion]:
        """The latest version of every template (archived ones included), by name."""
        found = self._running_store().latest_templates()
        return sorted(found, key=lambda t: (t.name, t.type))

    def template_versions(self, template_id: str) -> list[TemplateVersion]:
        """Every version of one template, oldest first."""
        return self._running_store().template_versions(str(uuid.UUID(template_id)))

    def add_template(
        self,
        type: str,
        name: str,
        body: str,
        subject: str | None = None,
        *,
        postage: str | None = None,
        letter_contact_block: str | None = None,
        template_id: str | None = None,
    ) -> str:
        """Add a template (version 1); return its id."""
        template_id = str(uuid.UUID(template_id)) if template_id else str(uuid.uuid4())
        entry: dict[str, Any] = {"id": template_id, "type": type, "name": name, "body": body}
        for key, value in (
            ("subject", subject),
            ("postage", postage),
            ("letter_contact_block", letter_contact_block),
        ):
            if value is not None:
                entry[key] = value
        definition = parse_templates([entry], source="add_template")[0]
        if self._running_store().template_versions(template_id):
            raise ValueError(f"a template with id {template_id} exists already")
        sync_templates(self._running_store(), [definition])
        return template_id

    def update_template(self, template_id: str, **changes: str | None) -> int:
        """Make a new version of a template with some fields changed.

        Args:
            template_id: The template.
            **changes: New values of ``name``, ``body``, ``subject``, ``postage`` or
                ``letter_contact_block``.

        Returns:
            The new version's number.

        Raises:
            ValueError: There is no such template.
            TypeError: A field that cannot be changed was given.
        """
        store = self._running_store()
        versions = store.template_versions(str(uuid.UUID(template_id)))
        if not versions:
            raise ValueError(f"no template with id {template_id}")
        latest = versions[-1]
        unknown = set(changes) - {"name", "body", "subject", "postage", "letter_contact_block"}
        if unknown:
            raise TypeError(f"cannot change {', '.join(sorted(unknown))}")
        entry: dict[str, Any] = {
            "id": latest.id,
            "type": latest.type,
            "name": latest.name,
            "body": latest.body,
            "subject": latest.subject,
            "postage": latest.postage,
            "letter_contact_block": latest.letter_contact_block,
            "archived": latest.archived,
        }
        entry.update(changes)
        definition = parse_templates([entry], source="update_template")[0]
        sync_templates(store, [definition])
        return store.template_versions(latest.id)[-1].version

    def archive_template(self, template_id: str, archived: bool = True) -> None:
        """Archive ("delete") a template: sends then fail with ``Template has been deleted``."""
        if not self._running_store().set_template_archived(str(uuid.UUID(template_id)), archived):
            raise ValueError(f"no template with id {template_id}")
