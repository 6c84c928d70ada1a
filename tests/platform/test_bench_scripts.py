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
    out = _bench("lifecycle", "--orders", "4", "--concurrency", "2")
    assert "no-op ceiling" in out and "ratio o2c / ceiling" in out


def test_customer_reads_bench_prints_decryption_beside_the_rows_as_stored() -> None:
    out = _bench("customer_reads", "--customers", "50", "--runs", "1")
    assert "rows as stored" in out and "ratio decrypted / as stored" in out
