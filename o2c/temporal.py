"""The one place that connects to Temporal: pydantic data converter, so Decimal, date and
datetime round-trip exactly between the API, workflows and activities, with every payload
encrypted (o2c/payload_codec.py, keys O2C_PAYLOAD_KEYS); mutual TLS when the settings name a
client certificate (O2C_TEMPORAL_TLS_*)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter
from temporalio.service import TLSConfig

from o2c.payload_codec import EncryptionCodec, payload_keys
from o2c.settings import Settings


def _read(path: Path | None) -> bytes | None:
    return path.read_bytes() if path else None


def data_converter(settings: Settings) -> DataConverter:
    """What every client, worker and replayer of o2c converts payloads with."""
    codec = EncryptionCodec(payload_keys(settings))
    return dataclasses.replace(pydantic_data_converter, payload_codec=codec)


def tls_config(settings: Settings) -> TLSConfig | bool:
    """TLS to the Temporal frontend when any TLS setting is given (mTLS with a cert and key),
    else plain gRPC as the embedded dev server and a private network speak."""
    if not (settings.temporal_tls_ca or settings.temporal_tls_cert or settings.temporal_tls_key):
        return False
    if bool(settings.temporal_tls_cert) != bool(settings.temporal_tls_key):
        raise ValueError("O2C_TEMPORAL_TLS_CERT and O2C_TEMPORAL_TLS_KEY go together")
    return TLSConfig(
        server_root_ca_cert=_read(settings.temporal_tls_ca),
        client_cert=_read(settings.temporal_tls_cert),
        client_private_key=_read(settings.temporal_tls_key),
        domain=settings.temporal_tls_server_name,
    )


async def connect(settings: Settings) -> Client:
    return await Client.connect(
        settings.temporal_target,
        namespace=settings.temporal_namespace,
        data_converter=data_converter(settings),
        tls=tls_config(settings),
    )
