"""Every setting of o2c, read once from the environment (prefix ``O2C_``) or a ``.env`` file."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from models.credit.alerts import ALERT_DIGEST_ABOVE
from models.credit.review_triggers import LATE_DAYS
from models.master_data.credit_duties import RaiseApproval

# Where people open the workspace when nothing else is set: the dev stack's API on its port.
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


class FulfilmentSettings(BaseSettings):
    """Fulfilment's settings, `Settings.fulfilment`, documented in docs/fulfilment.md. Set as
    O2C_FULFILMENT__RESERVATION_DAYS (nested) or, as before they nested, O2C_RESERVATION_DAYS:
    being settings of their own with the O2C_ prefix, they read the flat names for whatever the
    nested ones leave out."""

    model_config = SettingsConfigDict(env_prefix="O2C_", env_file=".env", extra="ignore")

    reservation_days: int = Field(
        7, ge=1, description="Days reserved stock waits for dispatch before it is released."
    )
    recheck_credit_classes: list[str] = Field(
        ["*"], description='Credit classes re-checked before dispatch (JSON list; "*" = all).'
    )
    ops_email: str = Field("ops@o2c.example", description="Operations mailbox (late shipments).")
    staff_language: str = Field(
        "en", description="Language of e-mails to staff: en, zh_Hant or zh_Hans (zh = zh_Hans)."
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="O2C_", env_file=".env", extra="ignore", env_nested_delimiter="__"
    )

    data_dir: Path = Field(Path("var"), description="Where the embedded stack keeps its state.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; empty means SQLite at DATA_DIR/o2c.db."
    )
    database_pool_size: int = Field(
        20,
        ge=1,
        description="PostgreSQL connections each process keeps open (its activity threads and "
        "requests share them).",
    )
    database_pool_overflow: int = Field(
        10, ge=0, description="PostgreSQL connections opened beyond the pool at busy moments."
    )
    temporal_address: str | None = Field(
        None, description="host:port of an existing Temporal; empty starts the embedded dev server."
    )
    temporal_namespace: str = Field("default", description="Temporal namespace.")
    task_queue: str = Field("o2c", description="Temporal task queue of the worker.")
    temporal_tls_cert: Path | None = Field(
        None, description="Client certificate (PEM) for mTLS to Temporal; with the key."
    )
    temporal_tls_key: Path | None = Field(
        None, description="Private key (PEM) of that client certificate."
    )
    temporal_tls_ca: Path | None = Field(
        None, description="CA (PEM) that signed Temporal's server certificate; empty: system CAs."
    )
    temporal_tls_server_name: str | None = Field(
        None, description="Name on Temporal's server certificate, when not the address's host."
    )
    api_host: str = Field("127.0.0.1", description="Interface the API listens on.")
    api_port: int = Field(8000, description="Port of the API and web pages.")
    public_url: str = Field(
        "",
        description="Address people open the workspace at, for links in e-mails; "
        "empty: http://127.0.0.1:API_PORT.",
    )
    temporal_port: int = Field(7233, description="Port of the embedded Temporal dev server.")
    temporal_ui_port: int = Field(8233, description="Port of the embedded Temporal UI.")
    temporal_ui_url: str | None = Field(
        None, description="Base URL of the Temporal UI; empty: the embedded UI's on localhost."
    )
    smtp_host: str = Field("127.0.0.1", description="SMTP server that outgoing mail goes to.")
    smtp_port: int = Field(1025, description="SMTP port (the embedded catcher listens here).")
    mail_from: str = Field("billing@o2c.example", description="Sender of customer e-mails.")
    secret_key: str | None = Field(
        None, description="Signs access tokens; generated under DATA_DIR when empty."
    )
    payload_keys: dict[str, str] = Field(
        default_factory=dict,
        description="Keys that encrypt Temporal payloads, JSON {key id: base64 32 bytes}; the "
        "first encrypts, the others still decrypt; generated under DATA_DIR when empty.",
    )
    data_keys: str | None = Field(
        None,
        description="Keys of the personal data encrypted at rest: id=base64 pairs, comma-separated"
        ", one named index (docs/security.md); empty: read DATA_KEYS_FILE.",
    )
    data_keys_file: Path | None = Field(
        None,
        description="File of those id=base64 lines; empty: DATA_DIR/data_keys, generated for the "
        "embedded SQLite database.",
    )
    data_key_current: str | None = Field(
        None, description="Id of the data key new values are encrypted with; empty: the last one."
    )
    token_minutes: int = Field(480, description="Lifetime of an access token in minutes.")
    admin_username: str | None = Field(None, description="Creates this admin at start-up if none.")
    admin_password: str | None = Field(None, description="Password of that bootstrap admin.")
    login_failures_per_user: int = Field(
        5, ge=1, description="Failed logins for one username within the window before 429."
    )
    login_failures_per_address: int = Field(
        20, ge=1, description="Failed logins from one address within the window before 429."
    )
    login_window_minutes: float = Field(
        15, gt=0, description="Window of the login throttle, in minutes."
    )
    company_name: str = Field("o2c Demo Trading Ltd", description="Seller name on documents.")
    secure_cookies: bool | None = Field(
        None, description="Web session cookie over HTTPS only; empty: all but the dev stack."
    )
    credit_limit_approval_above: Decimal = Field(
        Decimal("50000.00"),
        ge=0,
        description="A credit limit raised above this waits for a second credit manager.",
    )
    credit_limit_approval_above_pct: Decimal | None = Field(
        None,
        ge=0,
        description="A credit limit raised by more than this % waits for a second credit manager.",
    )
    credit_review_day: int = Field(
        1, ge=1, le=28, description="Day of the month the credit review Schedule scores everyone."
    )
    credit_alert_digest_above: int = Field(
        ALERT_DIGEST_ABOVE,
        ge=0,
        description="More credit alerts than this in a day come as one digest mail.",
    )
    credit_review_late_days: int = Field(
        LATE_DAYS,
        ge=0,
        description="A payment this many days past an invoice's due date starts a credit review.",
    )
    credit_review_remind_hours: float = Field(
        48, gt=0, description="An unanswered credit review proposal reminds the credit managers."
    )
    credit_review_escalate_hours: float = Field(
        120, gt=0, description="An unanswered credit review proposal escalates to the admins."
    )
    carrier_secrets: dict[str, str] = Field(
        default_factory=dict,
        description="Shared HMAC-SHA256 secret per carrier for signed tracking events (JSON).",
    )
    carrier_signature_max_age_seconds: int = Field(
        300, ge=1, description="How far a signed tracking event's timestamp may be from now."
    )
    api_docs: bool = Field(
        True, description="Serve /docs, /redoc and /openapi.json; false hides them (production)."
    )
    max_body_bytes: int = Field(1_000_000, description="Largest request body the API accepts.")
    idempotency_abandon_seconds: int = Field(
        300,
        ge=1,
        description="A keyed request still running after this long had its process die: a retry "
        "with the same Idempotency-Key takes it over.",
    )
    mail_retention_days: int = Field(
        30, ge=1, description="Days a sent e-mail's rendered body stays in the outbox."
    )
    idempotency_retention_hours: int = Field(
        24, ge=1, description="Hours a stored Idempotency-Key answer is kept for repeats."
    )
    dashboard_refresh_seconds: float = Field(
        60,
        ge=0,
        description="How long the dashboard shows the figures it read (saying as of when) before "
        "it reads them again; 0 reads them on every visit.",
    )
    import_starts_per_second: float = Field(
        20.0,
        gt=0,
        description="Collection workflows an import starts per second (the outbox spreads them).",
    )
    import_max_bytes: int = Field(
        200 * 1024 * 1024, ge=1, description="Largest file `o2c import` and POST /imports read."
    )
    pdf_processes: int = Field(
        1,
        ge=0,
        description="Processes a worker renders PDFs in, beside its own; 0: in its threads.",
    )
    mail_catcher: bool = Field(
        False, description="Show caught mail at /ui/outbox (ops); the dev stack sets it itself."
    )
    fulfilment: FulfilmentSettings = Field(
        default_factory=FulfilmentSettings, description="Reservations, late shipments, staff mail."
    )

    @model_validator(mode="after")
    def _default_public_url(self) -> Settings:
        if not self.public_url:
            self.public_url = f"http://127.0.0.1:{self.api_port}"
        self.public_url = self.public_url.rstrip("/")
        return self

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'o2c.db'}"

    @property
    def mailbox_dir(self) -> Path:
        return self.data_dir / "mailbox"

    @property
    def embedded_temporal(self) -> bool:
        return not self.temporal_address

    @property
    def session_cookie_secure(self) -> bool:
        """The embedded dev stack serves plain http on 127.0.0.1; anything else is production."""
        if self.secure_cookies is not None:
            return self.secure_cookies
        return not self.embedded_temporal

    @property
    def temporal_ui_base(self) -> str:
        """Where the order page's "Open in Temporal UI" link points, without a trailing slash."""
        return (self.temporal_ui_url or f"http://127.0.0.1:{self.temporal_ui_port}").rstrip("/")

    @property
    def temporal_target(self) -> str:
        return self.temporal_address or f"127.0.0.1:{self.temporal_port}"

    def raise_approval(self) -> RaiseApproval:
        return RaiseApproval(self.credit_limit_approval_above, self.credit_limit_approval_above_pct)


@lru_cache
def get_settings() -> Settings:
    return Settings()
