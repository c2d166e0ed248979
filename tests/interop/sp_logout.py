#!/usr/bin/env python3
"""Single logout through third-party SAML service provider libraries.

    sp_logout.py SPEC_JSON

SPEC is {"public_url", "base", "peer" (another node's base, optional), "instance_id",
"username", "password", "apps": [{"name", "library", "application_id", "metadata", "slo"}],
"initiator": INDEX or null, "silent": [INDEX, ...]}.

Every app is a service provider of its library (`pysaml2`: HTTP-POST single logout;
`python3-saml`: HTTP-Redirect), configured from Lanyard's IdP metadata of its application, with
entity ID https://sp.interop.test/NAME and SLO endpoint https://sp.interop.test/NAME/slo. One
browser (played with `requests`) signs in once and starts IdP-initiated SSO into each app; the
library accepts each response and keeps its NameID and SessionIndex.

Then the employee signs out: from the initiator app (its library makes a signed LogoutRequest,
sent by that library's binding) or, with "initiator": null, from the portal's sign-out button.
The browser follows Lanyard's logout page: each frame's LogoutRequest is handed to the library
of its app, which checks it (signature against the IdP metadata, destination, NameID,
SessionIndex) and answers with its own signed LogoutResponse — except the "silent" apps, which
never answer. Then the page's report, and the initiator's library checks the LogoutResponse.

Prints JSON: {"requests": {NAME: {"valid", "error", "name_id", "session_index"}},
"initiator": {"status_codes", "accepted", "error"}, "first_response": "direct" | "page",
"report": TEXT of a partial-logout page or null, "signed_out": bool, "signed_out_on_peer": bool,
"peer_before": bool}.
"""

import base64
import html
import json
import re
import shutil
import sys
import time
import zlib
from urllib.parse import parse_qs, urljoin, urlparse

import requests

sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(__file__)))
from sp_login import SP_CERT, SP_HOST, SP_KEY, Browser, fail, hidden  # noqa: E402

RELAY_STATE = "/bye"
SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
DIGEST = "http://www.w3.org/2001/04/xmlenc#sha256"


def sp_entity(name):
    return f"https://{SP_HOST}/{name}"


def sp_slo(name):
    return f"https://{SP_HOST}/{name}/slo"


def sp_acs(name):
    return f"https://{SP_HOST}/{name}/acs"


def status_codes(xml):
    return re.findall(r'StatusCode Value="([^"]+)"', xml)


def decode_message(value, deflated):
    raw = base64.b64decode(value)
    return (zlib.decompress(raw, -15) if deflated else raw).decode()


class Pysaml2Sp:
    def __init__(self, name, metadata):
        from saml2 import BINDING_HTTP_POST
        from saml2.client import Saml2Client
        from saml2.config import SPConfig

        self.name = name
        config = SPConfig()
        config.load(
            {
                "entityid": sp_entity(name),
                "xmlsec_binary": shutil.which("xmlsec1") or "/usr/bin/xmlsec1",
                "key_file": SP_KEY,
                "cert_file": SP_CERT,
                "metadata": {"local": [metadata]},
                "allow_unknown_attributes": True,
                "service": {
                    "sp": {
                        "endpoints": {
                            "assertion_consumer_service": [(sp_acs(name), BINDING_HTTP_POST)],
                            "single_logout_service": [(sp_slo(name), BINDING_HTTP_POST)],
                        },
                        "want_assertions_signed": True,
                        "want_response_signed": False,
                        "allow_unsolicited": True,
                        "logout_requests_signed": True,
                        "logout_responses_signed": True,
                    }
                },
            }
        )
        self.client = Saml2Client(config)
        self.name_id = None
        self.session_index = None
        self.request_id = None

    def accept(self, saml_response):
        from saml2 import BINDING_HTTP_POST

        parsed = self.client.parse_authn_request_response(saml_response, BINDING_HTTP_POST, {})
        if parsed is None:
            fail(f"{self.name}: pysaml2 did not accept the response")
        self.name_id = parsed.name_id
        self.session_index = parsed.assertion.authn_statement[0].session_index

    def start_logout(self, browser):
        """The SP's own signed LogoutRequest (HTTP-POST), sent by the browser."""
        from saml2 import BINDING_HTTP_POST

        responses = self.client.do_logout(
            self.name_id,
            self.client.users.issuers_of_info(self.name_id),
            reason="user",
            expire=None,
            sign=True,
            expected_binding=BINDING_HTTP_POST,
            sign_alg=SHA256,
            digest_alg=DIGEST,
        )
        _binding, info = next(iter(responses.values()))
        page = info["data"]
        if not isinstance(page, str):
            fail(f"pysaml2 made no form: {responses!r}")
        action = html.unescape(re.search(r'action="([^"]+)"', page).group(1))
        form = {"SAMLRequest": hidden(page, "SAMLRequest")}
        relay = hidden(page, "RelayState")
        if relay:
            form["RelayState"] = relay
        return browser.go_to_lanyard("POST", action, data=form)

    def answer(self, browser, delivered):
        """A LogoutRequest from Lanyard: checked by pysaml2, answered with its LogoutResponse."""
        from saml2 import BINDING_HTTP_POST

        kind, url, fields = delivered
        if kind != "post" or url != sp_slo(self.name):
            return {"valid": False, "error": f"expected an HTTP-POST to {sp_slo(self.name)}, got {kind} {url}"}
        xml = decode_message(fields["SAMLRequest"], False)
        try:
            info = self.client.handle_logout_request(
                fields["SAMLRequest"],
                self.name_id,
                BINDING_HTTP_POST,
                sign=True,
                sign_alg=SHA256,
                digest_alg=DIGEST,
            )
        except Exception as error:
            return {"valid": False, "error": f"{type(error).__name__}: {error}", "xml": xml}
        page = info["data"]
        action = html.unescape(re.search(r'action="([^"]+)"', page).group(1))
        answer = hidden(page, "SAMLResponse")
        codes = status_codes(base64.b64decode(answer).decode())
        browser.go_to_lanyard("POST", action, data={"SAMLResponse": answer})
        return {
            "valid": codes[:1] == ["urn:oasis:names:tc:SAML:2.0:status:Success"],
            "error": None if codes[:1] == ["urn:oasis:names:tc:SAML:2.0:status:Success"] else codes,
            "name_id": re.search(r"NameID[^>]*>([^<]+)<", xml).group(1),
            "session_index": re.search(r"SessionIndex>([^<]+)<", xml).group(1),
        }

    def check_response(self, delivered):
        from saml2 import BINDING_HTTP_POST

        kind, url, fields = delivered
        if kind != "post" or url != sp_slo(self.name):
            return {"accepted": False, "error": f"expected an HTTP-POST to {sp_slo(self.name)}, got {kind} {url}"}
        xml = decode_message(fields["SAMLResponse"], False)
        try:
            response = self.client.parse_logout_request_response(fields["SAMLResponse"], BINDING_HTTP_POST)
        except Exception as error:
            return {"accepted": False, "error": f"{type(error).__name__}: {error}", "status_codes": status_codes(xml)}
        return {
            "accepted": response is not None and response.status_ok(),
            "error": None,
            "status_codes": status_codes(xml),
            "relay_state": fields.get("RelayState"),
        }


class OneLoginSp:
    def __init__(self, name, metadata):
        from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

        self.name = name
        with open(metadata) as f:
            idp = OneLogin_Saml2_IdPMetadataParser.parse(f.read())
        with open(SP_KEY) as k, open(SP_CERT) as c:
            key, cert = k.read(), c.read()
        self.settings = OneLogin_Saml2_IdPMetadataParser.merge_settings(
            {
                "strict": True,
                "debug": False,
                "sp": {
                    "entityId": sp_entity(name),
                    "assertionConsumerService": {
                        "url": sp_acs(name),
                        "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
                    },
                    "singleLogoutService": {
                        "url": sp_slo(name),
                        "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
                    },
                    "NameIDFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
                    "x509cert": cert,
                    "privateKey": key,
                },
                "security": {
                    "authnRequestsSigned": True,
                    "logoutRequestSigned": True,
                    "logoutResponseSigned": True,
                    "wantMessagesSigned": True,
                    "wantAssertionsSigned": True,
                    "signatureAlgorithm": SHA256,
                    "digestAlgorithm": DIGEST,
                    "rejectDeprecatedAlgorithm": True,
                },
            },
            idp,
        )
        self.name_id = None
        self.name_id_format = None
        self.session_index = None
        self.request_id = None

    def request(self, path, query=None, post=None):
        return {
            "https": "on",
            "http_host": SP_HOST,
            "server_port": "443",
            "script_name": path,
            "get_data": query or {},
            "post_data": post or {},
        }

    def accept(self, saml_response):
        from onelogin.saml2.auth import OneLogin_Saml2_Auth

        auth = OneLogin_Saml2_Auth(
            self.request(f"/{self.name}/acs", post={"SAMLResponse": saml_response}), self.settings
        )
        auth.process_response()
        if auth.get_errors() or not auth.is_authenticated():
            fail(f"{self.name}: python3-saml rejected the response: {auth.get_last_error_reason()}")
        self.name_id = auth.get_nameid()
        self.name_id_format = auth.get_nameid_format()
        self.session_index = auth.get_session_index()

    def start_logout(self, browser):
        """The SP's own signed LogoutRequest (HTTP-Redirect), followed by the browser."""
        from onelogin.saml2.auth import OneLogin_Saml2_Auth

        auth = OneLogin_Saml2_Auth(self.request(f"/{self.name}/logout"), self.settings)
        url = auth.logout(
            return_to=RELAY_STATE,
            name_id=self.name_id,
            session_index=self.session_index,
            name_id_format=self.name_id_format,
        )
        self.request_id = auth.get_last_request_id()
        return browser.go_to_lanyard("GET", url)

    def _slo(self, delivered, field):
        from onelogin.saml2.auth import OneLogin_Saml2_Auth

        kind, url, fields = delivered
        if kind != "redirect" or url.split("?")[0] != sp_slo(self.name):
            return None, f"expected an HTTP-Redirect to {sp_slo(self.name)}, got {kind} {url}"
        raw_query = url.split("?", 1)[1]
        query = {k: v[0] for k, v in parse_qs(raw_query, keep_blank_values=True).items()}
        request = self.request(f"/{self.name}/slo", query=query)
        # Check the query signature over the octets as they arrived.
        request["query_string"] = raw_query
        request["validate_signature_from_qs"] = True
        return (OneLogin_Saml2_Auth(request, self.settings), query), None

    def answer(self, browser, delivered):
        """A LogoutRequest from Lanyard: checked by python3-saml, answered with its LogoutResponse."""
        found, error = self._slo(delivered, "SAMLRequest")
        if error:
            return {"valid": False, "error": error}
        auth, query = found
        xml = decode_message(query["SAMLRequest"], True)
        url = auth.process_slo(keep_local_session=True)
        if auth.get_errors():
            return {"valid": False, "error": f"{auth.get_errors()} {auth.get_last_error_reason()}", "xml": xml}
        browser.go_to_lanyard("GET", url)
        return {
            "valid": True,
            "error": None,
            "name_id": re.search(r"NameID[^>]*>([^<]+)<", xml).group(1),
            "session_index": re.search(r"SessionIndex>([^<]+)<", xml).group(1),
        }

    def check_response(self, delivered):
        found, error = self._slo(delivered, "SAMLResponse")
        if error:
            return {"accepted": False, "error": error}
        auth, query = found
        xml = decode_message(query["SAMLResponse"], True)
        auth.process_slo(keep_local_session=True, request_id=self.request_id)
        errors = auth.get_errors()
        return {
            "accepted": not errors,
            "error": f"{errors} {auth.get_last_error_reason()}" if errors else None,
            "status_codes": status_codes(xml),
            "relay_state": query.get("RelayState"),
        }


class LogoutBrowser(Browser):
    """Stops where a message leaves Lanyard for a service provider."""

    def go_to_lanyard(self, method, url, **kwargs):
        """Sends to Lanyard and follows its redirects while they stay on Lanyard: returns the
        response, or ("redirect", url, {}) when Lanyard sends the browser to an SP."""
        url = self.local(url)
        for _ in range(10):
            response = self.session.request(method, url, allow_redirects=False, timeout=30, **kwargs)
            if response.status_code not in (301, 302, 303, 307, 308):
                return response
            location = urljoin(url, response.headers["location"])
            if location.startswith(self.public_url + "/") or location.startswith(self.base + "/"):
                method, url, kwargs = "GET", self.local(location), {}
                continue
            return ("redirect", location, {})
        fail("too many redirects")


def delivered_of(result):
    """What Lanyard sent towards an SP: a redirect, or an auto-submitting form."""
    if isinstance(result, tuple):
        return result
    page = result.text
    match = re.search(r'<form method="post" action="([^"]+)"', page)
    # An auto-submitting form has a <noscript> Continue button; a page of Lanyard's does not.
    if not match or "<noscript>" not in page:
        return ("page", None, {"status": result.status_code, "text": page})
    fields = {}
    for name in ("SAMLRequest", "SAMLResponse", "RelayState"):
        value = hidden(page, name)
        if value is not None:
            fields[name] = value
    return ("post", html.unescape(match.group(1)), fields)


def signed_in(browser, base, application_id):
    """Whether the session still opens SSO into the application: a SAMLResponse form at once,
    not a redirect to the sign-in page."""
    response = browser.session.get(
        f"{base}/saml/apps/{application_id}/start", allow_redirects=False, timeout=30
    )
    return response.status_code == 200 and hidden(response.text, "SAMLResponse") is not None


def main(argv):
    if len(argv) != 2:
        fail(__doc__)
    spec = json.loads(argv[1])
    browser = LogoutBrowser(spec["public_url"].rstrip("/"), spec["base"].rstrip("/"))
    sps = []
    for app in spec["apps"]:
        kind = {"pysaml2": Pysaml2Sp, "python3-saml": OneLoginSp}[app["library"]]
        sp = kind(app["name"], app["metadata"])
        start = f"{browser.base}/saml/apps/{app['application_id']}/start"
        response = browser.sign_in_if_asked(browser.go("GET", start), spec["username"], spec["password"])
        saml_response = hidden(response.text, "SAMLResponse")
        if saml_response is None:
            fail(f"{app['name']}: no SAMLResponse: {response.status_code} {response.text[:300]}")
        sp.accept(saml_response)
        sps.append(sp)
    first_app = spec["apps"][0]["application_id"]
    peer = spec.get("peer")
    result = {"peer_before": signed_in(browser, peer, first_app) if peer else None}

    initiator = spec.get("initiator")
    if initiator is None:
        portal = browser.go("GET", f"{browser.base}/sso/{spec['instance_id']}/portal")
        action = re.search(r'<form method="post" action="([^"]*/logout)"', portal.text).group(1)
        first = browser.go_to_lanyard(
            "POST", urljoin(browser.base, action), data={"csrf": hidden(portal.text, "csrf")}
        )
    else:
        first = sps[initiator].start_logout(browser)

    report = None
    result["requests"] = {}
    if not isinstance(first, tuple) and "<iframe" in first.text:
        result["first_response"] = "page"
        page = first.text
        frames = [html.unescape(src) for src in re.findall(r'<iframe[^>]* src="([^"]+)"', page)]
        finish = html.unescape(re.search(r'content="\d+;url=([^"]+)"', page).group(1))
        for frame in frames:
            delivered = delivered_of(browser.go_to_lanyard("GET", urljoin(browser.base, frame)))
            _, url, _ = delivered
            index = next(
                (i for i, a in enumerate(spec["apps"]) if url and url.startswith(sp_slo(a["name"]))),
                None,
            )
            if index is None:
                fail(f"a frame's message goes to no known SP: {delivered}")
            name = spec["apps"][index]["name"]
            if index in spec.get("silent", []):
                result["requests"][name] = {"valid": None, "error": "silent"}
                continue
            result["requests"][name] = sps[index].answer(browser, delivered)
        last = browser.go_to_lanyard("GET", urljoin(browser.base, finish))
    else:
        result["first_response"] = "direct"
        last = first

    delivered = delivered_of(last)
    title = re.search(r"<title>([^<]*)</title>", delivered[2]["text"]) if delivered[0] == "page" else None
    if title and title.group(1).startswith("Partly signed out"):
        text = delivered[2]["text"]
        report = re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", text))
        back = re.search(r'<a href="([^"]+)">Return to', text)
        form = re.search(r'<form method="post" action="([^"]+)"', text)
        if back:
            delivered = ("redirect", html.unescape(back.group(1)), {})
        elif form and hidden(text, "SAMLResponse"):
            fields = {"SAMLResponse": hidden(text, "SAMLResponse")}
            if hidden(text, "RelayState") is not None:
                fields["RelayState"] = hidden(text, "RelayState")
            delivered = ("post", html.unescape(form.group(1)), fields)
    result["report"] = report
    if initiator is not None:
        result["initiator"] = sps[initiator].check_response(delivered)
    else:
        result["initiator"] = None
        result["landing"] = last[1] if isinstance(last, tuple) else last.url

    result["signed_out"] = not signed_in(browser, browser.base, first_app)
    if peer:
        # Another node serves a session it read within its refresh interval; within that bound
        # the logout holds there too.
        deadline = time.time() + 10
        while signed_in(browser, peer, first_app) and time.time() < deadline:
            time.sleep(0.2)
        result["signed_out_on_peer"] = not signed_in(browser, peer, first_app)
    print(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main(sys.argv)
