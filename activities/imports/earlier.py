"""What the earlier sheets of one go-live upload bring for the later sheets to refer to: the
customers and products checked there, not written yet while every sheet is being checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models.imports.kinds import ImportKind
from models.master_data.customers import CustomerCreate, CustomerStatus
from models.master_data.products import ProductCreate


@dataclass(frozen=True)
class EarlierCustomer:
    currency: str
    active: bool | None  # None: the file leaves the status as stored


@dataclass
class Earlier:
    customers: dict[str, EarlierCustomer] = field(default_factory=dict)
    products: dict[str, bool] = field(default_factory=dict)  # SKU: sold in whole units

    def add(self, kind: ImportKind, checked: Any) -> None:
        """A checked row of `kind`: a customer or product is known to the sheets after it."""
        if kind == ImportKind.CUSTOMERS:
            customer: CustomerCreate = checked[0]
            given: frozenset[str] = checked[1]
            active = customer.status == CustomerStatus.ACTIVE if "status" in given else None
            self.customers[customer.code] = EarlierCustomer(customer.currency, active)
        elif kind == ImportKind.PRODUCTS:
            product: ProductCreate = checked[0]
            self.products[product.sku] = product.whole_units
