"""What curators' accounts cost: `python -m bench.sign_in` from the project root.

1. How long the sign-in form takes to answer a wrong password, an unknown email and a
   disabled account, in interleaved rounds through Flask's test client: the medians
   should match, so that the time says nothing of which emails have accounts.
2. What the sign-in limiter's hooks add to an anonymous read (/authors/), against the
   same app with them taken out, in interleaved rounds of CPU time.

On SQLite in a temporary folder, or on the PostgreSQL that BENCH_DATABASE_URL names (its
public schema is dropped and rebuilt). bench/FINDINGS.md has the figures.
"""

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

import flask_migrate
from sqlalchemy import create_engine, text

from bookshelf import create_app
from bookshelf.accounts.models import User
from bookshelf.accounts.passwords import hash_password
from bookshelf.accounts.sessions import new_session_token
from bookshelf.accounts.sign_in_limits import BLUEPRINT, is_the_limiters
from bookshelf.extensions import db
from bookshelf.seeding.sample_shelf import seed_sample_shelf
from config import TestingConfig, normalise_database_url
from tests.conftest import csrf_token_on

PASSWORD = "a quiet shelf of paper"
ATTEMPTS = {
    "wrong password": ("curator@bookshelf.example", "not the password"),
    "unknown email": ("nobody@bookshelf.example", "not the password"),
    "disabled account": ("disabled@bookshelf.example", PASSWORD),
}


def make_app(database_url: str | None, folder: Path):
    if database_url:
        engine = create_engine(normalise_database_url(database_url))
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app(TestingConfig(database_url or f"sqlite:///{folder / 's.sqlite'}", folder))
    app.config["SIGN_IN_LIMIT_PER_CLIENT"] = "1000000 per minute"
    app.config["SIGN_IN_LIMIT_PER_ACCOUNT"] = "1000000 per hour"
    with app.app_context():
        flask_migrate.upgrade()
        seed_sample_shelf(db.session)
        for email, disabled in (("curator@", False), ("disabled@", True)):
            db.session.add(
                User(
                    email=email + "bookshelf.example",
                    password_hash=hash_password(PASSWORD),
                    disabled=disabled,
                    session_token=new_session_token(),
                )
            )
        db.session.commit()
    return app


def sign_in_times(app, rounds: int) -> dict[str, list[float]]:
    """Seconds per answer, round by round, each kind of attempt once a round in a shuffled
    order; the first round is left out (it warms the caches)."""
    client = app.test_client()
    token = csrf_token_on(client.get("/login").get_data(as_text=True))
    order = random.Random(1)
    times = {kind: [] for kind in ATTEMPTS}
    for round_number in range(rounds + 1):
        for kind in order.sample(list(ATTEMPTS), len(ATTEMPTS)):
            email, password = ATTEMPTS[kind]
            form = {"csrf_token": token, "email": email, "password": password}
            started = time.perf_counter()
            response = client.post("/login", data=form)
            elapsed = time.perf_counter() - started
            assert response.status_code == 422, response.status_code
            if round_number:
                times[kind].append(elapsed)
    return times


def milliseconds(values: list[float]) -> str:
    """The median, and the lowest and highest, in milliseconds."""
    low, median, high = (1000 * f(values) for f in (min, statistics.median, max))
    return f"{median:6.1f} ({low:.1f} to {high:.1f})"


LIMITER_HOOKS = ("before_request_funcs", "after_request_funcs", "teardown_request_funcs")


def without_the_limiter(app) -> None:
    """Take every request hook of Flask-Limiter's out of `app`."""
    for registry in LIMITER_HOOKS:
        hooks = getattr(app, registry)
        for scope, functions in hooks.items():
            hooks[scope] = [hook for hook in functions if not is_the_limiters(hook)]


def with_the_limiter_on_every_request(app) -> None:
    """Put Flask-Limiter's hooks back where its init_app puts them: on every request."""
    for registry in LIMITER_HOOKS:
        hooks = getattr(app, registry)
        moved = [hook for hook in hooks.get(BLUEPRINT, []) if is_the_limiters(hook)]
        hooks[BLUEPRINT] = [hook for hook in hooks.get(BLUEPRINT, []) if hook not in moved]
        hooks[None] = [*hooks[None], *moved]


def cpu_per_read(app, requests: int) -> float:
    client = app.test_client()
    started = time.process_time()
    for _ in range(requests):
        assert client.get("/authors/").status_code == 200
    return (time.process_time() - started) / requests


def read_costs(database_url: str | None, folder: Path, rounds: int) -> dict[str, list[float]]:
    """Per round, CPU per anonymous read as shipped and with the limiter's hooks on every
    request, each as a ratio to the same app without the limiter at all."""
    without = make_app(database_url, folder / "without")
    without_the_limiter(without)
    apps = {
        "as shipped": make_app(database_url, folder / "shipped"),
        "on every request": make_app(database_url, folder / "everywhere"),
    }
    with_the_limiter_on_every_request(apps["on every request"])
    for app in (without, *apps.values()):
        cpu_per_read(app, 200)  # warm up
    ratios = {name: [] for name in apps}
    for _ in range(rounds):
        for name, app in apps.items():
            ratios[name].append(cpu_per_read(app, 300) / cpu_per_read(without, 300))
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40, help="rounds of sign-in attempts")
    parser.add_argument("--read-rounds", type=int, default=15, help="rounds of 300 reads")
    arguments = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        times = sign_in_times(make_app(database_url, folder), arguments.rounds)
        print(f"Sign-in answers, {arguments.rounds} rounds, ms: median (lowest to highest)")
        for kind, seconds in times.items():
            print(f"  {kind:<17} {milliseconds(seconds)}")
        print("Less the wrong password's time in the same round:")
        for kind, seconds in times.items():
            differences = [a - b for a, b in zip(seconds, times["wrong password"], strict=True)]
            if kind != "wrong password":
                print(f"  {kind:<17} {milliseconds(differences)}")
        ratios = read_costs(database_url, folder, arguments.read_rounds)
        print("CPU per /authors/ signed out, against no limiter at all, median (lowest-highest):")
        for name, values in ratios.items():
            print(
                f"  hooks {name:<17} {statistics.median(values):.3f}"
                f" ({min(values):.3f}-{max(values):.3f})"
            )


if __name__ == "__main__":
    main()
