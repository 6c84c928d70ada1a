"""Credit's Temporal activities (reviews, their notices and decisions, the monthly run): each
runs one use case in its own transaction. Workflows call them by method (workflows/steps.py); the
names never change (histories)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine
from temporalio import activity

from activities.credit import alerts, review_mail, review_run, reviews
from activities.transaction import run_command
from models.credit.alerts import AlertRunInput
from models.credit.messages import (
    ReviewAllInput,
    ReviewAllResult,
    ReviewDecided,
    ReviewDecision,
    ReviewInput,
    ReviewNotice,
    ReviewOpened,
)
from models.sales.messages import MailsQueued
from o2c.settings import DEFAULT_PUBLIC_URL


class CreditActivities:
    def __init__(
        self,
        engine: Engine,
        config: reviews.ReviewConfig | None = None,
        public_url: str = DEFAULT_PUBLIC_URL,
    ) -> None:
        self.engine = engine
        self.config = config or reviews.ReviewConfig()
        self.public_url = public_url

    @activity.defn(name="open_credit_review")
    def open_credit_review(self, data: ReviewInput) -> ReviewOpened:
        return run_command(self.engine, reviews.open_review, data, self.config)

    @activity.defn(name="notify_credit_reviewers")
    def notify_credit_reviewers(self, data: ReviewNotice) -> MailsQueued:
        return run_command(self.engine, review_mail.notify_reviewers, data, self.public_url)

    @activity.defn(name="decide_credit_review")
    def decide_credit_review(self, data: ReviewDecision) -> ReviewDecided:
        return run_command(self.engine, reviews.decide_review, data, self.config)

    @activity.defn(name="review_every_customer")
    def review_every_customer(self, data: ReviewAllInput) -> ReviewAllResult:
        return run_command(self.engine, review_run.review_everyone, data)

    @activity.defn(name="send_credit_alerts")
    def send_credit_alerts(self, data: AlertRunInput) -> MailsQueued:
        return run_command(self.engine, alerts.send_credit_alerts, data)

    def all(self) -> list[Callable[..., Any]]:
        return [
            self.open_credit_review,
            self.notify_credit_reviewers,
            self.decide_credit_review,
            self.review_every_customer,
            self.send_credit_alerts,
        ]
