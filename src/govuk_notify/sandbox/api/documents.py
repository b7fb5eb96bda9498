"""Files sent by email: checking and storing them, and serving them at their link.

The checks follow document-download-api: base64, size, filename extension, and the file's type
as sniffed from its content.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Mapping
from typing import Any, Final

from ...validation.files import (
    ALLOWED_FILE_EXTENSIONS,
    MAX_DOCUMENT_SIZE,
    MAX_FILENAME_LENGTH,
    retention_weeks,
    unsupported_file_type_message,
)
from ..schema_files import validate_file_object
from ..schemas import is_valid_uuid
from ..store import StoredDocument
from .base import ApiBase, Ctx
from .http import (
    NOT_FOUND_MESSAGE,
    LegacyError,
    Request,
    Response,
    V2Error,
    bad_request,
)

__all__ = ["DocumentsMixin", "sniff_mime"]

_MIME_BY_EXTENSION: Final[Mapping[str, str]] = {
    "pdf": "application/pdf",
    "csv": "text/csv",
    "txt": "text/plain",
    "json": "application/json",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "rtf": "text/rtf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
_ALLOWED_MIME_TYPES: Final = frozenset({*_MIME_BY_EXTENSION.values(), "application/rtf"})
_ZIP_BASED: Final = frozenset({"docx", "xlsx", "odt"})


def sniff_mime(content: bytes) -> str:
    """A file's type from its first bytes (what libmagic would say, for the allowed types)."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"{\\rtf"):
        return "text/rtf"
    if content.startswith(b"PK\x03\x04"):
        return "application/zip"
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/msword"
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    if "\x00" in text:
        return "application/octet-stream"
    try:
        json.loads(text)
    except ValueError:
        return "text/plain"
    return "application/json" if text.lstrip()[:1] in ("{", "[") else "text/plain"


def _unsupported_file_type(what: str) -> V2Error:
    return bad_request(unsupported_file_type_message(what))


class DocumentsMixin(ApiBase):
    """Files in email personalisation, and ``GET /sandbox/documents/<id>``."""

    def _process_files(
        self,
        ctx: Ctx,
        notification_id: str,
        personalisation: dict[str, Any],
        simulated: bool,
    ) -> tuple[dict[str, Any], list[StoredDocument]]:
        file_keys = [
            key for key, value in personalisation.items()
            if isinstance(value, dict) and "file" in value
        ]  # fmt: skip
        if not file_keys:
            return personalisation, []
        for key in file_keys:
            messages = validate_file_object(personalisation[key])
            if messages:
                raise bad_request(messages[0])
        if not self.settings.contact_link:
            raise bad_request(
                "Send files by email has not been set up - add contact details for your service "
                f"at {self.settings.admin_url}/services/{self.service_id}"
                "/service-settings/send-files-by-email"
            )
        result = dict(personalisation)
        documents: list[StoredDocument] = []
        for key in file_keys:
            if simulated:
                result[key] = f"{ctx.host}/sandbox/documents/test-document"
                continue
            document = self._upload_document(ctx, notification_id, key, personalisation[key])
            documents.append(document)
            result[key] = document.url
        return result, documents

    def _upload_document(
        self, ctx: Ctx, notification_id: str, key: str, spec: Mapping[str, Any]
    ) -> StoredDocument:
        try:
            content = base64.b64decode(spec["file"])
        except (binascii.Error, ValueError):
            raise bad_request("Document is not base64 encoded") from None
        if not content:
            raise bad_request("Document must not be empty")
        if len(content) > MAX_DOCUMENT_SIZE:
            raise bad_request("Uploaded file exceeds file size limit")
        filename: str | None = spec.get("filename")
        sniffed = sniff_mime(content)
        if filename is not None:
            if len(filename) > MAX_FILENAME_LENGTH:
                raise bad_request("`filename` cannot be longer than 100 characters")
            extension = filename.rsplit(".", 1)[-1].lower()
            if extension not in ALLOWED_FILE_EXTENSIONS:
                raise _unsupported_file_type(f".{extension}")
            mime = _MIME_BY_EXTENSION[extension]
            # libmagic calls Office and OpenDocument files zip archives; the sniffer here too
            zip_document = sniffed == "application/zip" and extension in _ZIP_BASED
            if sniffed != mime and sniffed not in _ALLOWED_MIME_TYPES and not zip_document:
                raise _unsupported_file_type(sniffed)
        else:
            mime = sniffed
            if mime == "text/plain" and spec.get("is_csv") is True:
                mime = "text/csv"
            if mime not in _ALLOWED_MIME_TYPES:
                raise _unsupported_file_type(mime)
        # The schema check has already refused any other retention period.
        number = retention_weeks(spec.get("retention_period") or "26 weeks")
        confirm = spec.get("confirm_email_before_download")
        document_id = str(uuid.uuid4())
        return StoredDocument(
            id=document_id,
            notification_id=notification_id,
            personalisation_key=key,
            filename=filename,
            mime_type=mime,
            content=content,
            retention_period=f"{number} weeks",
            confirm_email_before_download=confirm is not False,
            url=f"{ctx.host}/sandbox/documents/{document_id}",
            created_at=self.store.now(),
        )

    def _get_document(
        self, request: Request, ctx: Ctx | None, params: Mapping[str, str]
    ) -> Response:
        document_id = params["document_id"]
        if document_id == "test-document":
            return Response(200, b"sandbox test document\n", content_type="text/plain")
        document = self.store.document(document_id) if is_valid_uuid(document_id) else None
        if document is None:
            raise LegacyError(404, NOT_FOUND_MESSAGE)
        response = Response(200, document.content, content_type=document.mime_type)
        if document.filename:
            safe = document.filename.replace('"', "")
            response.headers.append(("Content-Disposition", f'attachment; filename="{safe}"'))
        return response
