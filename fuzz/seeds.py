"""Writes the seed corpora of fuzz/corpus/ (run by `make fuzz-seeds`; the files are committed).

Seeds are what the server meets: AuthnRequests as pysaml2 and python3-saml send them to the
harness's application, SP metadata as Alibaba Cloud and generic SPs publish it, cursors the
server hands out, CSV files `lanyard import` reads, access policies from the tests, form
bodies and cookies as browsers send them, GraphQL requests as the console and scripts send
them, and the hostile cases of the hostile-input tests.

It also writes fuzz/harness/fixtures/: an AuthnRequest signed by the interop SP's key
(tests/interop/sp-key.pem) with an enveloped XML signature (xmlsec1) and one signed by the
HTTP-Redirect query signature (openssl), which the saml_signed target mutates.
"""
import base64
import hashlib
import hmac
import json
import os
import subprocess
import tempfile
import urllib.parse
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "corpus")
FIXTURES = os.path.join(HERE, "harness", "fixtures")
SP_KEY = os.path.join(HERE, "..", "tests", "interop", "sp-key.pem")
SP = "https://sp.example.com/metadata"
ACS = "https://sp.example.com/acs"
SSO = "http://127.0.0.1/saml/app/sso"
INSTANT = "2026-12-07T08:00:00Z"


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    os.makedirs(os.path.join(ROOT, target), exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(ROOT, target, name), "wb") as f:
        f.write(data)


def request(id_="ONELOGIN_4fee3b046395c4e751011e97f8900b5273d56685", extra="", body=None):
    issuer = f"<saml:Issuer>{SP}</saml:Issuer>"
    return (
        '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
        f'ID="{id_}" Version="2.0" IssueInstant="{INSTANT}" Destination="{SSO}" '
        'ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" '
        f'AssertionConsumerServiceURL="{ACS}"{extra}>'
        + (body if body is not None else issuer + '<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified" AllowCreate="true"/>')
        + "</samlp:AuthnRequest>"
    )


def deflated(xml):
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(compressor.compress(xml.encode()) + compressor.flush()).decode()


def redirect(xml, relay=None, sig=False):
    query = "SAMLRequest=" + urllib.parse.quote(deflated(xml), safe="")
    if relay is not None:
        query += "&RelayState=" + urllib.parse.quote(relay, safe="")
    if sig:
        query += "&SigAlg=" + urllib.parse.quote("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", safe="")
        query += "&Signature=" + urllib.parse.quote(base64.b64encode(b"\x01" * 256).decode(), safe="")
    return query


requests = [
    request(),
    # pysaml2's shape: id-prefixed ID, NameIDPolicy with SPNameQualifier.
    request("id-6b4bdc9ac1d0e8b1f1e0a1c5", body=f'<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">{SP}</saml:Issuer><samlp:NameIDPolicy AllowCreate="false" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"/>'),
    request(extra=' ForceAuthn="true" IsPassive="false"'),
    # What a request may ask for: a passive sign-in, a NameID format, an authentication context.
    request(extra=' IsPassive="true"', body=f'<saml:Issuer>{SP}</saml:Issuer><samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" AllowCreate="false"/><samlp:RequestedAuthnContext Comparison="minimum"><saml:AuthnContextClassRef>https://refeds.org/profile/mfa</saml:AuthnContextClassRef><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></samlp:RequestedAuthnContext>'),
    request(body=f'<saml:Issuer>{SP}</saml:Issuer><samlp:RequestedAuthnContext><saml:AuthnContextDeclRef>urn:x</saml:AuthnContextDeclRef></samlp:RequestedAuthnContext>'),
    request(body=f"<saml:Issuer>{SP}</saml:Issuer><ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/><ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/><ds:Reference URI=\"#ONELOGIN_4fee3b046395c4e751011e97f8900b5273d56685\"><ds:Transforms><ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/></ds:Transforms><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>"),
    # Hostile: an entity declaration, a second ID, wrong issuer, wrong version.
    '<!DOCTYPE x [<!ENTITY e "lol">]>' + request(),
    request(body=f'<saml:Issuer ID="ONELOGIN_4fee3b046395c4e751011e97f8900b5273d56685">{SP}</saml:Issuer>'),
    request(body="<saml:Issuer>https://evil.example.com</saml:Issuer>"),
    request(extra=' xml:id="x"'),
]
for xml in requests:
    put("saml_redirect", redirect(xml, relay="https://app.example.com/after"))
    put("saml_post", base64.b64encode(xml.encode()).decode() + "\nrelay-42")
put("saml_redirect", redirect(requests[0], sig=True))
put("saml_redirect", redirect(requests[0], relay="r", sig=True) + "&SAMLRequest=x")
put("saml_redirect", "SAMLRequest=%ZZ&RelayState=" + "a" * 100)
put("saml_post", base64.b64encode(b"\x00" * 64).decode())

SLO = "http://127.0.0.1/saml/app/slo"


def logout_request(id_="ONELOGIN_21df91a89767879fc0f7df6a1490c6000c81644d", extra="", body=None):
    return (
        '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
        f'ID="{id_}" Version="2.0" IssueInstant="{INSTANT}" Destination="{SLO}"{extra}>'
        + (body if body is not None else f"<saml:Issuer>{SP}</saml:Issuer>"
           '<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">alice</saml:NameID>'
           "<samlp:SessionIndex>_0f1e2d3c4b5a69788796a5b4c3d2e1f0</samlp:SessionIndex>")
        + "</samlp:LogoutRequest>"
    )


def logout_response(codes, in_response_to="_8e3c0a4b1f", extra=""):
    status = "".join(f'<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:{c}">' for c in codes)
    status += "</samlp:StatusCode>" * len(codes)
    return (
        '<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
        f'ID="id-2b1f0e" Version="2.0" IssueInstant="{INSTANT}" Destination="{SLO}" '
        f'InResponseTo="{in_response_to}"{extra}><saml:Issuer>{SP}</saml:Issuer>'
        f"<samlp:Status>{status}</samlp:Status></samlp:LogoutResponse>"
    )


logouts = [
    logout_request(),
    # pysaml2's shape: NotOnOrAfter, Reason, two SessionIndexes, a NameID with qualifiers.
    logout_request("id-7a9d0b", ' NotOnOrAfter="2026-12-07T08:05:00Z" Reason="urn:oasis:names:tc:SAML:2.0:logout:user"',
                   f'<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">{SP}</saml:Issuer>'
                   '<saml:NameID SPNameQualifier="https://sp.example.com/metadata" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">a&amp;b</saml:NameID>'
                   "<samlp:SessionIndex>_a</samlp:SessionIndex><samlp:SessionIndex>_b</samlp:SessionIndex>"),
    logout_request(body=f"<saml:Issuer>{SP}</saml:Issuer><saml:EncryptedID><xenc:EncryptedData xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\"/></saml:EncryptedID>"),
    logout_request(body=f"<saml:Issuer>{SP}</saml:Issuer><saml:NameID><![CDATA[ cdata ]]></saml:NameID>"),
    '<!DOCTYPE x [<!ENTITY e "lol">]>' + logout_request(),
    logout_request(body="<saml:Issuer>https://evil.example.com</saml:Issuer><saml:NameID>alice</saml:NameID>"),
    logout_response(["Success"]),
    logout_response(["Responder", "PartialLogout"]),
    logout_response(["Requester", "UnknownPrincipal"], extra=' Consent="urn:oasis:names:tc:SAML:2.0:consent:unspecified"'),
    logout_response([], in_response_to=""),
]
for xml in logouts:
    field = "SAMLResponse" if "LogoutResponse" in xml else "SAMLRequest"
    put("saml_logout", redirect(xml, relay="https://app.example.com/bye").replace("SAMLRequest=", field + "=", 1))
    put("saml_logout", f"{field}\n{base64.b64encode(xml.encode()).decode()}\nrelay-7")
put("saml_logout", "SAMLRequest=" + urllib.parse.quote(deflated(logout_request()), safe="") + "&SAMLResponse=x")
put("saml_logout", "SAMLResponse\n" + base64.b64encode(b"\x00" * 64).decode())

metadata = [
    f'''<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://signin-intl.aliyun.com/1234567890123456/saml/SSO">
  <md:SPSSODescriptor AuthnRequestsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://sp.example.com/redirect" index="0"/>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example.com/acs2" index="2"/>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://signin-intl.aliyun.com/saml/SSO" index="1" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>''',
    '''<?xml version="1.0"?>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://wiki.example.com/saml">
  <SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>MIIBszCCAVmgAwIBAgIUQ</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>
    <AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://wiki.example.com/saml/acs" index="0"/>
  </SPSSODescriptor>
</EntityDescriptor>''',
    "<md:EntityDescriptor",
    '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><EntityDescriptor entityID="&e;"/>',
    '<EntityDescriptor entityID="https://sp.example.com"><IDPSSODescriptor/></EntityDescriptor>',
    "<a>" * 100 + "</a>" * 100,
]
for xml in metadata:
    put("sp_metadata", xml)

def cursor(text):
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

for text in ["alice", "Ann.Lee", "~n\tann.lee\t0194f0c2-7b1e-7c3a-9d2e-1a2b3c4d5e6f", "~e\tann@corp.example", "~", "~n\ta\tb\tc", "01937c2e-55aa-7c00-8000-000000000001"]:
    put("cursor", cursor(text))
put("cursor", "!!!not-base64")
put("cursor", "A" * 3000)

csvs = [
    "username,displayName,email,phone,externalId,groupIds,orgUnitIds,password\nann,Ann Lee,ann@corp.example,+86 138 0000 0000,hr-1,g1;g2,u1,\n",
    "username,email\r\n\"bob\",\"bob@corp.example\"\r\n\r\n\"multi\nline\",\"x@corp.example\"\r\n",
    "username,nosuchcolumn\nann,1\n",
    "username\n" + "\n".join(f"user{i}" for i in range(20)) + "\n",
    "\ufeffusername,displayName\n\"unterminated,x\n",
    "username,email\nann\n",
]
for text in csvs:
    put("csv_rows", text)

policies = [
    'forbid (principal, action == Lanyard::Action::"sso", resource)\nunless { context.sourceIp.isInRange(ip("10.0.0.0/8")) };',
    'forbid (principal, action == Lanyard::Action::"sso", resource)\nwhen { context.template == "alibaba-cloud-user-sso-intl" }\nunless { context.mfa };',
    'forbid (principal, action == Lanyard::Action::"sso", resource)\nunless { context.weekdayUtc <= 5 && context.hourUtc >= 8 && context.hourUtc < 18 };',
    'forbid (principal in Lanyard::OrgUnit::"01937c2e-55aa-7c00-8000-000000000001", action == Lanyard::Action::"sso", resource);',
    'permit (principal, action, resource);',
    'forbid (principal, action == Lanyard::Action::"sso", resource) when { 1 + };',
    'forbid (principal, action == Lanyard::Action::"sso", resource)\nunless {\n  context.sourceIP.isInRange(ip("10.0.0.0/8"))\n};',
    '@id("x") forbid (principal, action == Lanyard::Action::"sso", resource) when { principal.username like "*admin*" };',
]
for text in policies:
    put("cedar_policy", text)


# --- Signed requests (saml_signed): the fixtures, and edit scripts that start from them. ---
SIGNED_ID = "_signed_request_1"
SIGNED_RELAY = "https://sp.example.com/after?x=1"
SIGNATURE_TEMPLATE = (
    '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
    '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
    '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
    f'<ds:Reference URI="#{SIGNED_ID}"><ds:Transforms>'
    '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
    '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>'
    '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>'
    '<ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/></ds:Signature>'
)


def signed_post_xml():
    template = request(
        SIGNED_ID,
        body=f"<saml:Issuer>{SP}</saml:Issuer>{SIGNATURE_TEMPLATE}"
        '<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified" AllowCreate="true"/>',
    )
    with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False) as f:
        f.write(template)
    try:
        return subprocess.run(
            ["xmlsec1", "--sign", "--privkey-pem", SP_KEY,
             "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:AuthnRequest", f.name],
            check=True, capture_output=True,
        ).stdout.decode()
    finally:
        os.unlink(f.name)


def signed_redirect_query():
    query = "SAMLRequest=" + urllib.parse.quote(deflated(request(SIGNED_ID)), safe="")
    query += "&RelayState=" + urllib.parse.quote(SIGNED_RELAY, safe="")
    query += "&SigAlg=" + urllib.parse.quote("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", safe="")
    signature = subprocess.run(
        ["openssl", "dgst", "-sha256", "-sign", SP_KEY],
        input=query.encode(), check=True, capture_output=True,
    ).stdout
    return query + "&Signature=" + urllib.parse.quote(base64.b64encode(signature).decode(), safe="")


os.makedirs(FIXTURES, exist_ok=True)
with open(os.path.join(FIXTURES, "signed-post.xml"), "w") as f:
    f.write(signed_post_xml())
with open(os.path.join(FIXTURES, "signed-redirect.txt"), "w") as f:
    f.write(signed_redirect_query())


def edits(binding, *steps):
    """An input of saml_signed: the binding, then 6-byte edits (see fuzz/harness/src/signed.rs)."""
    out = bytes([binding])
    for op, first, arg, second in steps:
        out += bytes([op]) + first.to_bytes(2, "big") + bytes([arg]) + second.to_bytes(2, "big")
    return out


for binding in (0, 1):
    put("saml_signed", edits(binding))
    put("saml_signed", edits(binding, (0, 60, ord("X"), 0)))  # one byte of the request changed
    put("saml_signed", edits(binding, (3, 40, 6, 0)))  # a second ID attribute
    put("saml_signed", edits(binding, (4, 0, 255, 2000)))  # a copy of the start elsewhere
    put("saml_signed", edits(binding, (5, 300, 100, 20)))  # a span moved
    put("saml_signed", edits(binding, (1, 700, 31, 0), (2, 10, ord("<"), 0)))

# --- Cookies and tokens (session_tokens): minted with the harness's master key. ---
MASTER = bytes([0x42]) * 32
INSTANCE = "0194f0c2-0000-7000-8000-00000000000a"


def derive(label):
    prk = hmac.new(b"lanyard", MASTER, hashlib.sha256).digest()
    return hmac.new(prk, label + b"\x01", hashlib.sha256).digest()


def b64url(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt(label, claims):
    header = b64url(json.dumps({"typ": "JWT", "alg": "HS256"}, separators=(",", ":")).encode())
    payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(derive(label), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(signature)}"


FOREVER = 4102444800  # 2100-01-01
admin = jwt(b"admin-session v1", {"sid": "0194f0c2-0000-7000-8000-000000000001", "aud": "lanyard-console", "exp": FOREVER})
employee = jwt(b"employee-session v1", {"sid": "0194f0c2-0000-7000-8000-000000000002", "iid": INSTANCE, "aud": "lanyard-employee", "exp": FOREVER})
code = jwt(b"employee-session v1", {"cid": "0194f0c2-0000-7000-8000-000000000003", "iid": INSTANCE, "aud": "lanyard-sign-in-code", "exp": FOREVER})
api = jwt(b"api-token v1", {"jti": "0194f0c2-0000-7000-8000-000000000004", "iss": "lanyard", "aud": "lanyard-api", "iat": 1764979200, "exp": FOREVER})
sealed = jwt(b"saml-request v1", {"aud": "lanyard:saml-request", "exp": FOREVER, "app": "0194f0c2-0000-7000-8000-000000000005", "rid": SIGNED_ID, "rs": "relay", "fa": False, "rcv": 1764979200000})
expired = jwt(b"admin-session v1", {"sid": "0194f0c2-0000-7000-8000-000000000001", "aud": "lanyard-console", "exp": 1000})
none_alg = b64url(b'{"alg":"none"}') + "." + admin.split(".")[1] + "."
for line in [
    f"lanyard_admin={admin}",
    f"theme=dark; lanyard_sso_{INSTANCE}={employee}; lanyard_code_{INSTANCE}={code}",
    f"lanyard_sso_{INSTANCE}={code}",  # a code cookie where a session cookie goes
    f"lanyard_admin={employee}",
    f"Bearer {api}",
    f"bearer {admin}",
    sealed,
    f"lanyard_admin={expired}",
    f"lanyard_admin={none_alg}",
    f"lanyard_admin={admin}; lanyard_admin=x",
    "lanyard_pre=" + "A" * 43 + "\n" + "lanyard_admin=" + "A" * 5000,
]:
    put("session_tokens", line)

# --- Form bodies (forms): sign-in, code, sign-out and password-recovery forms. ---
for body in [
    "username=ann&password=correct+horse&csrf=abc&continue=portal",
    "username=ann&password=x&continue=app%3A0194f0c2-0000-7000-8000-000000000005",
    f"username=ann&password=x&continue=request%3A{sealed}",
    "username=%E5%BC%A0%E4%B8%89&password=%00&continue=https%3A%2F%2Fevil.example.com",
    "continue=app%3A..%2F..%2Fadmin&continue=portal",
    "code=123+456&csrf=" + "A" * 43,
    "csrf=&login=ann%40corp.example",
    "token=t&password=abcdefgh&confirm=abcdefgh&csrf=x",
    "password=" + "a" * 2000,
    "%ZZ=1&=&&a",
]:
    put("forms", body)

# --- GraphQL requests (graphql_request): as the console and scripts send them. ---
for body in [
    {"query": "{ instances(first: 20) { nodes { id name } pageInfo { endCursor hasNextPage } } }"},
    {"query": "query($id: ID!) { user(id: $id) { id username groups { nodes { id } } } }", "variables": {"id": "0194f0c2-0000-7000-8000-000000000002"}},
    {"query": "mutation($input: AddApplicationInput!) { addApplication(input: $input) { application { id } } }",
     "variables": {"input": {"instanceId": INSTANCE, "templateId": "alibaba-cloud-user-sso-intl", "name": "Alibaba Cloud", "params": {"accountId": "1234567890123456"}}}},
    {"query": "mutation($id: ID!, $params: JSON) { configureApplicationSso(input: {id: $id, params: $params}) { application { id } } }",
     "variables": {"id": "a", "params": {"accountId": "12345", "roles": "admin,dev", "sessionDuration": "3600"}}},
    {"query": "{ a: instances { nodes { id } } b: instances { nodes { id } } }", "operationName": "x"},
    {"query": "{ __schema { types { name } } }"},
    {"query": "{" * 200},
    [{"query": "{ instances { nodes { id } } }"}],
    {"query": "{ instances { nodes { id } } }", "variables": {"x": "\u0000"}},
]:
    put("graphql_request", json.dumps(body))
put("graphql_request", b"\xff\xfe{")

# --- OIDC authorization requests (oidc_request): query strings as relying parties send them. ---
for query in [
    "response_type=code&client_id=c&redirect_uri=https%3A%2F%2Frp.example.com%2Fcb&scope=openid%20email&state=af0ifjsldkj&nonce=n-0S6_WzA2Mj&code_challenge=ngF5GsXcbwljx6u133FFr3Xht9xooA_DuaX_3QwODtc&code_challenge_method=S256",
    "response_type=code&scope=openid+profile+email&state=s&prompt=none&max_age=300&login_hint=alice&response_mode=form_post",
    "response_type=code&scope=openid&acr_values=https%3A%2F%2Frefeds.org%2Fprofile%2Fmfa&prompt=login&code_challenge=ngF5GsXcbwljx6u133FFr3Xht9xooA_DuaX_3QwODtc&code_challenge_method=S256",
    "response_type=code&scope=openid&code_challenge=abc&code_challenge_method=plain",
    "response_type=id_token%20token&scope=openid&request=eyJhbGciOiJub25lIn0.e30.",
    "response_type=code&response_type=code&scope=openid&scope=email&prompt=none%20login&max_age=-1",
    "response_type=code&scope=openid&state=" + "x" * 1100,
    "response_type=code&scope=%00openid&response_mode=fragment&code_challenge_method=S256",
]:
    put("oidc_request", query)

# --- SCIM filters and PATCH paths (scim_filter): a filter, a newline, a path. ---
for filter_, path in [
    ('userName eq "bjensen"', 'members[value eq "2819c223-7f76-453a-919d-413861904646"]'),
    ('name.familyName co "O\'Malley"', 'emails[type eq "work"].value'),
    ('userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")', 'name.givenName'),
    ('userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager'),
    ('emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]', 'addresses[type eq "work"]'),
    ('meta.lastModified gt "2011-05-13T04:42:34Z"', 'active'),
    ('urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"', 'members'),
    ('active eq "False"', 'emails[type eq'),
    ('(' * 40 + 'userName eq "a"' + ')' * 40, 'a b'),
    (' or '.join(['userName eq "a"'] * 80), '[]'),
    ('userName eq "\\u0000"', ''),
]:
    put("scim_filter", filter_ + "\n" + path)
