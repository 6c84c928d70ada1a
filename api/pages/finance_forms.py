"""What the finance and collection forms share: invoice statuses as people read them, and the
typed fields as the API's input models take them."""

from __future__ import annotations

from api.pages.i18n import N_

# Invoice statuses as people read them (translated where shown).
INVOICE_STATUS = {
    "open": N_("open"),
    "partially_paid": N_("partially paid"),
    "paid": N_("paid"),
    "overdue": N_("overdue"),
    "disputed": N_("disputed"),
    "written_off": N_("written off"),
    "void": N_("void"),
}


def as_input(typed: dict[str, str], ids: tuple[str, ...] = ()) -> dict[str, object]:
    """The fields a person filled in, for the API's input model: ids are numbers there, as
    a JSON body carries them (a chosen option always is one)."""
    values: dict[str, object] = {k: v for k, v in typed.items() if v != ""}
    for name in ids:
        if str(values.get(name, "")).isdigit():
            values[name] = int(str(values[name]))
    return values
