"""COSE interop, both ways, with pycose (from the Python package registry).

1. pycose signs a COSE_Sign1 credential (EdDSA, a did:key issuer; alg, kid,
   typ and content type protected) and `passerelle verify` verifies it, and
   refuses it with a byte of the payload changed;
2. `passerelle issue --format cose` signs one with a P-256 key and pycose
   verifies its signature with the key the did:key resolves to, and reads
   the same credential.

    python3 scripts/cose-interop.py <passerelle binary>
"""

import base64
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pycose.headers import Algorithm, ContentType, KID
from pycose.algorithms import EdDSA
from pycose.keys import CoseKey
from pycose.keys.curves import Ed25519
from pycose.keys.keyparam import KpKty, OKPKpCurve, OKPKpD, OKPKpX
from pycose.keys.keytype import KtyOKP
from pycose.messages import Sign1Message

BINARY = sys.argv[1]
AT = "2026-05-28T20:26:40Z"
ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = ALPHABET[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def passerelle(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([BINARY, *args], capture_output=True, text=True)


def fail(why: str) -> None:
    print(f"COSE interop: {why}", file=sys.stderr)
    sys.exit(1)


with tempfile.TemporaryDirectory() as tmp:
    work = Path(tmp)

    # 1. pycose signs; passerelle verifies.
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    secret = private.private_bytes_raw()
    multikey = "z" + base58(bytes([0xED, 0x01]) + public)
    did = f"did:key:{multikey}"
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "AgeCredential"],
        "issuer": did,
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"ageOver19": True},
    }
    message = Sign1Message(
        phdr={Algorithm: EdDSA, KID: f"{did}#{multikey}".encode(), ContentType: "application/vc", 16: "application/vc+cose"},
        payload=json.dumps(credential).encode(),
    )
    message.key = CoseKey.from_dict({KpKty: KtyOKP, OKPKpCurve: Ed25519, OKPKpX: public, OKPKpD: secret})
    signed = message.encode(tag=True)
    theirs = work / "pycose.cbor"
    theirs.write_bytes(signed)
    result = passerelle("verify", str(theirs), "--at", AT, "--json")
    if result.returncode != 0:
        fail(f"passerelle refused pycose's COSE_Sign1: {result.stdout}{result.stderr}")
    # A type renamed (`AgeCredential` → `@geCredential`): the payload stays
    # well-formed JSON, so only the signature can refuse it.
    changed = bytearray(signed)
    changed[changed.index(b"AgeCredential")] ^= 0x01
    (work / "changed.cbor").write_bytes(bytes(changed))
    result = passerelle("verify", str(work / "changed.cbor"), "--at", AT, "--json")
    failed = [c for c in json.loads(result.stdout)["checks"] if c["outcome"] == "failed"]
    if result.returncode == 0 or [c.get("code") for c in failed] != ["PROOF_SIGNATURE_INVALID"]:
        fail(f"pycose's COSE_Sign1 with its payload changed: {failed}")
    print("pycose → passerelle: verified (EdDSA, did:key issuer); a changed payload refused (PROOF_SIGNATURE_INVALID)")

    # 2. passerelle signs; pycose verifies.
    key = work / "issuer.json"
    if passerelle("key", "generate", "--type", "p256", "--out", str(key)).returncode != 0:
        fail("key generate")
    issuer = json.loads(key.read_text())
    unsigned = work / "unsigned.json"
    unsigned.write_text(json.dumps({**credential, "issuer": issuer["did"]}))
    issued = passerelle("issue", str(unsigned), "--key", str(key), "--format", "cose", "--at", AT)
    if issued.returncode != 0:
        fail(f"passerelle issue: {issued.stderr}")
    resolved = json.loads(passerelle("did", "resolve", issuer["did"], "--public-key-format", "JsonWebKey2020", "--json").stdout)
    jwk = resolved["didDocument"]["verificationMethod"][0]["publicKeyJwk"]
    ours = Sign1Message.decode(base64.b64decode(issued.stdout.strip()))
    ours.key = CoseKey.from_dict({
        1: 2,  # kty EC2
        -1: 1,  # crv P-256
        -2: base64.urlsafe_b64decode(jwk["x"] + "=="),
        -3: base64.urlsafe_b64decode(jwk["y"] + "=="),
    })
    if not ours.verify_signature():
        fail("pycose did not verify passerelle's COSE_Sign1")
    read = json.loads(ours.payload)
    if read["issuer"] != issuer["did"] or read["credentialSubject"] != credential["credentialSubject"]:
        fail(f"pycose read {read}")
    print(f"passerelle → pycose: verified (ES256, {ours.phdr.get(16) or 'typ'}), the same credential read")
