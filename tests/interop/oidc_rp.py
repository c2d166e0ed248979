#!/usr/bin/env python3
"""An OpenID Connect relying party built on authlib, signing employees in to Lanyard.

    oidc_rp.py keygen KEY_FILE
    oidc_rp.py flows CONFIG_JSON

`keygen` makes the RSA key pair of the private_key_jwt client: the private key goes to
KEY_FILE (PEM) and the public JWKS, to register with Lanyard, is printed.

`flows` drives every flow against the real server. CONFIG_JSON is
{"public_url", "base", "discovery_url", "redirect_uri", "post_logout_redirect_uri",
"password", "clients": {"basic": {"client_id", "client_secret"}, "post": {...},
"jwt": {"client_id", "key_file"}, "public": {"client_id"}}}. PUBLIC_URL is Lanyard's
configured public URL (what its discovery document and redirects name) and BASE where it
actually listens: the browser maps one onto the other as sp_login.py does, and the relying
party's back channel (authlib's requests session) through a transport adapter, so that
authlib itself only ever sees the URLs of the discovery document.

Everything the relying party does goes through authlib: the authorization URL with PKCE
(`code_challenge_method="S256"`, authlib.oauth2.rfc7636), the code exchange with each client
authentication method (client_secret_basic, client_secret_post, private_key_jwt with
authlib.oauth2.rfc7523.PrivateKeyJWT, none), refresh, revocation (RFC 7009) and
introspection (RFC 7662). ID tokens are validated as authlib's own OpenID client does
(`parse_id_token`): the signature against the JWKS of the discovery document (joserfc, which
replaced authlib.jose), then `CodeIDToken` with iss, aud, nonce, exp, azp and at_hash.

Prints one JSON object a line, each {"step": ..., what it saw}; exits non-zero when the
library rejects what a conforming provider must accept, or the flow breaks.
"""

import base64
import json
import os
import sys
import time
from urllib.parse import parse_qs, urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter

from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.integrations.requests_client import OAuth2Session, OAuthError
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken, UserInfo
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from joserfc.jws import JWSRegistry

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sp_login  # noqa: E402  (the browser and its sign-in form)

SCOPE = "openid profile email groups"


def fail(message):
    print(f"oidc_rp: {message}", file=sys.stderr)
    sys.exit(1)


def emit(step, **seen):
    print(json.dumps({"step": step, **seen}, default=str), flush=True)


def check(condition, message):
    if not condition:
        fail(message)


class Lanyard(HTTPAdapter):
    """Sends what is addressed to PUBLIC_URL to where Lanyard listens."""

    def __init__(self, public_url, base):
        super().__init__()
        self.public_url = public_url
        self.base = base

    def send(self, request, **kwargs):
        if request.url.startswith(self.public_url + "/"):
            request.url = self.base + request.url[len(self.public_url):]
        return super().send(request, **kwargs)


class Browser(sp_login.Browser):
    """sp_login's browser, which stops when Lanyard sends it back to the relying party."""

    def __init__(self, public_url, base, relying_party):
        super().__init__(public_url, base)
        self.relying_party = relying_party

    def go(self, method, url, **kwargs):
        url = self.local(url)
        for _ in range(10):
            response = self.session.request(method, url, allow_redirects=False, timeout=30, **kwargs)
            if response.status_code not in (301, 302, 303, 307, 308):
                return response
            location = urljoin(url, response.headers["location"])
            if any(location.startswith(uri) for uri in self.relying_party):
                return response
            method, url, kwargs = "GET", self.local(location), {}
        fail("too many redirects")

    def arrive(self, url, username, password):
        """Follows an authorization or logout URL to the relying party; returns where it landed."""
        self.asked_password = False
        response = self.sign_in_if_asked(self.go("GET", url), username, password)
        check(response.is_redirect, f"not sent back to the relying party: {response.status_code} {response.text[:500]}")
        return response.headers["location"]


def query_of(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def error_of(call):
    """The OAuth error code of a call that must fail."""
    try:
        call()
    except OAuthError as error:
        return error.error
    fail("the call succeeded where the provider had to refuse it")


class RelyingParty:
    def __init__(self, config):
        self.config = config
        self.public_url = config["public_url"].rstrip("/")
        self.base = config["base"].rstrip("/")
        self.redirect_uri = config["redirect_uri"]
        self.adapter = Lanyard(self.public_url, self.base)
        self.metadata = None
        self.jwks = None

    def mount(self, session):
        session.mount(self.public_url + "/", self.adapter)
        return session

    def discover(self):
        session = self.mount(requests.Session())
        metadata = session.get(self.config["discovery_url"], timeout=30)
        metadata.raise_for_status()
        self.metadata = metadata.json()
        jwks = session.get(self.metadata["jwks_uri"], timeout=30)
        jwks.raise_for_status()
        self.jwks = jwks.json()
        issuer = self.metadata["issuer"]
        check(
            self.config["discovery_url"] == issuer + "/.well-known/openid-configuration",
            "the discovery document is not at the issuer's well-known location",
        )
        emit(
            "discovery",
            issuer=issuer,
            endpoints={k: v for k, v in self.metadata.items() if k.endswith("_endpoint")},
            jwks_uri=self.metadata["jwks_uri"],
            keys=[{"kid": k.get("kid"), "kty": k.get("kty"), "alg": k.get("alg")} for k in self.jwks["keys"]],
            token_endpoint_auth_methods=self.metadata["token_endpoint_auth_methods_supported"],
            code_challenge_methods=self.metadata["code_challenge_methods_supported"],
            id_token_algs=self.metadata["id_token_signing_alg_values_supported"],
        )

    def client(self, kind, scope=SCOPE):
        """An authlib session for one of the registered clients."""
        registered = self.config["clients"][kind]
        method = {
            "basic": "client_secret_basic",
            "post": "client_secret_post",
            "jwt": "private_key_jwt",
            "public": "none",
        }[kind]
        secret = registered.get("client_secret")
        if kind == "jwt":
            with open(registered["key_file"]) as f:
                secret = f.read()
        session = OAuth2Session(
            client_id=registered["client_id"],
            client_secret=secret,
            token_endpoint_auth_method=method,
            revocation_endpoint_auth_method=method,
            scope=scope,
            redirect_uri=self.redirect_uri,
            code_challenge_method="S256",
            token_endpoint=self.metadata["token_endpoint"],
            default_timeout=30,
        )
        if kind == "jwt":
            # As authlib documents it: the assertion's audience is the token endpoint, also
            # at revocation and introspection (OpenID Connect Core §9).
            session.register_client_auth_method(PrivateKeyJWT(self.metadata["token_endpoint"]))
        return self.mount(session)

    def authorize(self, browser, rp, username, **extra):
        """The authorization request, followed by the browser; the redirect's parameters."""
        verifier = generate_token(48)
        nonce = generate_token(20)
        url, state = rp.create_authorization_url(
            self.metadata["authorization_endpoint"], code_verifier=verifier, nonce=nonce, **extra
        )
        check(
            query_of(url)["code_challenge"] == create_s256_code_challenge(verifier),
            "authlib did not send the S256 challenge",
        )
        landed = browser.arrive(url, username, self.config["password"])
        check(landed.startswith(self.redirect_uri), f"landed at {landed}")
        answer = query_of(landed)
        check(answer.get("state") == state, f"state {answer.get('state')!r} is not {state!r}")
        # RFC 9207: the issuer names itself in the response.
        check(answer.get("iss") == self.metadata["issuer"], f"iss of the response: {answer.get('iss')!r}")
        return landed, answer, verifier, nonce

    def id_token(self, rp, token, nonce):
        """Validated as authlib's OpenID client does (`OpenIDMixin.parse_id_token`)."""
        key_set = KeySet.import_key_set(self.jwks)
        algs = self.metadata["id_token_signing_alg_values_supported"]
        decoded = jwt.decode(
            token["id_token"], key=key_set, registry=JWSRegistry(algorithms=algs, strict_check_header=False)
        )
        claims = CodeIDToken(
            decoded.claims,
            decoded.header,
            {
                "iss": {"essential": True, "values": [self.metadata["issuer"]]},
                "aud": {"essential": True, "values": [rp.client_id]},
                "exp": {"essential": True},
            },
            {"nonce": nonce, "client_id": rp.client_id, "access_token": token["access_token"]},
        )
        claims.validate(leeway=5)
        check("at_hash" in claims, "the ID token has no at_hash")
        if nonce is not None:
            check(claims.get("nonce") == nonce, "the ID token's nonce")
        check(claims["exp"] > time.time(), "the ID token is expired")
        return dict(UserInfo(claims)), decoded.header

    def sign_in(self, browser, kind, username, scope=SCOPE, **extra):
        """Code + PKCE through one client: the tokens, validated."""
        rp = self.client(kind, scope)
        landed, answer, verifier, nonce = self.authorize(browser, rp, username, **extra)
        if "error" in answer:
            return rp, None, answer
        token = rp.fetch_token(authorization_response=landed, state=answer["state"], code_verifier=verifier)
        claims, header = self.id_token(rp, token, nonce)
        seen = {"claims": claims, "alg": header["alg"], "kid": header.get("kid")}
        return rp, token, {**seen, "code": answer["code"], "verifier": verifier}

    def userinfo(self, rp, access_token=None):
        if access_token is None:
            response = rp.get(self.metadata["userinfo_endpoint"])
        else:
            response = rp.get(
                self.metadata["userinfo_endpoint"],
                withhold_token=True,
                headers={"Authorization": f"Bearer {access_token}"},
            )
        return response.status_code, (response.json() if response.content else None)

    def introspect(self, rp, token, hint):
        response = rp.introspect_token(
            self.metadata["introspection_endpoint"], token=token, token_type_hint=hint
        )
        response.raise_for_status()
        return response.json()

    def revoke(self, rp, token, hint):
        response = rp.revoke_token(self.metadata["revocation_endpoint"], token=token, token_type_hint=hint)
        return response.status_code


def unverified(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def keygen(key_file):
    key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True)
    key.ensure_kid()
    with open(key_file, "w") as f:
        f.write(key.as_pem(private=True).decode())
    print(json.dumps({"keys": [key.as_dict(private=False)]}))


def flows(config):
    rp = RelyingParty(config)
    rp.discover()
    stops = [config["redirect_uri"], config["post_logout_redirect_uri"]]
    alice = Browser(rp.public_url, rp.base, stops)

    # client_secret_basic: code + PKCE, ID token, userinfo, refresh with rotation, reuse.
    basic, token, seen = rp.sign_in(alice, "basic", "alice")
    check(token is not None, f"alice was refused: {seen}")
    status, info = rp.userinfo(basic)
    emit(
        "client_secret_basic",
        asked_password=alice.asked_password,
        id_token=seen["claims"],
        alg=seen["alg"],
        kid=seen["kid"],
        token_type=token["token_type"],
        scope=token.get("scope"),
        expires_in=token.get("expires_in"),
        access_token_typ=jwt_header(token["access_token"]).get("typ"),
        userinfo_status=status,
        userinfo=info,
        introspection=rp.introspect(basic, token["access_token"], "access_token"),
    )
    first_access = token["access_token"]
    first_refresh = token["refresh_token"]
    refreshed = basic.refresh_token(refresh_token=first_refresh)
    claims, _ = rp.id_token(basic, refreshed, None)
    second_refresh = refreshed["refresh_token"]
    emit(
        "refresh",
        rotated=second_refresh != first_refresh,
        new_access_token=refreshed["access_token"] != first_access,
        id_token_sub=claims["sub"],
        id_token_nonce=claims.get("nonce"),
        userinfo_status=rp.userinfo(basic)[0],
    )
    reused = error_of(lambda: basic.refresh_token(refresh_token=first_refresh))
    successor = error_of(lambda: basic.refresh_token(refresh_token=second_refresh))
    emit(
        "refresh token reuse",
        reused=reused,
        successor_after_reuse=successor,
        access_token_after_reuse=rp.introspect(basic, refreshed["access_token"], "access_token"),
        userinfo_status_after_reuse=rp.userinfo(basic, refreshed["access_token"])[0],
    )

    # client_secret_post: revocation of the refresh token ends the grant.
    post, token, seen = rp.sign_in(alice, "post", "alice")
    check(token is not None, f"alice was refused: {seen}")
    userinfo = rp.userinfo(post)[1]
    live = rp.introspect(post, token["refresh_token"], "refresh_token")
    revoked = rp.revoke(post, token["refresh_token"], "refresh_token")
    emit(
        "client_secret_post",
        asked_password=alice.asked_password,
        id_token=seen["claims"],
        userinfo=userinfo,
        refresh_token_introspection=live,
        revoke_status=revoked,
        refresh_after_revocation=error_of(lambda: post.refresh_token(refresh_token=token["refresh_token"])),
        refresh_token_after_revocation=rp.introspect(post, token["refresh_token"], "refresh_token"),
        access_token_after_revocation=rp.introspect(post, token["access_token"], "access_token"),
        revoke_unknown_status=rp.revoke(post, "not-a-token", "refresh_token"),
    )

    # private_key_jwt: assertions signed by authlib with the registered key; a replayed
    # assertion (same jti) is refused.
    signed, token, seen = rp.sign_in(alice, "jwt", "alice")
    check(token is not None, f"alice was refused: {seen}")
    assertions = []
    userinfo = rp.userinfo(signed)[1]
    signed.hooks["response"].append(lambda r, *a, **k: assertions.append(r.request.body))
    active = rp.introspect(signed, token["access_token"], "access_token")
    revoked = rp.revoke(signed, token["access_token"], "access_token")
    inactive = rp.introspect(signed, token["access_token"], "access_token")
    signed.hooks["response"].clear()
    form = {k: v[0] for k, v in parse_qs(assertions[0]).items()}
    replay = rp.mount(requests.Session()).post(
        rp.metadata["introspection_endpoint"],
        data={
            "token": token["access_token"],
            "client_assertion_type": form["client_assertion_type"],
            "client_assertion": form["client_assertion"],
        },
        timeout=30,
    )
    assertion = unverified(form["client_assertion"])
    emit(
        "private_key_jwt",
        asked_password=alice.asked_password,
        id_token=seen["claims"],
        userinfo=userinfo,
        assertion={"iss": assertion["iss"], "sub": assertion["sub"], "aud": assertion["aud"],
                   "lifetime": assertion["exp"] - assertion["iat"], "alg": jwt_header(form["client_assertion"])["alg"]},
        introspection=active,
        revoke_status=revoked,
        introspection_after_revocation=inactive,
        replayed_assertion={"status": replay.status_code, **replay.json()},
    )

    # A public client: none + PKCE. The code is single use: a second exchange is refused
    # and revokes what the first one issued.
    public, token, seen = rp.sign_in(alice, "public", "alice")
    check(token is not None, f"alice was refused: {seen}")
    userinfo = rp.userinfo(public)[1]
    again = error_of(
        lambda: public.fetch_token(
            code=seen["code"], grant_type="authorization_code", code_verifier=seen["verifier"]
        )
    )
    no_pkce = query_of(
        alice.arrive(
            add_params_to_uri(
                rp.metadata["authorization_endpoint"],
                {"client_id": public.client_id, "response_type": "code", "scope": "openid",
                 "redirect_uri": rp.redirect_uri, "state": "s1"},
            ),
            "alice",
            config["password"],
        )
    )
    plain = query_of(
        alice.arrive(
            add_params_to_uri(
                rp.metadata["authorization_endpoint"],
                {"client_id": public.client_id, "response_type": "code", "scope": "openid",
                 "redirect_uri": rp.redirect_uri, "state": "s2", "code_challenge": "x" * 43,
                 "code_challenge_method": "plain"},
            ),
            "alice",
            config["password"],
        )
    )
    emit(
        "public client",
        asked_password=alice.asked_password,
        id_token=seen["claims"],
        userinfo=userinfo,
        code_reused=again,
        access_token_after_code_reuse=rp.introspect(public, token["access_token"], "access_token"),
        without_pkce=no_pkce,
        plain_pkce=plain,
    )

    # RP-initiated logout: the session named by the ID token ends; a grant of it without
    # offline_access ends with it, one with offline_access outlives it.
    basic, token, seen = rp.sign_in(alice, "basic", "alice", prompt="none")
    check(token is not None, f"prompt=none while signed in: {seen}")
    offline, offline_token, _ = rp.sign_in(alice, "post", "alice", scope=SCOPE + " offline_access")
    state = generate_token(16)
    logout = add_params_to_uri(
        rp.metadata["end_session_endpoint"],
        {"id_token_hint": token["id_token"], "post_logout_redirect_uri": config["post_logout_redirect_uri"],
         "state": state},
    )
    landed = alice.arrive(logout, "alice", config["password"])
    _, after, _, _ = rp.authorize(alice, rp.client("basic"), "alice", prompt="none")
    emit(
        "logout",
        sid=seen["claims"].get("sid"),
        landed=landed.split("?")[0],
        state_returned=query_of(landed).get("state") == state,
        prompt_none_after=after,
        refresh_after_logout=error_of(lambda: basic.refresh_token(refresh_token=token["refresh_token"])),
        offline_refresh_after_logout="refresh_token" in offline.refresh_token(refresh_token=offline_token["refresh_token"]),
    )

    # bob is not granted the application: access_denied at the redirect URI.
    bob = Browser(rp.public_url, rp.base, stops)
    _, _, answer = rp.sign_in(bob, "basic", "bob")
    emit("refused", asked_password=bob.asked_password, answer=answer)
    emit("done")


def jwt_header(token):
    segment = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def main(argv):
    if len(argv) == 3 and argv[1] == "keygen":
        keygen(argv[2])
    elif len(argv) == 3 and argv[1] == "flows":
        flows(json.loads(argv[2]))
    else:
        fail(__doc__)


if __name__ == "__main__":
    main(sys.argv)
