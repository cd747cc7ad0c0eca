"""The database goes away and comes back: friendly 503s meanwhile, one log line per failed
request, and the running app serves again on its own once the server is back."""

import json
import time

from tests.servers.load import SteadyLoad

PATHS = ["/authors/", "/authors/1", "/api/authors/", "/api/books/1", "/healthz"]


def test_the_app_answers_503_while_postgres_is_down_and_recovers_without_a_restart(
    throwaway_postgres, throwaway_database, migrated, gunicorn
):
    server = gunicorn(migrated(throwaway_database))

    with SteadyLoad(server, PATHS) as load:
        load.wait_for(20)
        throwaway_postgres.stop()
        try:
            load.wait_for(20)
            page = server.get("/authors/")
            health = server.get("/healthz")
            api = server.get("/api/authors/")
        finally:
            throwaway_postgres.start()
        restarted_at = time.monotonic()
        load.wait_for(60)

    # While it was down: a page for readers, JSON for the API and the health check.
    assert page[0] == 503
    assert page[1].startswith("text/html")
    assert "Please try again shortly" in page[2]
    assert health[0] == 503
    assert "error" in json.loads(health[2])
    assert api[0] == 503
    assert api[1] == "application/json"
    assert "not answering" in json.loads(api[2])["error"]

    outage = [a for a in load.answers if a.status != 200]
    assert outage, "the steady requests never saw the outage"
    assert {a.status for a in outage} == {503}

    # Back up: from the first success after the restart on, nothing fails.
    after = [a for a in load.answers if a.at >= restarted_at]
    first_success = next(i for i, a in enumerate(after) if a.status == 200)
    assert [a for a in after[first_success:] if a.status != 200] == []
    assert len(after[first_success:]) >= 40

    # One log line naming the cause for every failed request, and no traceback.
    log = server.log()
    assert "Traceback" not in log
    unavailable = [line for line in log.splitlines() if "database unavailable for GET" in line]
    assert len(unavailable) == len(outage) + 3
    assert all("connection" in line or "server" in line for line in unavailable)


def test_connections_left_stale_by_a_restart_while_idle_are_replaced(
    throwaway_postgres, throwaway_database, migrated, gunicorn
):
    """As when Neon suspends an idle compute: the pooled connections die unnoticed, and
    the requests that next take them, the very first ones included, must not fail."""
    server = gunicorn(migrated(throwaway_database))
    with SteadyLoad(server, PATHS, pause=0) as load:
        load.wait_for(40)  # both workers now hold pooled connections
    assert load.failures() == []

    throwaway_postgres.stop()
    throwaway_postgres.start()

    with SteadyLoad(server, PATHS, pause=0) as load:
        load.wait_for(40)
    assert load.failures() == []
