"""COSE interop, both ways, with pycose (from the Python package registry).

1. pycose signs a COSE_Sign1 credential (EdDSA, then ES512; a did:key
   issuer; alg, kid, typ and content type protected) and `passerelle
   verify` verifies it, and refuses it with a byte of the payload changed;
2. `passerelle issue --format cose` signs one with a P-256 key, then a
   P-521 key, and pycose verifies its signature with the key the did:key
   resolves to, and reads the same credential.

    python3 scripts/cose-interop.py <passerelle binary>
"""

import base64
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from pycose.headers import Algorithm, ContentType, KID
from pycose.algorithms import EdDSA, Es512
from pycose.keys import CoseKey
from pycose.keys.curves import Ed25519, P521
from pycose.keys.keyparam import EC2KpCurve, EC2KpD, EC2KpX, EC2KpY, KpKty, OKPKpCurve, OKPKpD, OKPKpX
from pycose.keys.keytype import KtyEC2, KtyOKP
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
    def pycose_ed25519():
        private = Ed25519PrivateKey.generate()
        public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        key = CoseKey.from_dict({KpKty: KtyOKP, OKPKpCurve: Ed25519, OKPKpX: public, OKPKpD: private.private_bytes_raw()})
        return EdDSA, "z" + base58(bytes([0xED, 0x01]) + public), key

    def pycose_p521():
        private = ec.generate_private_key(ec.SECP521R1())
        numbers = private.private_numbers()
        compressed = private.public_key().public_bytes(Encoding.X962, PublicFormat.CompressedPoint)
        key = CoseKey.from_dict({
            KpKty: KtyEC2,
            EC2KpCurve: P521,
            EC2KpX: numbers.public_numbers.x.to_bytes(66, "big"),
            EC2KpY: numbers.public_numbers.y.to_bytes(66, "big"),
            EC2KpD: numbers.private_value.to_bytes(66, "big"),
        })
        return Es512, "z" + base58(bytes([0x82, 0x24]) + compressed), key

    for make_key in (pycose_ed25519, pycose_p521):
        alg, multikey, cose_key = make_key()
        did = f"did:key:{multikey}"
        credential = {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential", "AgeCredential"],
            "issuer": did,
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {"ageOver19": True},
        }
        message = Sign1Message(
            phdr={Algorithm: alg, KID: f"{did}#{multikey}".encode(), ContentType: "application/vc", 16: "application/vc+cose"},
            payload=json.dumps(credential).encode(),
        )
        message.key = cose_key
        signed = message.encode(tag=True)
        theirs = work / "pycose.cbor"
        theirs.write_bytes(signed)
        result = passerelle("verify", str(theirs), "--at", AT, "--json")
        if result.returncode != 0:
            fail(f"passerelle refused pycose's {alg.fullname} COSE_Sign1: {result.stdout}{result.stderr}")
        # A type renamed (`AgeCredential` → `@geCredential`): the payload stays
        # well-formed JSON, so only the signature can refuse it.
        changed = bytearray(signed)
        changed[changed.index(b"AgeCredential")] ^= 0x01
        (work / "changed.cbor").write_bytes(bytes(changed))
        result = passerelle("verify", str(work / "changed.cbor"), "--at", AT, "--json")
        failed = [c for c in json.loads(result.stdout)["checks"] if c["outcome"] == "failed"]
        if result.returncode == 0 or [c.get("code") for c in failed] != ["PROOF_SIGNATURE_INVALID"]:
            fail(f"pycose's {alg.fullname} COSE_Sign1 with its payload changed: {failed}")
        print(f"pycose → passerelle: verified ({alg.fullname}, did:key issuer); a changed payload refused (PROOF_SIGNATURE_INVALID)")

    # 2. passerelle signs; pycose verifies.
    for key_type, crv, size in (("p256", 1, 32), ("p521", 3, 66)):
        key = work / f"issuer-{key_type}.json"
        if passerelle("key", "generate", "--type", key_type, "--out", str(key)).returncode != 0:
            fail(f"key generate --type {key_type}")
        issuer = json.loads(key.read_text())
        unsigned = work / "unsigned.json"
        unsigned.write_text(json.dumps({**credential, "issuer": issuer["did"]}))
        issued = passerelle("issue", str(unsigned), "--key", str(key), "--format", "cose", "--at", AT)
        if issued.returncode != 0:
            fail(f"passerelle issue: {issued.stderr}")
        resolved = json.loads(passerelle("did", "resolve", issuer["did"], "--public-key-format", "JsonWebKey2020", "--json").stdout)
        jwk = resolved["didDocument"]["verificationMethod"][0]["publicKeyJwk"]
        x, y = (base64.urlsafe_b64decode(jwk[c] + "==") for c in ("x", "y"))
        if len(x) != size or len(y) != size:
            fail(f"the {key_type} JWK's coordinates are not {size} bytes")
        ours = Sign1Message.decode(base64.b64decode(issued.stdout.strip()))
        ours.key = CoseKey.from_dict({1: 2, -1: crv, -2: x, -3: y})  # kty EC2, crv, x, y
        if not ours.verify_signature():
            fail(f"pycose did not verify passerelle's {key_type} COSE_Sign1")
        read = json.loads(ours.payload)
        if read["issuer"] != issuer["did"] or read["credentialSubject"] != credential["credentialSubject"]:
            fail(f"pycose read {read}")
        print(f"passerelle → pycose: verified ({ours.phdr[Algorithm].fullname}, {ours.phdr.get(16) or 'typ'}), the same credential read")
