"""The `o2c` command: run the whole embedded stack, or one part of a production deployment."""

from __future__ import annotations

import asyncio
import getpass
import logging
from typing import Annotated

import typer
import uvicorn
from pydantic import ValidationError

from activities.security.audit_chain import verify_chain
from activities.security.users import create_user
from activities.transaction import run_command
from models.security.users import Role, UserCreate
from o2c import imports_cli
from o2c.bootstrap import broken_rules, ensure_admin, upgrade_database
from o2c.db import engine_for
from o2c.heap import settle_heap
from o2c.keys import keys_app, start_with_data_keys
from o2c.settings import get_settings

app = typer.Typer(help="o2c: order-to-cash on Temporal.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
users_app = typer.Typer(help="Users and roles.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
imports_cli.register(app)
app.add_typer(keys_app, name="keys")
app.callback()(start_with_data_keys)


@app.command()
def run() -> None:
    """Start everything on this machine: Temporal dev server, SMTP catcher, worker, API."""
    try:
        from o2c.devstack import run_dev_stack
    except KeyboardInterrupt:  # Ctrl-C while loading: nothing started yet
        raise typer.Exit(130) from None
    raise typer.Exit(run_dev_stack(get_settings()))


@app.command()
def api() -> None:
    """Serve the HTTP API and web pages (production: run behind a proxy, scale out freely)."""
    from api.main import create_app

    settings = get_settings()
    typer.echo(ensure_admin(engine_for(settings.sqlalchemy_url), settings))
    served = create_app(settings)
    settle_heap()  # all loaded and built: kept out of the collector's full passes
    uvicorn.run(served, host=settings.api_host, port=settings.api_port)


@app.command()
def worker() -> None:
    """Run a Temporal worker with every workflow and activity (scale out freely)."""
    from o2c.temporal import connect
    from o2c.worker import run_worker

    logging.basicConfig(level=logging.INFO)
    settings = get_settings()

    async def main() -> None:
        client = await connect(settings)
        await run_worker(client, engine_for(settings.sqlalchemy_url), settings)

    asyncio.run(main())


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration to the configured database."""
    settings = get_settings()
    upgrade_database(settings.sqlalchemy_url)
    typer.echo(f"database at the latest schema: {settings.sqlalchemy_url.split('@')[-1]}")


@users_app.command("create")
def users_create(
    username: str,
    role: Annotated[list[Role], typer.Option("--role", "-r", help="Repeat for several roles.")],
    email: Annotated[str | None, typer.Option(help="E-mail address.")] = None,
    password: Annotated[
        str | None, typer.Option(help="Asked for when not given.", envvar="O2C_NEW_PASSWORD")
    ] = None,
) -> None:
    """Create a user with the given roles."""
    secret = password or getpass.getpass(f"password for {username}: ")
    try:
        data = UserCreate(username=username, password=secret, roles=role, email=email)
    except ValidationError as exc:
        typer.echo(f"{username} not created: {broken_rules(exc)}", err=True)
        raise typer.Exit(1) from None
    created = run_command(engine_for(get_settings().sqlalchemy_url), create_user, data)
    typer.echo(f"created {created.username} ({', '.join(created.roles)})")


@audit_app.command("verify")
def audit_verify() -> None:
    """Prove the audit trail's hash chain unbroken, or name the first row where it breaks."""
    check = run_command(engine_for(get_settings().sqlalchemy_url), verify_chain)
    if check.intact:
        typer.echo(f"audit trail intact: {check.rows} events, every hash follows")
        return
    typer.echo(
        f"audit trail BROKEN at event {check.broken_at}: {check.reason}"
        f" ({check.rows} events before it are intact)",
        err=True,
    )
    raise typer.Exit(1)


@app.command("demo-data")
def demo_data() -> None:
    """Load demo customers, products, stock and one user per role (once)."""
    from o2c.demo import load_demo_data

    settings = get_settings()
    engine = engine_for(settings.sqlalchemy_url)  # makes the SQLite folder
    upgrade_database(settings.sqlalchemy_url)
    for line in load_demo_data(engine):
        typer.echo(line)
