"""Writes the seed corpora of fuzz/corpus/ (run by `make fuzz-seeds`; the files are committed).

Seeds are what the server meets: AuthnRequests as pysaml2 and python3-saml send them to the
harness's application, SP metadata as Alibaba Cloud and generic SPs publish it, cursors the
server hands out, CSV files `lanyard import` reads, access policies from the tests, and the
hostile cases of the hostile-input tests.
"""
import base64
import hashlib
import os
import urllib.parse
import zlib

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
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
