"""An order's lines as a person types them on a page: kept as typed, read into the API's input
models, and each refusal placed next to the field it names (`lines.0.quantity`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from api.pages.form_errors import FORM

Column = list[str] | None  # one input of every line, as the form sent it
# A pricing refusal names its line in the message: "lines[2].quantity: ... whole units".
LINE_MESSAGE = re.compile(r"^lines\[(\d+)\]\.(\w+): (.*)$", re.DOTALL)


@dataclass(frozen=True)
class TypedLine:
    sku: str = ""
    quantity: str = ""
    discount_pct: str = ""
    unit_price: str = ""

    @property
    def blank(self) -> bool:
        return not (self.sku or self.quantity or self.discount_pct or self.unit_price)

    def payload(self) -> dict[str, str]:
        """The API's `OrderLineCreate` fields; what was left empty takes the API's default."""
        fields = {
            "sku": self.sku,
            "quantity": self.quantity,
            "discount_pct": self.discount_pct,
            "unit_price": self.unit_price,
        }
        return {name: value for name, value in fields.items() if value or name == "quantity"}


def typed_lines(
    skus: Column, quantities: Column, discounts: Column, prices: Column
) -> list[TypedLine]:
    """The rows the person filled in, in order; empty rows are dropped."""
    columns = [column or [] for column in (skus, quantities, discounts, prices)]

    def cell(column: list[str], index: int) -> str:
        return column[index].strip() if index < len(column) else ""

    count = max(len(column) for column in columns)
    rows = [TypedLine(*(cell(column, i) for column in columns)) for i in range(count)]
    return [row for row in rows if not row.blank]


def lines_payload(lines: Iterable[TypedLine]) -> list[dict[str, str]]:
    return [line.payload() for line in lines]


def refusal_errors(message: str, field: str | None = None) -> dict[str, str]:
    """A rule's refusal under the field it names, a line's under that line's field."""
    named = LINE_MESSAGE.match(message)
    if named:
        index, name, rest = named.groups()
        return {f"lines.{index}.{name}": rest}
    return {field or FORM: message}
