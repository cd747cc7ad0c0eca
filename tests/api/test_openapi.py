"""The JSON API keeps to its OpenAPI document, checked by schemathesis on both backends."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings


@pytest.fixture
def api_schema(app, add_author):
    add_author("Ursula K. Le Guin", country="United States", books=["The Dispossessed"])
    add_author('<b>Markup</b> & "quotes"', bio="Line one\nline two")
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_as_documented(case):
    """No server error, and every status, header and body matches the document."""
    case.call_and_validate()


def test_the_document_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert set(document["paths"]) == {
        "/api/authors/",
        "/api/books/{author_id}",
        "/api/search",
        "/healthz",
    }
