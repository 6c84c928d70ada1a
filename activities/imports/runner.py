"""Which process runs an import job, and whether that process is known to be dead."""

from __future__ import annotations

import os
import socket
import uuid

# This process, as a job's `runner` names it: host, process id, and a token of this start (a
# restarted container may reuse the process id).
THIS_PROCESS = f"{socket.gethostname()}/{os.getpid()}/{uuid.uuid4().hex[:12]}"


def runner_is_gone(runner: str | None) -> bool:
    """True when the process that ran the job is known to be dead: one on this host that no
    longer runs, or this process id under an earlier start. Another host's cannot be told."""
    if runner is None:  # opened before jobs named their process
        return True
    host, pid = (runner.split("/") + ["", ""])[:2]
    if host != socket.gethostname() or runner == THIS_PROCESS:
        return False
    if not pid.isdigit() or int(pid) == os.getpid():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's
        return False
    return False
