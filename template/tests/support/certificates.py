"""Throwaway certificates: a CA of the test's own and a certificate it signed for 127.0.0.1."""

import base64
import hashlib
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Self

import trustme
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


@dataclass(frozen=True)
class LocalCertificate:
    """A throwaway CA (trustme) and a certificate it signed for 127.0.0.1, as PEM files."""

    cert_file: Path  # the certificate and its chain
    key_file: Path
    ca_file: Path
    spki_sha256: str  # base64 SHA-256 of the public key: how Chromium is told to trust exactly it

    @classmethod
    def create(cls, directory: Path) -> Self:
        authority = trustme.CA()
        issued = authority.issue_cert("127.0.0.1", "localhost")
        cert_file, key_file, ca_file = (
            directory / name for name in ("cert.pem", "key.pem", "ca.pem")
        )
        issued.cert_chain_pems[0].write_to_path(str(cert_file))
        issued.private_key_pem.write_to_path(str(key_file))
        authority.cert_pem.write_to_path(str(ca_file))
        leaf = x509.load_pem_x509_certificate(issued.cert_chain_pems[0].bytes())
        public_key = leaf.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
        spki = base64.b64encode(hashlib.sha256(public_key).digest()).decode()
        return cls(cert_file, key_file, ca_file, spki_sha256=spki)

    def server_context(self) -> ssl.SSLContext:
        """For a local stand-in that serves HTTPS as the real service would."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context
