"""Runs deliver_email's delivery in a process of its own that stops dead at a chosen point, as a
worker killed there would: `python -m tests.documents.killable_delivery URL ID PORT STAGE`.
STAGE `before_data` hangs after claiming the row, `after_data` once the server accepted DATA."""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any

from activities.documents import mail_delivery
from models.security.field_cipher import parse_keyring, use_keyring
from o2c.db import engine_for
from tests.support.data_keys import TEST_DATA_KEYS


def hang(*_: Any) -> Any:
    print("READY", flush=True)
    while True:
        time.sleep(60)


def main() -> None:
    url, outbox_id, port, stage = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    use_keyring(parse_keyring(TEST_DATA_KEYS))  # as `o2c worker` loads the keys at start
    if stage == "after_data":
        mail_delivery.mark_sent = hang  # type: ignore[assignment]
    else:
        mail_delivery.begin_data = hang  # type: ignore[assignment]
    server = mail_delivery.MailServer("billing@o2c.example", "127.0.0.1", port, "o2c Demo")
    asyncio.run(mail_delivery.deliver(engine_for(url), outbox_id, server))


if __name__ == "__main__":
    main()
