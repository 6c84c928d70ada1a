"""The rows a validation pass checked, kept for the write pass: pickled a batch at a time to a
temporary file (memory stays one batch, not the file), so writing reads ready values back
instead of parsing and checking every row a second time."""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

BATCH = 1000


class CheckedRows:
    """Checked rows in the file's order, written as they come and read back in batches."""

    def __init__(self, folder: Path | None = None) -> None:
        self._file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115  (closed by close())
        self._pending: list[Any] = []
        self.count = 0

    def add(self, checked: Any) -> None:
        self._pending.append(checked)
        self.count += 1
        if len(self._pending) == BATCH:
            self._dump()

    def _dump(self) -> None:
        if self._pending:
            pickle.dump(self._pending, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._pending = []

    def batches(self) -> Iterator[list[Any]]:
        self._dump()
        self._file.seek(0)
        while True:
            try:
                yield pickle.load(self._file)  # noqa: S301  (this process's own file)
            except EOFError:
                return

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> CheckedRows:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
