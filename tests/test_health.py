"""/healthz tells a monitor whether the database answers."""


def test_healthy_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_unavailable_when_the_database_does_not(make_app, unreachable_postgres_url, caplog):
    app = make_app(unreachable_postgres_url)

    response = app.test_client().get("/healthz")

    assert response.status_code == 503
    assert "not answering" in response.get_json()["error"]
    [record] = [r for r in caplog.records if "database unavailable" in r.getMessage()]
    assert "GET /healthz" in record.getMessage()
    assert record.exc_info is None


def test_pages_are_a_friendly_503_when_the_database_does_not_answer(
    make_app, unreachable_postgres_url
):
    app = make_app(unreachable_postgres_url)

    response = app.test_client().get("/authors/")

    assert response.status_code == 503
    assert response.mimetype == "text/html"
    assert "Please try again shortly" in response.get_data(as_text=True)
