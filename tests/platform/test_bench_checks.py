"""The checks every bench prints after its run see what was left behind: an outbox row still
pending, one retried beyond the relay's policy; and `python -m bench` runs only the benches."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench.__main__ import benches
from bench._checks import after_run, outbox_check
from models.outbox import OutboxKind, OutboxMessage, OutboxState
from o2c.relay import GIVE_UP_AFTER_ATTEMPTS


def _message(engine: Engine, key: str, state: OutboxState, attempts: int = 0) -> None:
    with Session(engine) as session, session.begin():
        session.add(
            OutboxMessage(
                key=key,
                kind=OutboxKind.SIGNAL,
                state=state,
                target="order-1",
                name="paid",
                attempts=attempts,
            )
        )


def test_a_pending_outbox_row_fails_the_check(sqlite_engine: Engine) -> None:
    _message(sqlite_engine, "delivered", OutboxState.SENT, attempts=1)
    _message(sqlite_engine, "left", OutboxState.PENDING)
    with Session(sqlite_engine) as session:
        check = outbox_check(session)
    lines = after_run(check, failed=[])
    assert check.pending == 1 and not check.clean
    assert "1 pending" in lines[0] and lines[-1].endswith("FAILED")


def test_a_row_retried_beyond_the_policy_fails_the_check(sqlite_engine: Engine) -> None:
    _message(sqlite_engine, "retried", OutboxState.SENT, attempts=GIVE_UP_AFTER_ATTEMPTS + 1)
    with Session(sqlite_engine) as session:
        check = outbox_check(session)
    assert check.over_retried == 1 and check.most_attempts == GIVE_UP_AFTER_ATTEMPTS + 1
    assert not check.clean


def test_a_clean_run_passes_and_a_failed_workflow_does_not(sqlite_engine: Engine) -> None:
    _message(sqlite_engine, "delivered", OutboxState.SENT, attempts=1)
    with Session(sqlite_engine) as session:
        check = outbox_check(session)
    assert after_run(check, failed=[])[-1].endswith("ok")
    failed = after_run(check, failed=["order-7"])
    assert "1 order-7" in failed[1] and failed[-1].endswith("FAILED")


def test_make_bench_runs_the_benches_and_not_their_helpers() -> None:
    assert {"api", "lifecycle", "ageing", "dunning", "pages"} <= set(benches())
    assert "in_flight" not in benches() and "timer_workflow" not in benches()
