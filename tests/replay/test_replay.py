"""Histories recorded from earlier versions of the workflows replay on today's code: a change
that would break a running order, shipment, collection or credit review fails here first.

Record new ones with `O2C_RECORD_HISTORIES=tests/replay/histories pytest tests/<area>`: the
workflow fixtures then write every workflow a test ran."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from tests.support.settings import encrypting_converter
from workflows.collection.dunning_digest import DunningDigestWorkflow
from workflows.collection.invoice_collection import InvoiceCollectionWorkflow
from workflows.credit.credit_alerts import CreditAlertsWorkflow
from workflows.credit.credit_review import CreditReviewWorkflow
from workflows.documents.mail_delivery import MailDeliveryWorkflow
from workflows.fulfilment.shipment import ShipmentWorkflow
from workflows.sales.order import OrderWorkflow

HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))


def test_histories_cover_every_long_lived_workflow_type() -> None:
    kinds = {path.stem.split("--")[-1].rsplit("-", 1)[0] for path in HISTORIES}
    assert kinds >= {"order", "shipment", "invoice", "credit-review", "mail"}


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_recorded_history_replays_on_current_code(path: Path) -> None:
    history = WorkflowHistory.from_json(path.stem.split("--")[-1], path.read_text())
    replayer = Replayer(
        workflows=[
            OrderWorkflow,
            ShipmentWorkflow,
            InvoiceCollectionWorkflow,
            DunningDigestWorkflow,
            CreditReviewWorkflow,
            CreditAlertsWorkflow,
            MailDeliveryWorkflow,
        ],
        data_converter=encrypting_converter(),
    )
    await replayer.replay_workflow(history)
