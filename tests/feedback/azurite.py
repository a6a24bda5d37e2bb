"""Azurite's table or blob service on 127.0.0.1 for the tests: HTTPS with a self-signed certificate made here, and
OAuth (`--oauth basic`), because the Azure SDKs send a token credential over HTTPS only."""

from __future__ import annotations

import datetime
import ipaddress
import os
import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.api.test_serve_logs import free_port

ROOT = Path(__file__).resolve().parents[2]
AZURITE_BIN = ROOT / "tools" / "azurite" / "node_modules" / ".bin"
ACCOUNT = "devstoreaccount1"  # Azurite's built-in account
STARTUP_SECONDS = 30.0
_STARTED = re.compile(r"successfully (?:started on |listens on https://)127\.0\.0\.1:(\d+)")  # table | blob


@dataclass(frozen=True)
class Azurite:
    endpoint: str  # the account's table (or blob) endpoint, path-style as Azurite serves it
    certificate: Path  # the CA bundle a client needs to trust it


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, and its key, as PEM files."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "azurite-cert.pem", directory / "azurite-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


@contextmanager
def run_azurite(directory: Path, service: str = "table") -> Iterator[Azurite]:
    """Azurite's `service` ("table" or "blob") on a free port, until the block ends."""
    program = AZURITE_BIN / f"azurite-{service}"
    if not program.exists():
        message = f"Azurite is not installed at {program}: run `make azurite` (make test does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    cert, key = self_signed(directory)
    log_path, port = directory / "azurite.log", free_port()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                str(program),
                f"--{service}Host", "127.0.0.1",
                f"--{service}Port", str(port),
                "--oauth", "basic",
                "--cert", str(cert),
                "--key", str(key),
                "--inMemoryPersistence",
                "--disableTelemetry",
                # azure-storage-blob sends a newer API version than the last Azurite for Node 20 knows
                *(["--skipApiVersionCheck"] if service == "blob" else []),
            ],
            cwd=directory,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while _STARTED.search(log_path.read_text()) is None:
                assert process.poll() is None, f"Azurite exited: {log_path.read_text()}"
                assert time.monotonic() < deadline, f"Azurite did not start: {log_path.read_text()}"
                time.sleep(0.1)
            yield Azurite(f"https://127.0.0.1:{port}/{ACCOUNT}", cert)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
