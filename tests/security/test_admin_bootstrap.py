"""The first admin from O2C_ADMIN_USERNAME and O2C_ADMIN_PASSWORD: created at start-up also when
the demo's admin exists (`make run` with both set), never with a weak password, and whatever
happens the start-up output says so without printing the password."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import Session

from activities.security.users import authenticate, create_user
from models.security.users import Role, UserCreate
from o2c.bootstrap import ensure_admin, upgrade_database
from o2c.db import engine_for
from o2c.devstack import prepare_database
from o2c.settings import Settings
from tests.support.settings import make_settings

STRONG = "granite-lantern-sofa-19"


def stack_settings(tmp_path: Path, username: str | None, password: str | None) -> Settings:
    return make_settings(tmp_path, admin_username=username, admin_password=password)


def test_make_run_creates_the_configured_admin_beside_the_demo_admin(tmp_path: Path) -> None:
    engine, lines = prepare_database(stack_settings(tmp_path, "boss", STRONG))

    assert "created admin 'boss'" in lines
    assert any("demo data loaded" in line for line in lines)
    with Session(engine) as session:
        boss = authenticate(session, "boss", STRONG)
        assert boss is not None and boss.role_set == {Role.ADMIN}


def test_the_next_start_leaves_the_configured_admin_alone(tmp_path: Path) -> None:
    settings = stack_settings(tmp_path, "boss", STRONG)
    prepare_database(settings)

    _, lines = prepare_database(settings.model_copy(update={"admin_password": "other-pw-99-xyz"}))

    assert lines == []
    with Session(prepare_database(settings)[0]) as session:
        assert authenticate(session, "boss", STRONG) is not None
        assert authenticate(session, "boss", "other-pw-99-xyz") is None


def test_a_weak_configured_password_is_refused_and_the_output_says_why(tmp_path: Path) -> None:
    engine, lines = prepare_database(stack_settings(tmp_path, "boss", "password1234"))

    refusal = [line for line in lines if "boss" in line]
    assert refusal and "not created" in refusal[0] and "common" in refusal[0]
    assert not any("password1234" in line for line in lines)
    with Session(engine) as session:
        assert authenticate(session, "boss", "password1234") is None


def test_naming_a_demo_user_does_not_make_it_an_admin(tmp_path: Path) -> None:
    engine, lines = prepare_database(stack_settings(tmp_path, "sales", STRONG))

    assert any("'sales' exists but is no active admin" in line for line in lines)
    with Session(engine) as session:
        assert authenticate(session, "sales", STRONG) is None


def test_only_one_of_the_two_settings_is_reported_while_no_admin_exists(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, admin_username="boss", admin_password=None)
    upgrade_database(settings.sqlalchemy_url)
    engine = engine_for(settings.sqlalchemy_url)

    assert "go together" in ensure_admin(engine, settings)

    with Session(engine) as session, session.begin():
        create_user(session, UserCreate(username="root", password=STRONG, roles=[Role.ADMIN]))
    assert ensure_admin(engine, settings) == "admin present"  # compose's name, no password


def test_the_cli_refuses_a_common_password_without_printing_it(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    upgrade_database(settings.sqlalchemy_url)
    env = {**os.environ, "O2C_DATA_DIR": str(tmp_path), "O2C_NEW_PASSWORD": "password1234"}
    o2c = str(Path(sys.executable).parent / "o2c")  # the installed command
    cli = [o2c, "users", "create", "boss", "--role", "admin"]

    done = subprocess.run(cli, env=env, capture_output=True, text=True, timeout=120)

    assert done.returncode == 1
    assert "boss not created" in done.stderr and "common" in done.stderr
    assert "password1234" not in done.stdout + done.stderr
