"""schemas/ holds one current, valid JSON Schema per public model."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from govuk_notify.schemas import all_schemas, render

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
CURRENT = all_schemas()


def test_every_model_has_a_committed_schema_and_nothing_else() -> None:
    committed = {path.stem for path in SCHEMAS.glob("*.json")}
    assert committed == set(CURRENT), "run `make schemas` and commit schemas/"
    assert {"SmsRequest", "EmailRequest", "Notification", "Template", "ReceivedText"} <= committed


@pytest.mark.parametrize("name", sorted(CURRENT))
def test_committed_schema_is_current(name: str) -> None:
    committed = (SCHEMAS / f"{name}.json").read_text(encoding="utf-8")
    assert committed == render(CURRENT[name]), f"schemas/{name}.json is stale: run `make schemas`"


@pytest.mark.parametrize("name", sorted(CURRENT))
def test_schema_passes_the_metaschema(name: str) -> None:
    schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["title"]


def test_request_schema_describes_what_the_model_accepts() -> None:
    schema = CURRENT["SmsRequest"]
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"phone_number", "template_id"}
    validator = jsonschema.Draft202012Validator(schema)
    good = {"phone_number": "07700900123", "template_id": "f33517ff-2a88-4f6e-b855-c550268ce08a"}
    assert validator.is_valid(good)
    assert not validator.is_valid({**good, "phone_numbr": "x"})
    assert not validator.is_valid({**good, "reference": "x" * 1001})
