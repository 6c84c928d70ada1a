"""The words the credit pages show for the score's factors and the credit history's terms and
sources, marked for translation."""

from __future__ import annotations

from api.pages.i18n import N_
from models.credit.history import ChangeSource, CreditTerm
from models.credit.scorecard import Factor

FACTORS: dict[str, str] = {
    Factor.DAYS_BEYOND_TERMS: N_("Days paid beyond terms"),
    Factor.LATE_SHARE: N_("Share of invoices paid late (%)"),
    Factor.DUNNING_LEVEL: N_("Highest dunning level"),
    Factor.BROKEN_PROMISES: N_("Broken promises to pay"),
    Factor.DISPUTES_LOST: N_("Disputes lost"),
    Factor.UTILISATION: N_("Utilisation (%)"),
    Factor.OVERDUE_SHARE: N_("Share overdue (%)"),
    Factor.PAYMENT_TREND: N_("Payment trend (days)"),
    Factor.TENURE_MONTHS: N_("Months as a customer"),
    Factor.YEARS_TRADING: N_("Years trading"),
    Factor.EQUITY_TO_LIMIT: N_("Equity to limit"),
    Factor.EXTERNAL_RATING: N_("External rating (rank)"),
}
TERMS: dict[str, str] = {
    CreditTerm.LIMIT: N_("Credit limit"),
    CreditTerm.CLASS: N_("Credit class"),
    CreditTerm.HOLD: N_("Credit hold"),
}
SOURCES: dict[str, str] = {
    ChangeSource.MANUAL: N_("changed by hand"),
    ChangeSource.LIMIT_APPROVAL: N_("raise approved"),
    ChangeSource.REVIEW: N_("credit review"),
}
