"""`app users …` as a person or a script runs it: a password typed at a terminal or piped in
(never the terminal then), the API's address check, and promoting an account, audited."""

import asyncio
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlmodel import col, select

from app.accounts.passwords import verify_password
from app.jobs.db import worker_session
from app.models.account import Role, User
from app.models.audit import AuditEvent, AuditKind
from tests.factories import PASSWORD, UserFactory
from tests.support.database import truncate_tables

# Each test runs `app` as a command, as a user or a script would.
pytestmark = pytest.mark.processes

APP = str(Path(sys.executable).with_name("app"))  # the project's `app` script, as `uv run app`
EMAIL = "ada@example.com"


@pytest.fixture(autouse=True)
def committed_rows(migrated_database: None) -> Iterator[None]:
    """The commands commit for real, in a process of their own: empty the tables afterwards."""
    yield
    truncate_tables()


def app(*arguments: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [APP, *arguments], input=stdin, capture_output=True, text=True, timeout=120, check=False
    )


def account(email: str) -> User | None:
    with worker_session() as session:
        return session.exec(select(User).where(col(User.email) == email)).first()


def add_account(role: Role) -> User:
    with worker_session() as session:
        user = UserFactory.build(email=EMAIL, role=role)
        session.add(user)
        session.commit()
        return user


def test_a_piped_password_is_read_once_from_the_first_line() -> None:
    created = app("users", "create", EMAIL, "--admin", stdin=f"{PASSWORD}\nsomething else\n")

    assert created.returncode == 0, created.stderr
    assert f"created admin {EMAIL}" in created.stdout
    user = account(EMAIL)
    assert user is not None
    assert user.role == Role.ADMIN
    assert user.email_verified_at is not None
    assert verify_password(PASSWORD, user.password_hash)[0]


def test_a_password_without_a_line_end_is_read_too() -> None:
    created = app("users", "create", EMAIL, stdin=PASSWORD)

    assert created.returncode == 0, created.stderr
    user = account(EMAIL)
    assert user is not None
    assert verify_password(PASSWORD, user.password_hash)[0]


@pytest.mark.parametrize("stdin", ["", "\n"], ids=["nothing", "an empty line"])
def test_no_piped_password_is_a_clear_error(stdin: str) -> None:
    created = app("users", "create", EMAIL, stdin=stdin)

    assert created.returncode == 1
    assert "Error: No password on stdin" in created.stderr
    assert "Aborted" not in created.stderr
    assert account(EMAIL) is None


def with_a_terminal(
    arguments: list[str], stdin: str
) -> tuple[subprocess.CompletedProcess[str], bytes]:
    """Run a command as in a terminal (tmux, say): a pseudo-terminal is its controlling terminal
    (`/dev/tty`), while stdin is a pipe. Returns what it wrote to the terminal too."""
    controller, terminal = pty.openpty()
    terminal_name = os.ttyname(terminal)
    os.close(terminal)

    def own_the_terminal() -> None:  # a new session's first terminal becomes its controlling one
        os.close(os.open(terminal_name, os.O_RDWR))

    try:
        result = subprocess.run(
            arguments,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,  # a process reading the terminal would wait for it forever
            check=False,
            start_new_session=True,
            preexec_fn=own_the_terminal,
        )
        try:
            written = os.read(controller, 4096)
        except OSError:  # EIO: no end of the terminal is open any more, and nothing was written
            written = b""
    finally:
        os.close(controller)
    return result, written


def test_a_piped_password_never_opens_the_terminal() -> None:
    """In a background job, as `just test` runs the browser suite, opening the terminal to ask
    for a password stops the process for good (SIGTTOU); with a pipe there is no need."""
    opens = "open('/dev/tty', 'w').write('seen')"  # the terminal is really there
    assert with_a_terminal([sys.executable, "-c", opens], "")[1] == b"seen"

    created, written = with_a_terminal([APP, "users", "create", EMAIL], f"{PASSWORD}\n")

    assert created.returncode == 0, created.stderr
    assert written == b""
    assert account(EMAIL) is not None


async def test_an_address_the_api_refuses_is_refused_with_the_same_words(
    anonymous: httpx.AsyncClient,
) -> None:
    address = "admin@acme.test"  # a special-use domain: no mail reaches it
    signup = await anonymous.post("/api/auth/signup", json={"email": address, "password": PASSWORD})
    assert signup.status_code == 422
    [problem] = signup.json()["errors"]
    assert problem["field"] == "email"
    assert problem["message"].startswith("This is not a valid email address. ")

    command = await asyncio.create_subprocess_exec(
        APP,
        "users",
        "create",
        address,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await command.communicate(f"{PASSWORD}\n".encode())

    assert command.returncode == 1
    assert stderr.decode() == f"Error: {problem['message']}\n"
    assert account(address) is None


def test_promote_makes_an_existing_member_an_admin_as_the_admin_console_would() -> None:
    member = add_account(Role.MEMBER)

    promoted = app("users", "promote", EMAIL.upper())

    assert promoted.returncode == 0, promoted.stderr
    assert promoted.stdout == f"{EMAIL} is an admin now\n"
    user = account(EMAIL)
    assert user is not None
    assert user.role == Role.ADMIN
    with worker_session() as session:
        [event] = session.exec(
            select(AuditEvent).where(col(AuditEvent.subject_id) == member.id)
        ).all()
    assert event.kind == AuditKind.ROLE_CHANGED
    assert event.actor_id is None  # the command line, not a person with an account
    assert event.details == {"old_role": "member", "new_role": "admin"}

    again = app("users", "promote", EMAIL)
    assert again.returncode == 0
    assert again.stdout == f"{EMAIL} is an admin already\n"


def test_demote_makes_an_admin_a_member_again() -> None:
    add_account(Role.ADMIN)

    demoted = app("users", "demote", EMAIL)

    assert demoted.returncode == 0, demoted.stderr
    assert demoted.stdout == f"{EMAIL} is a member now\n"
    user = account(EMAIL)
    assert user is not None
    assert user.role == Role.MEMBER


def test_promoting_an_unknown_address_is_a_clear_error() -> None:
    promoted = app("users", "promote", "nobody@example.com")

    assert promoted.returncode == 1
    assert promoted.stderr == "Error: No account has the email nobody@example.com.\n"
