#!/usr/bin/env python3
"""Loads Lanyard's IdP metadata the way a pysaml2 service provider does, and reports what it saw.

    load_idp_metadata.py METADATA_FILE [EXPECTED_ENTITY_ID]

Prints JSON: the entity IDs, the SSO locations per binding, the signing certificates (base64 DER)
and which of them the metadata signature verifies with (checked by xmlsec1 through pysaml2).
Exits non-zero with a message on stderr when the metadata does not load, names another entity,
or its signature verifies with none of its own signing certificates.

Run by the end-to-end tests (tests/tests/e2e/metadata.rs) with the interpreter of the venv that
`make venv` creates.
"""

import json
import os
import shutil
import sys
import tempfile

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.attribute_converter import ac_factory
from saml2.config import SPConfig
from saml2.mdstore import MetaDataFile
from saml2.sigver import security_context

ENTITY_DESCRIPTOR = "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor"


def fail(message):
    print(f"load_idp_metadata: {message}", file=sys.stderr)
    sys.exit(1)


def xmlsec_binary():
    binary = shutil.which("xmlsec1") or "/usr/bin/xmlsec1"
    if not os.path.exists(binary):
        fail("xmlsec1 is not installed (scripts/install-deps.sh installs it)")
    return binary


def pem(certificate_b64):
    lines = [certificate_b64[i : i + 64] for i in range(0, len(certificate_b64), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


def main(argv):
    if len(argv) not in (2, 3):
        fail("usage: load_idp_metadata.py METADATA_FILE [EXPECTED_ENTITY_ID]")
    path = argv[1]
    expected = argv[2] if len(argv) == 3 else None

    config = SPConfig()
    try:
        config.load(
            {
                "entityid": "urn:lanyard:interop-test-sp",
                "xmlsec_binary": xmlsec_binary(),
                "metadata": {"local": [path]},
                "service": {
                    "sp": {
                        "endpoints": {
                            "assertion_consumer_service": [
                                ("https://sp.example.com/acs", BINDING_HTTP_POST)
                            ]
                        }
                    }
                },
            }
        )
    except Exception as err:  # pysaml2 raises many kinds; all mean "did not load"
        fail(f"pysaml2 could not load {path} as metadata: {err!r}")

    store = config.metadata
    entity_ids = sorted(store.keys())
    if not entity_ids:
        fail(f"{path} describes no entity")
    if expected is not None and entity_ids != [expected]:
        fail(f"expected exactly the entity {expected!r}, found {entity_ids!r}")

    security = security_context(config)
    entities = []
    for entity_id in entity_ids:
        sso = {}
        for name, binding in (("redirect", BINDING_HTTP_REDIRECT), ("post", BINDING_HTTP_POST)):
            sso[name] = [service["location"] for service in store.single_sign_on_service(entity_id, binding)]
        # pysaml2 re-wraps certificates at 64 columns; report them as one base64 string.
        certificates = ["".join(cert.split()) for _name, cert in store.certs(entity_id, "idpsso", "signing")]
        name_id_formats = [f["text"] for d in store[entity_id]["idpsso_descriptor"] for f in d.get("name_id_format", [])]
        want_signed = [d.get("want_authn_requests_signed") for d in store[entity_id]["idpsso_descriptor"]]

        # The metadata must be signed by one of its own signing keys: load it again as a
        # pysaml2 service provider does when given the IdP's certificate, which has xmlsec1
        # verify the signature.
        verified_with = None
        for certificate in certificates:
            with tempfile.NamedTemporaryFile("w", suffix=".pem", delete=False) as cert_file:
                cert_file.write(pem(certificate))
            try:
                checked = MetaDataFile(
                    ac_factory(),
                    path,
                    cert=cert_file.name,
                    security=security,
                    node_name=ENTITY_DESCRIPTOR,
                )
                checked.load()
                if checked.signed():
                    verified_with = certificate
                    break
            except Exception:
                continue
            finally:
                os.unlink(cert_file.name)
        if verified_with is None:
            fail(f"the signature of {entity_id!r} verifies with none of its {len(certificates)} signing certificates")

        entities.append(
            {
                "entity_id": entity_id,
                "sso": sso,
                "signing_certificates": certificates,
                "signature_verified_with": verified_with,
                "name_id_formats": name_id_formats,
                "want_authn_requests_signed": want_signed,
            }
        )

    print(json.dumps({"entity_ids": entity_ids, "entities": entities}, indent=2))


if __name__ == "__main__":
    main(sys.argv)
