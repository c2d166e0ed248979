// Reading what the IdP sent: the downloaded metadata and a SAML Response, with the assertion's
// signature verified against the metadata's certificate by xml-crypto.
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { deflateRawSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const DS = 'http://www.w3.org/2000/09/xmldsig#';

/** @param {string} xml */
function parse(xml) {
  return new DOMParser().parseFromString(xml, 'text/xml');
}

/** @param {any} node @param {string} ns @param {string} name */
function all(node, ns, name) {
  return Array.from(node.getElementsByTagNameNS(ns, name));
}

/** @param {any} node @param {string} ns @param {string} name */
function one(node, ns, name) {
  const found = all(node, ns, name);
  if (found.length !== 1) throw new Error(`expected one ${name}, found ${found.length}`);
  return found[0];
}

/**
 * The parts of IdP metadata a service provider uses.
 * @param {string} xml
 */
export function readMetadata(xml) {
  const doc = parse(xml);
  const root = doc.documentElement;
  if (!root || root.localName !== 'EntityDescriptor' || root.namespaceURI !== MD) {
    throw new Error('not an EntityDescriptor');
  }
  const idp = one(doc, MD, 'IDPSSODescriptor');
  const sso = all(idp, MD, 'SingleSignOnService').map((s) => ({
    binding: s.getAttribute('Binding'),
    location: s.getAttribute('Location'),
  }));
  const certificates = all(idp, DS, 'X509Certificate').map((c) => (c.textContent ?? '').replace(/\s+/g, ''));
  return { entityId: root.getAttribute('entityID'), sso, certificates };
}

/** @param {string} base64 */
export function certificatePem(base64) {
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * Checks a base64 SAMLResponse's assertion signature against `certificates` (base64 DER) and
 * returns what it says. Only content covered by the signature is trusted: the NameID and
 * audience are read from the signed assertion as xml-crypto canonicalised it.
 * @param {string} samlResponse
 * @param {string[]} certificates
 */
export function verifyResponse(samlResponse, certificates) {
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  const doc = parse(xml);
  const response = doc.documentElement;
  if (!response || response.localName !== 'Response' || response.namespaceURI !== SAMLP) {
    throw new Error('not a samlp:Response');
  }
  const assertion = one(doc, SAML, 'Assertion');
  const signature = all(assertion, DS, 'Signature').find((s) => s.parentNode === assertion);
  if (!signature) throw new Error('the assertion is not signed');
  let signedAssertion;
  let lastError = 'no certificate';
  for (const cert of certificates) {
    const verifier = new SignedXml({ publicCert: certificatePem(cert) });
    verifier.loadSignature(signature);
    try {
      if (verifier.checkSignature(xml)) {
        const refs = verifier.getSignedReferences();
        signedAssertion = refs.find((r) => r.includes(':Assertion') || r.startsWith('<Assertion'));
        if (signedAssertion) break;
      }
    } catch (e) {
      lastError = String(e);
    }
  }
  if (!signedAssertion) throw new Error(`the assertion signature does not verify: ${lastError}`);
  const signed = parse(signedAssertion);
  const status = one(doc, SAMLP, 'StatusCode').getAttribute('Value');
  return {
    destination: response.getAttribute('Destination'),
    status,
    issuer: (one(signed, SAML, 'Issuer').textContent ?? '').trim(),
    nameId: (one(signed, SAML, 'NameID').textContent ?? '').trim(),
    audience: (one(signed, SAML, 'Audience').textContent ?? '').trim(),
    recipient: one(signed, SAML, 'SubjectConfirmationData').getAttribute('Recipient'),
  };
}

/**
 * An unsigned AuthnRequest, as Alibaba Cloud sends them.
 * @param {{ issuer: string, acsUrl: string, destination: string }} options
 */
function authnRequest({ issuer, acsUrl, destination }) {
  const id = `_${randomUUID()}`;
  return (
    `<samlp:AuthnRequest xmlns:samlp="${SAMLP}" xmlns:saml="${SAML}" ID="${id}" Version="2.0" ` +
    `IssueInstant="${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}" Destination="${destination}" ` +
    `AssertionConsumerServiceURL="${acsUrl}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">` +
    `<saml:Issuer>${issuer}</saml:Issuer></samlp:AuthnRequest>`
  );
}

/**
 * The URL of an AuthnRequest by the HTTP-Redirect binding.
 * @param {{ issuer: string, acsUrl: string, destination: string }} options
 */
export function redirectAuthnRequest(options) {
  const encoded = deflateRawSync(Buffer.from(authnRequest(options))).toString('base64');
  return `${options.destination}?SAMLRequest=${encodeURIComponent(encoded)}`;
}

/**
 * A page that posts an AuthnRequest by the HTTP-POST binding as soon as it loads.
 * @param {{ issuer: string, acsUrl: string, destination: string }} options
 */
export function postAuthnRequestPage(options) {
  const encoded = Buffer.from(authnRequest(options)).toString('base64');
  return (
    `<!doctype html><title>Test SP login</title>` +
    `<form method="post" action="${options.destination}">` +
    `<input type="hidden" name="SAMLRequest" value="${encoded}"></form>` +
    `<script>document.forms[0].submit()</script>`
  );
}
