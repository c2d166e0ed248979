#!/usr/bin/env bash
# Creates .venv with the third-party libraries the interop tests drive Lanyard with: the SAML
# service providers pysaml2 (signs and verifies with the xmlsec1 program) and python3-saml
# (OneLogin; signs and verifies through the `xmlsec` Python binding on top of lxml), and the
# SCIM client scim2-client with scim2-models (validates every answer against the schemas) over
# httpx2, pinned so that a new release's stricter checks change no test by surprise; and the
# OpenID Connect relying party authlib over requests (pinned for the same reason).
#
# The binding and lxml must use the same libxml2, or `import xmlsec` fails with "lxml & xmlsec
# libxml2 library version mismatch". Their binary wheels bundle one each; when the wheels do not
# match (or there is no xmlsec wheel for this Python and pip builds it against the system
# libxml2 while lxml keeps its bundled one), both are rebuilt from source against the system
# libxml2 and libxmlsec1 (headers from scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
python=.venv/bin/python
[[ -x $python ]] || python3 -m venv .venv

scim=("scim2-client[httpx2]==0.13.2" "scim2-models==0.12.3" "httpx2==2.17.0")
scim_installed() {
  "$python" - "${scim[@]}" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
import httpx2, scim2_client.engines.httpx2, scim2_models
for pin in sys.argv[1:]:
    name, wanted = pin.split("==")
    name = name.split("[")[0]
    assert version(name) == wanted, f"{name} {version(name)} is not {wanted}"
PY
}
scim_installed || {
  .venv/bin/pip install -q "${scim[@]}"
  scim_installed || { echo "scim2-client does not import after installing ${scim[*]}" >&2; exit 1; }
}

oidc=("authlib==1.9.10" "requests>=2.31")
check() {
  "$python" - "${oidc[0]}" <<'PY' 2>"${1:-/dev/null}"
import sys
from importlib.metadata import version
import saml2, onelogin.saml2.auth, lxml.etree, xmlsec
import authlib.jose, authlib.oauth2.rfc7523, authlib.integrations.requests_client, requests
name, wanted = sys.argv[1].split("==")
assert version(name) == wanted, f"{name} {version(name)} is not {wanted}"
from onelogin.saml2.utils import OneLogin_Saml2_Utils as U
with open("tests/interop/sp-key.pem") as k, open("tests/interop/sp-cert.pem") as c:
    key, cert = k.read(), c.read()
# validate_sign looks for the signature of a Response or of its Assertion: sign a Response.
doc = ('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
       'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r" Version="2.0" '
       'IssueInstant="2026-01-01T00:00:00Z"><saml:Issuer>urn:x</saml:Issuer></samlp:Response>')
signed = U.add_sign(doc, key, cert)
assert U.validate_sign(signed, cert, raise_exceptions=True)
PY
}

check && exit 0
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q pysaml2 python3-saml "${oidc[@]}"
check && exit 0
echo "lxml and xmlsec disagree on libxml2: rebuilding both against the system libraries"
.venv/bin/pip install -q --force-reinstall --no-cache-dir --no-binary lxml,xmlsec lxml xmlsec
check /dev/stderr || { echo "python3-saml still cannot sign and verify; see the error above" >&2; exit 1; }
