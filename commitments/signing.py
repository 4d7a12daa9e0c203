"""PAdES signatures on stored PDFs (pyHanko) with the portal's certificate, set by the environment."""

import datetime
import functools
import io
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def create_self_signed_certificate(
    *, cert_path, key_path, common_name="Pact for Skills portal (development)"
):
    """Write a self-signed RSA certificate and its unencrypted key (PEM). For development and tests only."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pact for Skills support services"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    for path in (cert_path, key_path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(key_path).write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    Path(cert_path).write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _signer():
    """The signer for the configured files, loaded once per process until a file changes."""
    cert_path, key_path = settings.DECLARATION_SIGNING_CERT, settings.DECLARATION_SIGNING_KEY
    if not (cert_path and key_path and Path(cert_path).is_file() and Path(key_path).is_file()):
        if settings.DEBUG and cert_path and key_path:
            # Development convenience: the same self-signed certificate `manage.py create_signing_certificate` makes.
            create_self_signed_certificate(cert_path=cert_path, key_path=key_path)
        else:
            raise ImproperlyConfigured(
                "Set DECLARATION_SIGNING_CERT and DECLARATION_SIGNING_KEY to the PEM files of the certificate "
                "that signs declaration PDFs (see README, 'Declarations and signed PDFs')."
            )
    stamp = (Path(cert_path).stat().st_mtime_ns, Path(key_path).stat().st_mtime_ns)
    return _load_signer(
        str(cert_path),
        str(key_path),
        stamp,
        settings.DECLARATION_SIGNING_KEY_PASSPHRASE,
        settings.DECLARATION_SIGNING_CHAIN,
    )


@functools.lru_cache(maxsize=4)
def _load_signer(cert_path, key_path, stamp, passphrase, chain):
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load(
        key_file=key_path,
        cert_file=cert_path,
        ca_chain_files=[chain] if chain else [],
        key_passphrase=passphrase.encode() if passphrase else None,
    )
    if signer is None:
        raise ImproperlyConfigured("The declaration signing certificate or key could not be loaded.")
    return signer


def pades_sign(pdf_bytes, *, reason, location=""):
    """Return ``pdf_bytes`` with a PAdES signature appended as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    metadata = signers.PdfSignatureMetadata(
        field_name="PortalSignature",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    out = signers.sign_pdf(writer, metadata, signer=_signer())
    return out.getvalue()


def pades_validate(pdf_bytes, *, trust_roots):
    """The pyHanko validation status of the first signature (``.bottom_line`` is True when intact and trusted)."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = [load_cert_from_pemder(str(path)) for path in trust_roots]
    reader = PdfFileReader(io.BytesIO(pdf_bytes))
    signature = reader.embedded_signatures[0]
    return validate_pdf_signature(signature, ValidationContext(trust_roots=roots))
