"""Customer changes that touch credit: a limit raised above the approval amount waits as a
pending change until a second credit manager approves it; everything else applies at once."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from activities.master_data.credit_history import record_credit_change
from activities.master_data.customers import (
    apply_update,
    check_credit_limit,
    get_customer,
    lock_customer,
)
from activities.paging import page
from models.credit.history import ChangeSource, CreditTerm
from models.errors import Conflict, NotFound
from models.master_data.credit_duties import RaiseApproval, check_second_approver
from models.master_data.credit_limit_changes import (
    CreditLimitChange,
    CreditLimitChangePublic,
    LimitChangeState,
)
from models.master_data.customers import Customer, CustomerPublic, CustomerUpdate


def change_customer(
    session: Session,
    customer_id: int,
    data: CustomerUpdate,
    user: str,
    approval: RaiseApproval,
) -> CustomerPublic:
    """The PATCH of a customer: a limit raise that needs `approval` is kept back as a pending
    change (its id in the answer), the other fields apply now. Every change is written in one
    flush: one audit row for the request, before and after of each field."""
    customer = get_customer(session, customer_id)
    class_before = customer.credit_class
    rest = CustomerUpdate.model_validate(
        data.model_dump(exclude_unset=True, exclude={"credit_limit"})
    )
    if data.credit_limit is not None:
        check_credit_limit(customer, data.credit_limit)
    apply_update(customer, rest)
    _record_class(session, customer, class_before, data, user)
    pending = None
    if data.credit_limit is not None:
        pending = request_limit(
            session,
            customer,
            data.credit_limit,
            user,
            approval,
            source=ChangeSource.MANUAL,
            reason=data.reason,
        )
    session.add(customer)
    session.flush()
    return CustomerPublic.model_validate(customer).model_copy(
        update={"pending_limit_change_id": pending}
    )


def request_limit(
    session: Session,
    customer: Customer,
    wanted: Decimal,
    user: str,
    approval: RaiseApproval,
    *,
    source: ChangeSource,
    reason: str | None = None,
    review_id: int | None = None,
) -> int | None:
    """A new credit limit, applied and recorded in the history now, or, a raise that needs
    `approval` (by amount or percentage), kept as a pending change for a second approver (its
    id)."""
    check_credit_limit(customer, wanted)
    if not approval.needs_second_approver(customer.credit_limit, wanted):
        record_credit_change(
            session,
            customer,
            CreditTerm.LIMIT,
            customer.credit_limit,
            wanted,
            source=source,
            changed_by=user,
            reason=reason,
            review_id=review_id,
        )
        customer.credit_limit = wanted
        session.add(customer)
        session.flush()
        return None
    waiting = session.exec(
        select(CreditLimitChange).where(
            CreditLimitChange.customer_id == customer.id,
            CreditLimitChange.state == LimitChangeState.PENDING,
        )
    ).first()
    if waiting is not None:
        raise Conflict(
            f"credit limit change {waiting.id} of customer {customer.id} is already waiting",
            field="credit_limit",
        )
    pending = CreditLimitChange(
        customer_id=customer.id or 0,
        limit_before=customer.credit_limit,
        requested_limit=wanted,
        requested_by=user,
        reason=reason,
        review_id=review_id,
    )
    session.add(pending)
    session.flush()
    return pending.id


def _record_class(
    session: Session, customer: Customer, before: str, data: CustomerUpdate, user: str
) -> None:
    record_credit_change(
        session,
        customer,
        CreditTerm.CLASS,
        before,
        customer.credit_class,
        source=ChangeSource.MANUAL,
        changed_by=user,
        reason=data.reason,
    )


def approve_limit_change(
    session: Session, change_id: int, approver: str
) -> CreditLimitChangePublic:
    """The second credit manager's approval: the requested limit applies now."""
    change = session.get(CreditLimitChange, change_id)
    if change is None:
        raise NotFound(f"credit limit change {change_id} does not exist")
    if change.state != LimitChangeState.PENDING:
        raise Conflict(f"credit limit change {change_id} is {change.state}, not pending")
    check_second_approver(change.requested_by, approver)
    customer = lock_customer(session, change.customer_id)
    record_credit_change(
        session,
        customer,
        CreditTerm.LIMIT,
        customer.credit_limit,
        change.requested_limit,
        source=ChangeSource.REVIEW if change.review_id else ChangeSource.LIMIT_APPROVAL,
        changed_by=change.requested_by,
        reason=change.reason,
        approved_by=approver,
        review_id=change.review_id,
    )
    customer.credit_limit = change.requested_limit
    change.state = LimitChangeState.APPROVED
    change.approved_by = approver
    change.approved_at = datetime.now(UTC)
    session.add_all([customer, change])
    session.flush()
    return CreditLimitChangePublic.model_validate(change)


def list_limit_changes(
    session: Session, state: LimitChangeState | None, limit: int, offset: int
) -> tuple[list[CreditLimitChangePublic], int]:
    query = select(CreditLimitChange).order_by(col(CreditLimitChange.id))
    if state is not None:
        query = query.where(CreditLimitChange.state == state)
    changes, total = page(session, query, limit, offset)
    return [CreditLimitChangePublic.model_validate(c) for c in changes], total
