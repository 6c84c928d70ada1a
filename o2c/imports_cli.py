"""`o2c import KIND FILE`, `o2c import-template KIND OUT`, `o2c export KIND OUT`: customers,
products, stock, price lists, open invoices and orders from the old system (one kind, or `all`:
a workbook with a sheet per kind), with a progress bar, every bad row listed, nothing written
unless every row is good; a run a crash stopped goes on when run again; and back out in the
same files."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from activities.imports.exports import export_file
from activities.imports.interrupted import resumable_job
from activities.imports.jobs import committed_kinds, open_job, run_import
from activities.imports.progress import RUNNING, Progress
from activities.imports.reading import ImportFile, file_sha256
from activities.imports.templates import template_xlsx
from activities.transaction import run_command
from models.imports.jobs import ImportJobPublic, ImportStatus
from models.imports.kinds import ImportKind, JobKind
from o2c.db import engine_for
from o2c.settings import get_settings


def import_file(
    kind: Annotated[
        JobKind, typer.Argument(help="What the file holds; all: a workbook, a sheet per kind.")
    ],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".csv or .xlsx")],
    dry_run: Annotated[bool, typer.Option(help="Check every row, write nothing.")] = False,
    as_of: Annotated[
        str | None, typer.Option(help="Business date (YYYY-MM-DD); default today.")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="CSV encoding: utf-8, gb18030, big5 (default: detected).")
    ] = None,
    user: Annotated[str, typer.Option(help="Who runs the import (audit trail).")] = "system",
) -> None:
    """Import a file: check every row first, then write each kind in one transaction. Run
    again after a crash, it goes on after the kinds already committed."""
    settings = get_settings()
    engine = engine_for(settings.sqlalchemy_url)
    sha256 = file_sha256(file)
    job = None if dry_run else run_command(engine, resumable_job, kind.value, sha256)
    if job is not None:
        done = ", ".join(committed_kinds(job.steps))
        typer.echo(f"resuming import {job.id}: {done} committed before; going on with the rest")
    else:
        job = run_command(
            engine,
            open_job,
            kind=kind,
            file_name=file.name,
            file_sha256=sha256,
            user=user,
            dry_run=dry_run,
            as_of=date.fromisoformat(as_of) if as_of else date.today(),
        )
    source = ImportFile(file, file.name, encoding, settings.import_max_bytes)
    progress = RUNNING.setdefault(job.id, Progress())
    result: list[ImportJobPublic] = []
    worker = threading.Thread(
        target=lambda: result.append(
            run_import(engine, job.id, source, settings.import_starts_per_second)
        )
    )
    worker.start()
    _show_progress(worker, progress)
    _report(result[0])


def _show_progress(worker: threading.Thread, progress: Progress) -> None:
    while worker.is_alive():
        worker.join(0.5)
        eta = progress.eta_seconds
        line = f"{progress.phase}: {progress.done:,} rows, {progress.rows_per_second:,.0f} rows/s"
        if eta is not None and progress.total:
            share = progress.done / progress.total
            bar = "#" * int(share * 30)
            line = f"[{bar:<30}] {line}, ETA {eta:,.0f} s"
        typer.echo(f"\r{line}", nl=False, err=True)
    typer.echo("", err=True)


def _report(job: ImportJobPublic) -> None:
    counts = job.counts
    if job.status == ImportStatus.INVALID:
        for error in job.errors:
            typer.echo(str(error), err=True)
        shown = len(job.errors)
        if job.errors_file:
            typer.echo(f"the file with an errors column: {job.errors_file}", err=True)
        typer.echo(
            f"import {job.id}: nothing written; {counts.invalid or shown} bad row(s)"
            f" of {counts.rows} (file {job.file_sha256[:12]})",
            err=True,
        )
        raise typer.Exit(1)
    if job.status == ImportStatus.FAILED:
        written = "" if job.steps else ", nothing written"
        typer.echo(f"import {job.id} failed{written}: {job.failure}", err=True)
        raise typer.Exit(1)
    if job.dry_run:
        typer.echo(f"import {job.id}: {counts.rows} rows checked, all good (dry run: not written)")
        return
    for change in job.changes:
        typer.echo(f"changed {change['key']}: {', '.join(change['changed'])}")
    if len(job.steps) > 1:
        for step in job.steps:
            typer.echo(
                f"  {step['kind']}: {step['rows']} rows, {step['created']} created,"
                f" {step['updated']} updated, {step['unchanged']} unchanged"
            )
    typer.echo(
        f"import {job.id}: {counts.rows} rows: {counts.created} created, {counts.updated} updated,"
        f" {counts.unchanged} unchanged; {counts.workflows} workflows queued"
    )


def import_template(
    kind: Annotated[JobKind, typer.Argument(help="Which kind's template (all: every kind).")],
    out: Annotated[Path, typer.Argument(help="Where to write the .xlsx.")],
) -> None:
    """Write the .xlsx template of a kind: the header, one example row, each column's rule."""
    out.write_bytes(template_xlsx(kind))
    typer.echo(f"template for {kind.value} written to {out}")


def export_kind(
    kind: Annotated[ImportKind, typer.Argument(help="What to export.")],
    out: Annotated[Path, typer.Argument(help="Where to write the file.")],
    file_format: Annotated[str, typer.Option("--format", help="csv or xlsx.")] = "csv",
) -> None:
    """Export a kind in the file its import reads (an import of it writes the same data)."""
    if file_format not in ("csv", "xlsx"):
        raise typer.BadParameter("csv or xlsx", param_hint="--format")
    engine = engine_for(get_settings().sqlalchemy_url)
    out.write_bytes(run_command(engine, export_file, kind, file_format))
    typer.echo(f"{kind.value} exported to {out}")


def register(app: typer.Typer) -> None:
    app.command("import")(import_file)
    app.command("import-template")(import_template)
    app.command("export")(export_kind)
