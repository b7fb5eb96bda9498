"""Write the JSON Schema of every public model into a folder.

`python -m govuk_notify.schemas DIR` (`make schemas`) writes `schemas/`: one file per request,
response and callback model, with each field's type, constraints and description. The files are
documentation (the site has a page per file); the tests check they are current and valid.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter

from . import models
from .callbacks import callback_json_schemas

__all__ = ["all_schemas", "write_schemas"]

_MODELS: tuple[type[BaseModel], ...] = (
    models.SmsRequest,
    models.EmailRequest,
    models.FileUpload,
    models.LetterRequest,
    models.LetterPersonalisation,
    models.PrecompiledLetterRequest,
    models.NotificationFilters,
    models.SmsResponse,
    models.EmailResponse,
    models.LetterResponse,
    models.PrecompiledLetterResponse,
    models.SmsNotification,
    models.EmailNotification,
    models.LetterNotification,
    models.NotificationList,
    models.Template,
    models.TemplateList,
    models.TemplatePreview,
    models.ReceivedText,
    models.ReceivedTextList,
)


def _extra_schemas() -> dict[str, dict[str, Any]]:
    schemas: dict[str, dict[str, Any]] = {
        "Notification": TypeAdapter(models.Notification).json_schema(),
    }
    schemas.update(callback_json_schemas())
    return schemas


def all_schemas() -> dict[str, dict[str, Any]]:
    """Every public model's JSON Schema (draft 2020-12).

    Returns:
        The schemas by file name stem (`SmsRequest`, `Notification`, `DeliveryReceipt`...), in
        name order, each with a `title` and `$schema`.
    """
    schemas = {model.__name__: model.model_json_schema() for model in _MODELS}
    schemas.update(_extra_schemas())
    for name, schema in schemas.items():
        schema.setdefault("title", name)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return dict(sorted(schemas.items()))


def render(schema: dict[str, Any]) -> str:
    """The text of one schema file: indented JSON with sorted keys and a final newline.

    Args:
        schema: A JSON Schema.

    Returns:
        The file's content, stable from run to run so that diffs show real changes.
    """
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write one `<Model>.json` per model, and remove the files of models that are gone.

    Args:
        folder: Where to write; made if missing.

    Returns:
        The paths written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    schemas = all_schemas()
    written = []
    for name, schema in schemas.items():
        path = folder / f"{name}.json"
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    for old in folder.glob("*.json"):
        if old.stem not in schemas:
            old.unlink()
    return written


def main(argv: list[str] | None = None) -> int:
    """Write the schemas from the command line: `python -m govuk_notify.schemas [DIR]`.

    Args:
        argv: The arguments; the first is the folder (`schemas` when absent).

    Returns:
        The exit status, 0.
    """
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0] if args else "schemas")
    paths = write_schemas(folder)
    print(f"wrote {len(paths)} schemas to {folder}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
