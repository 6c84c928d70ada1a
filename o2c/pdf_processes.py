"""PDFs rendered in processes of their own beside the worker. WeasyPrint is CPU work under the
GIL: a render in the worker's process holds up every workflow task and activity for its second.
`O2C_PDF_PROCESSES` processes (started on the first render, kept for the next); 0 renders in a
thread. Either way the render is awaited: a mail waiting for its PDF holds no thread."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import lru_cache

from activities.documents.stored_documents import PdfRenderer, render_in_thread
from notifications.pdf import pdf_from_html


@lru_cache
def _pool(processes: int) -> ProcessPoolExecutor:
    # Spawned, not forked: a fork of a process running Temporal's threads may inherit held locks.
    # Niced: a PDF is background work that must not slow the workflows' steps down.
    return ProcessPoolExecutor(
        processes,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=os.nice,
        initargs=(10,),
    )


def pdf_renderer(processes: int) -> PdfRenderer:
    if processes == 0:
        return render_in_thread

    async def render(html: str) -> bytes:
        try:
            return await asyncio.get_running_loop().run_in_executor(
                _pool(processes), pdf_from_html, html
            )
        except BrokenProcessPool:
            _pool.cache_clear()  # a render process died (killed, out of memory): the retry
            raise  # gets a fresh pool

    return render
