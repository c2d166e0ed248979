#!/usr/bin/env python3
"""Signs in to Lanyard as an employee through a third-party SAML service provider library.

    sp_login.py LIBRARY FLOW METADATA_FILE PUBLIC_URL LANYARD_BASE APPLICATION_ID USERNAME PASSWORD [OPTIONS]

PUBLIC_URL is Lanyard's configured public URL (what its metadata and redirects name) and
LANYARD_BASE where it actually listens; the "browser" maps one onto the other. LIBRARY is `pysaml2` or `python3-saml`; FLOW is `sp` (the SP sends a signed AuthnRequest and
the browser is sent to sign in) or `idp` (the employee signs in to the portal and starts the
application). The SP is configured only from Lanyard's IdP metadata (and its own key pair in
this directory). A browser is played with `requests`: the sign-in page and its CSRF token, the
redirects, and the auto-submitting form, whose SAMLResponse the SP library then validates
(signature against the metadata certificate, audience, recipient, times, InResponseTo).

OPTIONS (JSON, SP-initiated flow) are what the AuthnRequest asks, through each library's own
settings: {"force_authn": true, "is_passive": true, "name_id_format": URI, "allow_create": true,
"authn_context": {"comparison": "exact", "classes": [URI, ...]}}, and {"sign_in_first": true}
to sign in (IdP-initiated) before the SP's request; {"encrypted": true} makes python3-saml
require an encrypted assertion (pysaml2 always decrypts one with the SP's key pair).

Prints JSON: {"outcome": "accepted", "name_id", "name_id_format", "authn_context",
"attributes", "relay_state", "asked_password"}; {"outcome": "denied", "status", "page"} when
Lanyard refuses with a page (with "status_codes" and the library's "sp_error" when the page
offers the failure response back to the SP); or {"outcome": "status", "error",
"status_codes"} when the response carries a failure status: the library's report, and the
status codes as sent. Exits non-zero when the library
rejects a successful response or the flow breaks.
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
        self.asked_password = False

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
        self.asked_password = True
        action = re.search(r'<form method="post" action="([^"]+)"', response.text).group(1)
        form = {
            "csrf": hidden(response.text, "csrf"),
            "continue": hidden(response.text, "continue"),
            "username": username,
            "password": password,
        }
        return self.go("POST", urljoin(self.base, action), data=form)


def assertion_encrypted(saml_response):
    """Whether the assertion travelled encrypted: no assertion in the clear."""
    import base64

    xml = base64.b64decode(saml_response).decode()
    return "EncryptedAssertion" in xml and ":Assertion " not in xml and "<Assertion " not in xml


def status_codes(saml_response):
    """The StatusCode values of a response, top-level first, as the IdP sent them."""
    import base64

    xml = base64.b64decode(saml_response).decode()
    return re.findall(r'StatusCode Value="([^"]+)"', xml)


def denied(response, saml_response=None, sp_error=None):
    """Lanyard's denial page, and the failure response it offers to take back to the SP."""
    result = {"outcome": "denied", "status": response.status_code, "page": response.text}
    if saml_response is not None:
        result["status_codes"] = status_codes(saml_response)
        result["sp_error"] = sp_error
    return result


def saml_form(response):
    """The SAMLResponse form, or the refusal."""
    saml_response = hidden(response.text, "SAMLResponse")
    if saml_response is None:
        return None
    action = html.unescape(re.search(r'<form method="post" action="([^"]+)"', response.text).group(1))
    if action != ACS:
        fail(f"the form posts to {action!r}, not the ACS {ACS!r}")
    return saml_response, hidden(response.text, "RelayState")


def pysaml2_client(metadata_file, options):
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
            # The SP decrypts encrypted assertions with its own key pair.
            "encryption_keypairs": [{"key_file": SP_KEY, "cert_file": SP_CERT}],
            "allow_unknown_attributes": True,
            "service": {
                "sp": {
                    "endpoints": {"assertion_consumer_service": [(ACS, BINDING_HTTP_POST)]},
                    "authn_requests_signed": True,
                    "want_assertions_signed": True,
                    "want_response_signed": False,
                    "allow_unsolicited": True,
                    # A NameIDPolicy only when a format is asked for (as pysaml2 does), with
                    # AllowCreate="false" unless told otherwise (pysaml2's default).
                    "name_id_policy_format": options.get("name_id_format"),
                    "name_id_format_allow_create": bool(options.get("allow_create")),
                }
            },
        }
    )
    return Saml2Client(config)


def pysaml2_request_options(options):
    from saml2.saml import AuthnContextClassRef
    from saml2.samlp import RequestedAuthnContext

    kwargs = {}
    if options.get("force_authn"):
        kwargs["force_authn"] = "true"
    if options.get("is_passive"):
        kwargs["is_passive"] = "true"
    context = options.get("authn_context")
    if context:
        kwargs["requested_authn_context"] = RequestedAuthnContext(
            authn_context_class_ref=[AuthnContextClassRef(text=c) for c in context["classes"]],
            comparison=context.get("comparison", "exact"),
        )
    return kwargs


def pysaml2_flow(flow, metadata_file, browser, start_url, username, password, options):
    from saml2 import BINDING_HTTP_POST

    client = pysaml2_client(metadata_file, options)
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
            **pysaml2_request_options(options),
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
        return denied(response)
    saml_response, relay_state = found
    if response.status_code == 403:
        # A denial that offers the way back: what the SP makes of the response it carries.
        try:
            client.parse_authn_request_response(saml_response, BINDING_HTTP_POST, outstanding)
            fail("pysaml2 accepted the response of a denial")
        except Exception as error:
            return denied(response, saml_response, f"{type(error).__name__}: {error}")
    try:
        parsed = client.parse_authn_request_response(saml_response, BINDING_HTTP_POST, outstanding)
    except Exception as error:  # pysaml2 raises one exception class per failure status
        if type(error).__name__.startswith("Status"):
            return {
                "outcome": "status",
                "error": f"{type(error).__name__}: {error}",
                "status_codes": status_codes(saml_response),
            }
        raise
    if parsed is None:
        fail("pysaml2 did not accept the response")
    identity = parsed.get_identity()
    statement = parsed.assertion.authn_statement[0]
    return {
        "outcome": "accepted",
        "name_id": parsed.name_id.text,
        "name_id_format": parsed.name_id.format,
        "authn_context": statement.authn_context.authn_context_class_ref.text,
        "attributes": identity,
        "relay_state": relay_state,
        "in_response_to": parsed.in_response_to,
        "asked_password": browser.asked_password,
        "assertion_encrypted": assertion_encrypted(saml_response),
    }


def onelogin_settings(metadata_file, options):
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
                "NameIDFormat": options.get(
                    "name_id_format", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
                ),
                "x509cert": cert,
                "privateKey": key,
            },
            "security": {
                "authnRequestsSigned": True,
                "wantAssertionsSigned": True,
                "wantMessagesSigned": False,
                "wantAssertionsEncrypted": bool(options.get("encrypted")),
                "signatureAlgorithm": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                "digestAlgorithm": "http://www.w3.org/2001/04/xmlenc#sha256",
                "rejectDeprecatedAlgorithm": True,
                # python3-saml's default: PasswordProtectedTransport, exact.
                "requestedAuthnContext": (options.get("authn_context") or {}).get("classes", True),
                "requestedAuthnContextComparison": (options.get("authn_context") or {}).get(
                    "comparison", "exact"
                ),
            },
        },
        idp,
    )
    # The IdP metadata's first NameIDFormat is merged in as the SP's: the request asks what
    # the options say, or for nothing in particular.
    settings["sp"]["NameIDFormat"] = options.get(
        "name_id_format", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
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


def onelogin_flow(flow, metadata_file, browser, start_url, username, password, options):
    from onelogin.saml2.auth import OneLogin_Saml2_Auth

    settings = onelogin_settings(metadata_file, options)
    request_id = None
    if flow == "sp":
        auth = OneLogin_Saml2_Auth(acs_request(), settings)
        # HTTP-Redirect binding, signed with SigAlg/Signature in the query.
        url = auth.login(
            return_to=RELAY_STATE,
            force_authn=bool(options.get("force_authn")),
            is_passive=bool(options.get("is_passive")),
        )
        request_id = auth.get_last_request_id()
        response = browser.go("GET", url)
    else:
        response = browser.go("GET", start_url)
    response = browser.sign_in_if_asked(response, username, password)
    found = saml_form(response)
    if found is None:
        return denied(response)
    saml_response, relay_state = found
    if response.status_code == 403:
        auth = OneLogin_Saml2_Auth(acs_request({"SAMLResponse": saml_response}), settings)
        auth.process_response(request_id=request_id)
        if auth.is_authenticated():
            fail("python3-saml accepted the response of a denial")
        return denied(response, saml_response, auth.get_last_error_reason())
    post = {"SAMLResponse": saml_response}
    if relay_state is not None:
        post["RelayState"] = relay_state
    auth = OneLogin_Saml2_Auth(acs_request(post), settings)
    auth.process_response(request_id=request_id)
    errors = auth.get_errors()
    reason = auth.get_last_error_reason() or ""
    if errors and "status code of the Response was not Success" in reason:
        return {"outcome": "status", "error": reason, "status_codes": status_codes(saml_response)}
    if errors or not auth.is_authenticated():
        fail(f"python3-saml rejected the response: {errors} {reason}")
    return {
        "outcome": "accepted",
        "name_id": auth.get_nameid(),
        "name_id_format": auth.get_nameid_format(),
        "authn_context": (auth.get_last_authn_contexts() or [None])[0],
        "attributes": auth.get_attributes(),
        "relay_state": relay_state,
        "in_response_to": request_id,
        "asked_password": browser.asked_password,
        "assertion_encrypted": assertion_encrypted(saml_response),
    }


def main(argv):
    if len(argv) not in (9, 10):
        fail(__doc__)
    library, flow, metadata_file, public_url, base, application_id, username, password = argv[1:9]
    options = json.loads(argv[9]) if len(argv) == 10 else {}
    browser = Browser(public_url.rstrip("/"), base.rstrip("/"))
    start_url = f"{browser.base}/saml/apps/{application_id}/start"
    run = {"pysaml2": pysaml2_flow, "python3-saml": onelogin_flow}.get(library)
    if run is None or flow not in ("sp", "idp"):
        fail(__doc__)
    if options.get("sign_in_first"):
        browser.sign_in_if_asked(browser.go("GET", start_url), username, password)
        browser.asked_password = False
    result = run(flow, metadata_file, browser, start_url, username, password, options)
    print(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main(sys.argv)
