"""The request models' ``__init__`` signatures written for type checkers (under
``if TYPE_CHECKING:``) stay equal to the models' fields: same names, keyword-only, and a default
exactly where the field has one. A field added without updating the signature fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pydantic import BaseModel

import govuk_notify.models.requests as requests_module

# The request models live in the modules of the package govuk_notify.models.requests.
PACKAGE_DIR = Path(requests_module.__file__).parent
SOURCES = sorted(PACKAGE_DIR.glob("*.py"))


def _typed_inits() -> dict[str, ast.FunctionDef]:
    found: dict[str, ast.FunctionDef] = {}
    nodes = [
        node for source in SOURCES for node in ast.parse(source.read_text(encoding="utf-8")).body
    ]
    for node in nodes:
        if not isinstance(node, ast.ClassDef):
            continue
        for statement in node.body:
            if (
                isinstance(statement, ast.If)
                and isinstance(statement.test, ast.Name)
                and statement.test.id == "TYPE_CHECKING"
            ):
                for inner in statement.body:
                    if isinstance(inner, ast.FunctionDef) and inner.name == "__init__":
                        found[node.name] = inner
    return found


TYPED_INITS = _typed_inits()


def test_every_model_with_an_id_field_has_a_typed_init() -> None:
    with_ids = {
        name
        for name, model in vars(requests_module).items()
        if isinstance(model, type)
        and issubclass(model, BaseModel)
        and model.__module__.startswith(requests_module.__name__ + ".")
        and any("uuid" in repr(field.annotation).lower() for field in model.model_fields.values())
    }
    assert with_ids == {"SmsRequest", "EmailRequest", "LetterRequest", "NotificationFilters"}
    assert with_ids <= set(TYPED_INITS)


@pytest.mark.parametrize("name", sorted(TYPED_INITS))
def test_typed_init_matches_the_fields(name: str) -> None:
    model = getattr(requests_module, name)
    init = TYPED_INITS[name]
    assert [a.arg for a in init.args.args] == ["self"], "only keyword-only arguments"
    kwonly = [a.arg for a in init.args.kwonlyargs]
    assert kwonly == list(model.model_fields), "same names, in the fields' order"
    with_default = {
        a.arg for a, d in zip(init.args.kwonlyargs, init.args.kw_defaults, strict=True) if d
    }
    required = {n for n, f in model.model_fields.items() if f.is_required()}
    assert with_default == set(model.model_fields) - required
