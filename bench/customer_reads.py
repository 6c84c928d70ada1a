"""Customer reads with their contact data encrypted at rest: every customer's row with e-mail,
phone, address and tax id decrypted against the same rows with those columns left as stored
(no decryption), and the same read as models (what the API does), in one run on SQLite.

    python -m bench customer_reads [--customers 5000] [--runs 5]"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import String, type_coerce
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

import models.tables  # noqa: F401  (registers every table)
from activities.master_data.customers import create_customer
from models.master_data.customers import Customer, CustomerCreate
from o2c.db import engine_for

ENCRYPTED = ("email", "phone", "address", "tax_id")


def _seed(engine: Engine, customers: int) -> None:
    with Session(engine) as session, session.begin():
        for i in range(customers):
            data = CustomerCreate(
                code=f"C{i:05d}",
                name=f"Customer {i}",
                email=f"ap{i}@example.com",
                phone=f"+1 555 {i:04d}",
                address=f"{i} Main Street, Springfield",
                tax_id=f"US-{i:08d}",
            )
            create_customer(session, data)


def _models(engine: Engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(Customer)).all())


def _rows(engine: Engine, decrypt: bool) -> int:
    table = Customer.__table__  # type: ignore[attr-defined]
    columns = [
        type_coerce(c, String()) if c.name in ENCRYPTED and not decrypt else c
        for c in table.columns
    ]
    with engine.connect() as conn:
        return len(conn.execute(select(*columns)).all())


def _as_stored(engine: Engine) -> int:
    return _rows(engine, decrypt=False)


def _decrypted(engine: Engine) -> int:
    return _rows(engine, decrypt=True)


def _best(read: Callable[[Engine], int], engine: Engine, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        read(engine)
        times.append(time.perf_counter() - started)
    return min(times) if runs < 3 else statistics.median(times)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench customer_reads")
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        engine = engine_for(f"sqlite:///{Path(folder) / 'bench.db'}")
        SQLModel.metadata.create_all(engine)
        _seed(engine, args.customers)
        plain = _best(_as_stored, engine, args.runs)
        decrypted = _best(_decrypted, engine, args.runs)
        models = _best(_models, engine, args.runs)
        engine.dispose()
    n = args.customers
    print(f"{n} customers, rows as stored (no decryption): {plain * 1000:8.1f} ms")
    print(f"{n} customers, rows with 4 columns decrypted:  {decrypted * 1000:8.1f} ms")
    print(f"{n} customers, as models (what the API reads): {models * 1000:8.1f} ms")
    extra = (decrypted - plain) / n * 1e6
    ratio = decrypted / plain
    print(f"decryption: {extra:.1f} us per customer; ratio decrypted / as stored {ratio:.2f}")
