"""Mutual TLS to Temporal: with O2C_TEMPORAL_TLS_CERT, _KEY and _CA the one Temporal client
factory presents that certificate and trusts that CA; without them it speaks plain gRPC; a
certificate without its key is refused before any connection is tried."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from temporalio.service import TLSConfig

from o2c.settings import Settings
from o2c.temporal import tls_config
from tests.support.settings import make_settings


def pem_files(folder: Path) -> tuple[Path, Path, Path]:
    """A CA and a client certificate it signed, made by openssl as an operator would."""
    ca_key, ca, key, request, cert = (
        folder / n for n in ("ca.key", "ca.pem", "c.key", "c.csr", "c.pem")
    )
    run = ["openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj"]
    subprocess.run(
        [*run, "/CN=o2c-ca", "-x509", "-days", "1", "-keyout", ca_key, "-out", ca],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [*run, "/CN=o2c-worker", "-keyout", key, "-out", request], check=True, capture_output=True
    )
    subprocess.run(
        [
            "openssl",
            "x509",
            "-req",
            "-in",
            request,
            "-CA",
            ca,
            "-CAkey",
            ca_key,
            "-CAcreateserial",
            "-days",
            "1",
            "-out",
            cert,
        ],
        check=True,
        capture_output=True,
    )
    return cert, key, ca


def test_the_client_presents_the_configured_certificate_and_trusts_the_ca(tmp_path: Path) -> None:
    cert, key, ca = pem_files(tmp_path)
    settings = make_settings(
        tmp_path,
        temporal_tls_cert=cert,
        temporal_tls_key=key,
        temporal_tls_ca=ca,
        temporal_tls_server_name="temporal.internal",
    )

    tls = tls_config(settings)

    assert isinstance(tls, TLSConfig)
    assert tls.client_cert == cert.read_bytes() and b"BEGIN CERTIFICATE" in tls.client_cert
    assert tls.client_private_key == key.read_bytes()
    assert tls.server_root_ca_cert == ca.read_bytes()
    assert tls.domain == "temporal.internal"


def test_without_tls_settings_the_client_speaks_plain_grpc(tmp_path: Path) -> None:
    assert tls_config(make_settings(tmp_path)) is False


def test_a_certificate_without_its_key_is_refused(tmp_path: Path) -> None:
    cert, _, _ = pem_files(tmp_path)
    settings: Settings = make_settings(tmp_path, temporal_tls_cert=cert)

    with pytest.raises(ValueError, match="go together"):
        tls_config(settings)


def test_a_ca_alone_is_server_side_tls(tmp_path: Path) -> None:
    _, _, ca = pem_files(tmp_path)

    tls = tls_config(make_settings(tmp_path, temporal_tls_ca=ca))

    assert isinstance(tls, TLSConfig) and tls.client_cert is None
    assert tls.server_root_ca_cert == ca.read_bytes()
