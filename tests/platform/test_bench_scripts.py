"""The benchmark scripts still run against the current schema and code (tiny sizes; the figures
themselves come from `make bench`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bench(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bench", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_ageing_bench_prints_the_report_beside_the_plain_scan() -> None:
    out = _bench(
        "ageing", "--invoices", "2000", "--customers", "100", "--runs", "1", "--only", "sqlite"
    )
    assert "plain GROUP BY" in out and "ageing report" in out


def test_lifecycle_bench_prints_the_rate_beside_the_no_op_ceiling() -> None:
    out = _bench(
        "lifecycle", "--orders", "4", "--concurrency", "2", "--database", "sqlite",
        "--customers", "2",
    )  # fmt: skip
    assert "no-op ceiling" in out and "ratio o2c / ceiling" in out
    assert "0 pending" in out and "checks:                ok" in out, out[-900:]


def test_imports_bench_prints_each_rate_beside_the_plain_insert() -> None:
    out = _bench("imports", "--customers", "20", "--invoices", "200", "--starts", "5")
    assert "ratio invoices write / plain INSERT" in out and "collection workflow starts" in out
    assert "peak memory" in out


def test_api_bench_prints_latencies_lifecycles_and_its_checks() -> None:
    out = _bench(
        "api", "--requests", "4", "--lifecycles", "2", "--concurrency", "4", "--customers", "2",
        "--database", "sqlite", "--rate", "20",
    )  # fmt: skip
    assert "POST /orders" in out and "POST /payments" in out and "p99" in out
    assert "closed loop" in out and "at 20/s" in out and "ms/request" in out
    assert "highest arrival rate tried with p99 <= 100 ms" in out
    assert "errors 0" in out and "lifecycles via HTTP" in out
    assert "checks:                ok" in out and "done twice:            nothing" in out


def test_credit_review_bench_prints_the_review_beside_the_plain_aggregate() -> None:
    out = _bench("credit_review", "--invoices", "2000", "--customers", "100", "--only", "sqlite")
    assert "plain GROUP BY" in out and "review with proposals" in out


def test_customer_reads_bench_prints_decryption_beside_the_rows_as_stored() -> None:
    out = _bench("customer_reads", "--customers", "50", "--runs", "1")
    assert "rows as stored" in out and "ratio decrypted / as stored" in out
