"""The one place that connects to Temporal: pydantic data converter, so Decimal, date and
datetime round-trip exactly between the API, workflows and activities."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from o2c.settings import Settings


async def connect(settings: Settings) -> Client:
    return await Client.connect(
        settings.temporal_target,
        namespace=settings.temporal_namespace,
        data_converter=pydantic_data_converter,
    )
