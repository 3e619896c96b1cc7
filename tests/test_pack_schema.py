"""The pack JSON Schema: generated from the same declarations the loader validates with,
shipped as docs/pack-schema.json, and matching every shipped pack."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from gjjcalc.rules import pack_names, pack_schema

DOCS = Path(__file__).resolve().parents[1] / "docs" / "pack-schema.json"


def schema_text() -> str:
    return json.dumps(pack_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def as_json(value: Any) -> Any:
    """A parsed TOML document as JSON data (TOML dates as ISO strings, as editors see them)."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def shipped(name: str) -> Any:
    text = resources.files("gjjcalc.rules.data").joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return as_json(tomllib.loads(text))


def test_docs_pack_schema_json_is_current() -> None:
    # regenerate with: python -c "import tests.test_pack_schema as t; t.write()"
    assert DOCS.read_text(encoding="utf-8") == schema_text()


def write() -> None:  # pragma: no cover - a helper for maintainers
    DOCS.write_text(schema_text(), encoding="utf-8")


def test_the_schema_is_json_schema_2020_12_with_every_section() -> None:
    schema = pack_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    root = schema["$defs"]["PackFile"]
    assert root["required"] == ["pack"]
    assert root["additionalProperties"] is False
    assert sorted(root["properties"]) == [
        "calculator", "contribution", "eligibility", "loan", "offset", "pack", "prepayment",
        "quota", "variants", "withdrawal",
    ]
    quota = schema["$defs"]["QuotaRules"]["properties"]
    assert "region_cap" in quota
    assert "region_caps" not in quota
    months = schema["$defs"]["Constant_Months_"]
    assert months["properties"]["value"] == {
        "title": "Months", "description": "an integer from 1 to 600", "type": "integer",
        "minimum": 1, "maximum": 600,
    }
    assert months["required"] == ["value", "source"]
    # a constant is one table or an array of dated versions
    unit = quota["unit"]["anyOf"]
    assert {"$ref": "#/$defs/Constant_Money_"} in unit
    assert {"type": "array", "items": {"$ref": "#/$defs/Constant_Money_"}, "minItems": 1} in unit


@pytest.mark.parametrize("name", pack_names())
def test_every_shipped_pack_matches_the_schema(name: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(pack_schema(), format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(shipped(name)), key=str)
    assert errors == []


@pytest.mark.parametrize(
    "bad",
    [
        {"quota": {"unti": {"value": 1, "source": "x"}}},
        {"quota": {"max_term_months": {"value": 601, "source": "x"}}},
        {"quota": {"ltv": {"value": 0.8}}},
        {"prepayment": {"partial": {"hours": {"value": ["9:00"], "source": "x"}}}},
        {"quota": {"region_cap": [{"value": 1, "areas": [], "source": "x"}]}},
    ],
)
def test_the_schema_refuses_what_the_loader_refuses(bad: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    doc = {"pack": {"name": "x", "title": "X", "effective": "undated"}, **bad}
    assert not jsonschema.Draft202012Validator(pack_schema()).is_valid(doc)
