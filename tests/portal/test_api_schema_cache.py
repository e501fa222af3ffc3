"""The OpenAPI schema is generated once per process and language, then served as is."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

from portal.api.schema import SchemaView

pytestmark = pytest.mark.django_db


def test_the_schema_is_generated_once_per_language_and_served_the_same(client, monkeypatch):
    monkeypatch.setattr(SchemaView, "_generated", {})
    generated = []
    real = SchemaGenerator.get_schema

    def get_schema(self, *args, **kwargs):
        generated.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", get_schema)

    first = client.get("/api/schema/?format=json")
    again = client.get("/api/schema/?format=json")
    chinese = client.get("/api/schema/?format=json&lang=zh-hant")
    chinese_again = client.get("/api/schema/?format=json&lang=zh-hant")

    assert [r.status_code for r in (first, again, chinese, chinese_again)] == [200] * 4
    assert len(generated) == 2  # one per language
    assert first.json() == again.json() and chinese.json() == chinese_again.json()
    assert "/api/v1/premises/" in first.json()["paths"]
    assert chinese["Content-Disposition"] == first["Content-Disposition"]
