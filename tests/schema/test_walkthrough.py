"""The README's schema walkthrough, followed as written on a copy of the project: it ends
with the linters of `make lint` and the migration checks of `make test` passing.

The steps' code is read from the README itself, so the two cannot drift apart. The copy
runs on an SQLite file of its own, with this interpreter and the tools beside it.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from bookshelf import PROJECT_ROOT
from tests.conftest import POSTGRES_URL, reset_postgres

VENV_BIN = Path(sys.executable).parent
FLASK = ".venv/bin/flask"


def walkthrough_code_blocks() -> list[tuple[str, str]]:
    """The (language, code) of each fenced block in the README's numbered steps under
    "Changing the schema", before its first subsection."""
    readme = (PROJECT_ROOT / "README.md").read_text()
    section = readme.split("\n## Changing the schema\n", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(r"^( *)```(\w+)\n(.*?)^\1```$", section, re.MULTILINE | re.DOTALL)
    return [(language, textwrap.dedent(code)) for _, language, code in blocks]


def copy_project(destination: Path) -> None:
    """The project's files as they are now, new ones not yet committed included; not what
    git ignores (.venv, the instance folder)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    for name in filter(None, listed.split("\0")):
        if not (PROJECT_ROOT / name).is_file():
            continue  # deleted, not yet committed
        (destination / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PROJECT_ROOT / name, destination / name)


def insert_after(path: Path, anchor: str, code: str, indent: str) -> None:
    text = path.read_text()
    assert text.count(anchor) == 1, f"{anchor!r} in {path.name}"
    path.write_text(text.replace(anchor, anchor + textwrap.indent(code, indent)))


def test_the_readme_walkthrough_ends_with_lint_and_migration_checks_passing(tmp_path):
    blocks = walkthrough_code_blocks()
    assert [language for language, _ in blocks] == ["python", "sh", "python", "sh", "sh"]
    [model, migrate, waiver, rehearse, upgrade_and_check] = [code for _, code in blocks]
    project = tmp_path / "project"
    project.mkdir()
    copy_project(project)
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DATABASE_DIRECT_URL", "DATABASE_REHEARSAL_URL", "PYTEST_ADDOPTS")
    } | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'walkthrough.sqlite'}",
        "INSTANCE_PATH": str(tmp_path / "instance"),
    }

    def run(*command, database_url: str | None = None) -> str:
        env = environment | ({"DATABASE_URL": database_url} if database_url else {})
        result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
        output = result.stdout + result.stderr
        assert result.returncode == 0, f"{shlex.join(map(str, command))}:\n{output}"
        return output

    def run_readme_lines(block: str, database_url: str | None = None) -> list[str]:
        outputs = []
        for line in block.splitlines():
            command = shlex.split(line, comments=True)
            assert command[0] == FLASK, line
            outputs.append(
                run(sys.executable, "-m", "flask", *command[1:], database_url=database_url)
            )
        return outputs

    revisions = project / "migrations" / "versions"
    shipped = set(revisions.iterdir())
    run(sys.executable, "-m", "flask", "db", "upgrade")  # where `make run` leaves the database
    if POSTGRES_URL:  # and a PostgreSQL shelf to rehearse on
        reset_postgres(POSTGRES_URL)
        run(sys.executable, "-m", "flask", "db", "upgrade", database_url=POSTGRES_URL)
        run(sys.executable, "-m", "flask", "seed", database_url=POSTGRES_URL)

    insert_after(
        project / "bookshelf" / "catalogue" / "models.py",
        '    __tablename__ = "books"\n',
        model,
        indent="    ",
    )
    [migrate_output] = run_readme_lines(migrate)
    # Alembic's logging and the post-write hooks' output, none of which may read like a failure.
    assert "error" not in migrate_output.lower(), migrate_output
    [revision] = set(revisions.iterdir()) - shipped
    insert_after(revision, "def upgrade():\n", waiver, indent="    ")
    if POSTGRES_URL:
        [rehearsal] = run_readme_lines(rehearse, database_url=POSTGRES_URL)
        assert "add-published-year-to-book" in rehearsal and "Passed." in rehearsal, rehearsal
    run_readme_lines(upgrade_and_check)

    run(VENV_BIN / "ruff", "check", "--no-cache", ".")
    run(VENV_BIN / "ruff", "format", "--no-cache", "--check", ".")
    # `make lint`'s squawk step, with its tools and output outside the shared virtualenv's
    # reach: the virtualenv is taken as installed, and the SQL goes to tmp_path.
    migration_sql = tmp_path / "migration-sql"
    venv = VENV_BIN.parent
    run(
        "make",
        "--no-print-directory",
        f"VENV={venv}",
        f"MIGRATION_SQL={migration_sql}",
        f"--assume-old={venv}/.installed-dev",
        "lint-migrations",
    )
    # Squawk read the new revision, and passed it for its waiver, not for a rule switched
    # off: without the waiver, it flags every rule the waiver names.
    [revision_id] = re.findall(r'^revision = "(\w+)"$', revision.read_text(), re.MULTILINE)
    sql = (migration_sql / f"{revision_id}.sql").read_text()
    column = model.split(":")[0]
    assert f"ADD COLUMN {column} " in sql
    [waived] = re.findall(r"squawk-ignore-file ([\w-]+(?:, [\w-]+)*)", waiver)
    unwaived = tmp_path / "unwaived.sql"
    unwaived.write_text(re.sub(r"^-- squawk-ignore-file .*$", "", sql, flags=re.MULTILINE))
    squawk = subprocess.run(
        [VENV_BIN / "squawk", "--reporter", "json", unwaived],
        cwd=project,
        capture_output=True,
        text=True,
    )
    flagged = {finding["rule_name"] for finding in json.loads(squawk.stdout)}
    assert set(waived.split(", ")) <= flagged

    # `make test`'s migration checks, on SQLite, and on PostgreSQL when it is given.
    pytest_output = run(
        sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests/schema/test_migrations.py"
    )
    if POSTGRES_URL:
        assert "skipped" not in pytest_output.lower(), pytest_output
