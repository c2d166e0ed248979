#!/usr/bin/env python3
"""Signs in to Lanyard as an employee through a third-party SAML service provider library.

    sp_login.py LIBRARY FLOW METADATA_FILE PUBLIC_URL LANYARD_BASE APPLICATION_ID USERNAME PASSWORD

PUBLIC_URL is Lanyard's configured public URL (what its metadata and redirects name) and
LANYARD_BASE where it actually listens; the "browser" maps one onto the other. LIBRARY is `pysaml2` or `python3-saml`; FLOW is `sp` (the SP sends a signed AuthnRequest and
the browser is sent to sign in) or `idp` (the employee signs in to the portal and starts the
application). The SP is configured only from Lanyard's IdP metadata (and its own key pair in
this directory). A browser is played with `requests`: the sign-in page and its CSRF token, the
redirects, and the auto-submitting form, whose SAMLResponse the SP library then validates
(signature against the metadata certificate, audience, recipient, times, InResponseTo).

Prints JSON: {"outcome": "accepted", "name_id", "attributes", "relay_state"} or
{"outcome": "denied", "status", "page"} when Lanyard refuses (no SAMLResponse on the page).
Exits non-zero when the library rejects the response or the flow breaks.
"""

import html
import json
import os
import re
import shutil
import sys
from urllib.parse import urljoin

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
SP_KEY = os.path.join(HERE, "sp-key.pem")
SP_CERT = os.path.join(HERE, "sp-cert.pem")
SP_HOST = "sp.interop.test"
ACS = f"https://{SP_HOST}/acs"
RELAY_STATE = "/after-login?x=1"


def fail(message):
    print(f"sp_login: {message}", file=sys.stderr)
    sys.exit(1)


def entity_id(library):
    return f"https://{SP_HOST}/{library}"


def hidden(page, name):
    match = re.search(r'name="%s" value="([^"]*)"' % re.escape(name), page)
    return html.unescape(match.group(1)) if match else None


class Browser:
    """Follows redirects by hand (to check each Location stays on Lanyard) and keeps cookies."""

    def __init__(self, public_url, base):
        self.public_url = public_url
        self.base = base
        self.session = requests.Session()

    def local(self, url):
        if url.startswith(self.public_url + "/"):
            return self.base + url[len(self.public_url):]
        if not url.startswith(self.base + "/"):
            fail(f"sent off Lanyard to {url}")
        return url

    def go(self, method, url, **kwargs):
        url = self.local(url)
        for _ in range(10):
            response = self.session.request(method, url, allow_redirects=False, timeout=30, **kwargs)
            if response.status_code not in (301, 302, 303, 307, 308):
                return response
            location = self.local(urljoin(url, response.headers["location"]))
            method, url, kwargs = "GET", location, {}
        fail("too many redirects")

    def sign_in_if_asked(self, response, username, password):
        if 'action="/sso/' not in response.text or 'name="password"' not in response.text:
            return response
        action = re.search(r'<form method="post" action="([^"]+)"', response.text).group(1)
        form = {
            "csrf": hidden(response.text, "csrf"),
            "continue": hidden(response.text, "continue"),
            "username": username,
            "password": password,
        }
        return self.go("POST", urljoin(self.base, action), data=form)


def saml_form(response):
    """The SAMLResponse form, or the refusal."""
    saml_response = hidden(response.text, "SAMLResponse")
    if saml_response is None:
        return None
    action = html.unescape(re.search(r'<form method="post" action="([^"]+)"', response.text).group(1))
    if action != ACS:
        fail(f"the form posts to {action!r}, not the ACS {ACS!r}")
    return saml_response, hidden(response.text, "RelayState")


def pysaml2_client(metadata_file):
    from saml2 import BINDING_HTTP_POST
    from saml2.client import Saml2Client
    from saml2.config import SPConfig

    config = SPConfig()
    config.load(
        {
            "entityid": entity_id("pysaml2"),
            "xmlsec_binary": shutil.which("xmlsec1") or "/usr/bin/xmlsec1",
            "key_file": SP_KEY,
            "cert_file": SP_CERT,
            "metadata": {"local": [metadata_file]},
            "allow_unknown_attributes": True,
            "service": {
                "sp": {
                    "endpoints": {"assertion_consumer_service": [(ACS, BINDING_HTTP_POST)]},
                    "authn_requests_signed": True,
                    "want_assertions_signed": True,
                    "want_response_signed": False,
                    "allow_unsolicited": True,
                }
            },
        }
    )
    return Saml2Client(config)


def pysaml2_flow(flow, metadata_file, browser, start_url, username, password):
    from saml2 import BINDING_HTTP_POST

    client = pysaml2_client(metadata_file)
    outstanding = {}
    if flow == "sp":
        idp = list(client.metadata.keys())[0]
        # HTTP-POST binding: the request carries an enveloped XML signature.
        # pysaml2 signs with RSA-SHA1 unless told otherwise, which Lanyard refuses.
        request_id, info = client.prepare_for_authenticate(
            entityid=idp,
            relay_state=RELAY_STATE,
            binding=BINDING_HTTP_POST,
            sign=True,
            sigalg="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            digest_alg="http://www.w3.org/2001/04/xmlenc#sha256",
        )
        outstanding[request_id] = "/"
        page = info["data"]
        action = html.unescape(re.search(r'action="([^"]+)"', page).group(1))
        form = {"SAMLRequest": hidden(page, "SAMLRequest"), "RelayState": hidden(page, "RelayState")}
        response = browser.go("POST", action, data=form)
    else:
        response = browser.go("GET", start_url)
    response = browser.sign_in_if_asked(response, username, password)
    found = saml_form(response)
    if found is None:
        return {"outcome": "denied", "status": response.status_code, "page": response.text}
    saml_response, relay_state = found
    parsed = client.parse_authn_request_response(saml_response, BINDING_HTTP_POST, outstanding)
    if parsed is None:
        fail("pysaml2 did not accept the response")
    identity = parsed.get_identity()
    return {
        "outcome": "accepted",
        "name_id": parsed.name_id.text,
        "attributes": identity,
        "relay_state": relay_state,
        "in_response_to": parsed.in_response_to,
    }


def onelogin_settings(metadata_file):
    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

    with open(metadata_file) as f:
        idp = OneLogin_Saml2_IdPMetadataParser.parse(f.read())
    with open(SP_KEY) as k, open(SP_CERT) as c:
        key, cert = k.read(), c.read()
    settings = OneLogin_Saml2_IdPMetadataParser.merge_settings(
        {
            "strict": True,
            "debug": False,
            "sp": {
                "entityId": entity_id("python3-saml"),
                "assertionConsumerService": {
                    "url": ACS,
                    "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
                },
                "NameIDFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
                "x509cert": cert,
                "privateKey": key,
            },
            "security": {
                "authnRequestsSigned": True,
                "wantAssertionsSigned": True,
                "wantMessagesSigned": False,
                "signatureAlgorithm": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                "digestAlgorithm": "http://www.w3.org/2001/04/xmlenc#sha256",
                "rejectDeprecatedAlgorithm": True,
            },
        },
        idp,
    )
    return settings


def acs_request(post_data=None):
    return {
        "https": "on",
        "http_host": SP_HOST,
        "server_port": "443",
        "script_name": "/acs",
        "get_data": {},
        "post_data": post_data or {},
    }


def onelogin_flow(flow, metadata_file, browser, start_url, username, password):
    from onelogin.saml2.auth import OneLogin_Saml2_Auth

    settings = onelogin_settings(metadata_file)
    request_id = None
    if flow == "sp":
        auth = OneLogin_Saml2_Auth(acs_request(), settings)
        # HTTP-Redirect binding, signed with SigAlg/Signature in the query.
        url = auth.login(return_to=RELAY_STATE)
        request_id = auth.get_last_request_id()
        response = browser.go("GET", url)
    else:
        response = browser.go("GET", start_url)
    response = browser.sign_in_if_asked(response, username, password)
    found = saml_form(response)
    if found is None:
        return {"outcome": "denied", "status": response.status_code, "page": response.text}
    saml_response, relay_state = found
    post = {"SAMLResponse": saml_response}
    if relay_state is not None:
        post["RelayState"] = relay_state
    auth = OneLogin_Saml2_Auth(acs_request(post), settings)
    auth.process_response(request_id=request_id)
    errors = auth.get_errors()
    if errors or not auth.is_authenticated():
        fail(f"python3-saml rejected the response: {errors} {auth.get_last_error_reason()}")
    return {
        "outcome": "accepted",
        "name_id": auth.get_nameid(),
        "attributes": auth.get_attributes(),
        "relay_state": relay_state,
        "in_response_to": request_id,
    }


def main(argv):
    if len(argv) != 9:
        fail(__doc__)
    library, flow, metadata_file, public_url, base, application_id, username, password = argv[1:]
    browser = Browser(public_url.rstrip("/"), base.rstrip("/"))
    start_url = f"{browser.base}/saml/apps/{application_id}/start"
    run = {"pysaml2": pysaml2_flow, "python3-saml": onelogin_flow}.get(library)
    if run is None or flow not in ("sp", "idp"):
        fail(__doc__)
    result = run(flow, metadata_file, browser, start_url, username, password)
    print(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main(sys.argv)
