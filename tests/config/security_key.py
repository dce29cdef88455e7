"""A security key in software, for the Django-client tests: it answers allauth's WebAuthn challenges as a real key
would (a P-256 key pair, attestation "none"), so enrolling and logging in run through fido2's real checks.

The browser tests use Chromium's virtual authenticator instead (tests/browser/test_webauthn.py).
"""

import hashlib
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_decode
from fido2.webauthn import (
    AttestationObject,
    AttestedCredentialData,
    AuthenticationResponse,
    AuthenticatorAssertionResponse,
    AuthenticatorAttestationResponse,
    AuthenticatorData,
    CollectedClientData,
    RegistrationResponse,
)

HOST = "localhost"
ORIGIN = f"http://{HOST}"


class SoftwareKey:
    def __init__(self, rp_id=HOST, origin=ORIGIN):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.rp_id_hash = hashlib.sha256(rp_id.encode()).digest()
        self.origin = origin
        self.counter = 0

    def register(self, creation_options: dict) -> dict:
        """The answer to navigator.credentials.create() for allauth's creation options."""
        challenge = websafe_decode(creation_options["publicKey"]["challenge"])
        public_key = ES256.from_cryptography_key(self.private_key.public_key())
        credential = AttestedCredentialData.create(b"\0" * 16, self.credential_id, public_key)
        flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.AT
        auth_data = AuthenticatorData.create(self.rp_id_hash, flags, self.counter, credential)
        client_data = CollectedClientData.create(CollectedClientData.TYPE.CREATE, challenge, self.origin)
        response = AuthenticatorAttestationResponse(
            client_data=client_data, attestation_object=AttestationObject.create("none", auth_data, {})
        )
        return dict(RegistrationResponse(raw_id=self.credential_id, response=response, client_extension_results={}))

    def sign(self, request_options: dict) -> dict:
        """The answer to navigator.credentials.get() for allauth's request options."""
        challenge = websafe_decode(request_options["publicKey"]["challenge"])
        self.counter += 1
        auth_data = AuthenticatorData.create(self.rp_id_hash, AuthenticatorData.FLAG.UP, self.counter)
        client_data = CollectedClientData.create(CollectedClientData.TYPE.GET, challenge, self.origin)
        signature = self.private_key.sign(bytes(auth_data) + client_data.hash, ec.ECDSA(hashes.SHA256()))
        response = AuthenticatorAssertionResponse(
            client_data=client_data, authenticator_data=auth_data, signature=signature
        )
        return dict(AuthenticationResponse(raw_id=self.credential_id, response=response, client_extension_results={}))
