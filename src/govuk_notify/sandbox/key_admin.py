"""The sandbox's API keys: its own three, and keys added, revoked or deleted while running.

`KeyAdmin` is the part of `Sandbox` that manages API keys.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Final

from .api import NotifyApi
from .auth import KeyRecord
from .records import ApiKeys
from .sent import KEY_TYPES, stored_key_type
from .store import Store

__all__ = ["KeyAdmin", "ensure_default_keys"]

DEFAULT_KEY_NAMES: Final = {
    "normal": "sandbox_live",
    "team": "sandbox_team",
    "test": "sandbox_test",
}
"""The names of the sandbox's own keys, by stored key type."""


def _new_secret() -> str:
    return str(uuid.UUID(bytes=secrets.token_bytes(16), version=4))


def ensure_default_keys(store: Store, service_id: str) -> ApiKeys:
    """The sandbox's own live, team and test keys, adding to the store those it lacks.

    A key counts as the sandbox's own if it is not revoked and has the default name for its type.

    Args:
        store: The sandbox's store.
        service_id: The service's id (a part of every key string).

    Returns:
        The three whole key strings.
    """
    found: dict[str, str] = {}
    for key in store.api_keys():
        if key.revoked or key.name != DEFAULT_KEY_NAMES[key.key_type]:
            continue
        found.setdefault(key.key_type, f"{key.name}-{service_id}-{key.secret}")
    for key_type, name in DEFAULT_KEY_NAMES.items():
        if key_type not in found:
            secret = _new_secret()
            store.add_api_key(KeyRecord(str(uuid.uuid4()), name, key_type, secret))
            found[key_type] = f"{name}-{service_id}-{secret}"
    return ApiKeys(live=found["normal"], team=found["team"], test=found["test"])


class KeyAdmin:
    """Managing API keys (a part of `Sandbox`)."""

    _api_keys: ApiKeys | None

    def _running_store(self) -> Store:
        raise NotImplementedError

    def _running_api(self) -> NotifyApi:
        raise NotImplementedError

    @property
    def api_keys(self) -> ApiKeys:
        """The sandbox's own live, team and test keys (kept in the database).

        Raises:
            RuntimeError: The sandbox is not running.
        """
        if self._api_keys is None:
            raise RuntimeError("the sandbox is not running")
        return self._api_keys

    def create_api_key(self, key_type: str = "live", name: str = "sandbox_extra") -> str:
        """Add a key to the service.

        Args:
            key_type: ``live`` (or ``normal``), ``team`` or ``test``.
            name: The key's name (the first part of the key string).

        Returns:
            The whole key string, as a client takes it.

        Raises:
            ValueError: ``key_type`` is not one of those.
            RuntimeError: The sandbox is not running.
        """
        store = self._running_store()
        secret = _new_secret()
        store.add_api_key(KeyRecord(str(uuid.uuid4()), name, stored_key_type(key_type), secret))
        api = self._running_api()
        api.keys_changed()
        return f"{name}-{api.service_id}-{secret}"

    def _find_key(self, key: str) -> KeyRecord:
        store = self._running_store()
        keys = store.api_keys()
        wanted = (self.api_keys.for_type(key) if key in KEY_TYPES else key)[-36:]
        for record in keys:
            if record.secret == wanted:
                return record
        raise ValueError("no such API key in this sandbox")

    def revoke_api_key(self, key: str) -> None:
        """Revoke a key: tokens it signs then get 403 ``Invalid token: API key revoked``.

        Args:
            key: A whole key string, or ``live``/``team``/``test`` for the sandbox's own.

        Raises:
            ValueError: The sandbox has no such key.
            RuntimeError: The sandbox is not running.
        """
        record = self._find_key(key)
        self._running_store().revoke_api_key(record.id)
        self._running_api().keys_changed()

    def delete_api_key(self, key: str) -> None:
        """Remove a key altogether: tokens it signs then get ``API key not found``.

        Args:
            key: A whole key string, or ``live``/``team``/``test`` for the sandbox's own.

        Raises:
            ValueError: The sandbox has no such key.
            RuntimeError: The sandbox is not running.
        """
        record = self._find_key(key)
        self._running_store().delete_api_key(record.id)
        self._running_api().keys_changed()
