// Lanyard's passkey ceremonies: the one script of the employee pages, served from
// /sso/static/passkeys.js to the pages that offer passkeys. Each such page has a hidden form
// with data-passkey="register|factor|sign-in" and the URLs of its two JSON endpoints; this
// script shows the form where the browser can use passkeys and, on submit, asks the server
// for options, asks the browser for a credential, and sends the answer back. Everything else
// on the pages works without it.
(function () {
  'use strict';

  var able = typeof window.PublicKeyCredential === 'function' &&
    !!navigator.credentials && typeof window.fetch === 'function';

  function fromBase64url(text) {
    var base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    while (base64.length % 4) base64 += '=';
    var raw = atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = '';
    for (var i = 0; i < bytes.length; i += 1) raw += String.fromCharCode(bytes[i]);
    return btoa(raw).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function descriptors(list) {
    return (list || []).map(function (d) {
      return Object.assign({}, d, { id: fromBase64url(d.id) });
    });
  }

  // The server's options (binary values in base64url) as the browser takes them.
  function creationOptions(options) {
    var pk = Object.assign({}, options.publicKey);
    pk.challenge = fromBase64url(pk.challenge);
    pk.user = Object.assign({}, pk.user, { id: fromBase64url(pk.user.id) });
    pk.excludeCredentials = descriptors(pk.excludeCredentials);
    return { publicKey: pk };
  }

  function requestOptions(options) {
    var pk = Object.assign({}, options.publicKey);
    pk.challenge = fromBase64url(pk.challenge);
    pk.allowCredentials = descriptors(pk.allowCredentials);
    return { publicKey: pk };
  }

  // The browser's credential as the server reads it.
  function answer(credential) {
    var r = credential.response;
    var out = {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      extensions: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
      response: { clientDataJSON: toBase64url(r.clientDataJSON) },
    };
    if (r.attestationObject) {
      out.response.attestationObject = toBase64url(r.attestationObject);
      if (typeof r.getTransports === 'function') out.response.transports = r.getTransports();
    } else {
      out.response.authenticatorData = toBase64url(r.authenticatorData);
      out.response.signature = toBase64url(r.signature);
      out.response.userHandle = r.userHandle ? toBase64url(r.userHandle) : null;
    }
    return out;
  }

  function post(url, body, failed) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var refused = new Error(data.message || failed);
          refused.name = 'Refused';
          throw refused;
        }
        return data;
      });
    });
  }

  // The recovery codes made with a first passkey, shown once in place of the form.
  function showCodes(form, codes) {
    var section = document.querySelector('[data-passkey-codes]');
    if (!section) return false;
    var list = section.querySelector('ul');
    codes.forEach(function (code) {
      var item = document.createElement('li');
      var text = document.createElement('code');
      text.textContent = code;
      item.appendChild(text);
      list.appendChild(item);
    });
    form.hidden = true;
    section.hidden = false;
    section.querySelector('h2').focus();
    return true;
  }

  function ceremony(form) {
    var kind = form.getAttribute('data-passkey');
    var status = form.querySelector('[data-passkey-status]');
    var button = form.querySelector('button');
    var failed = form.getAttribute('data-failed');
    var field = function (name) {
      var input = form.elements.namedItem(name);
      return input ? input.value : undefined;
    };
    form.hidden = false;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      status.hidden = true;
      status.textContent = '';
      button.disabled = true;
      var csrf = field('csrf');
      post(form.getAttribute('data-options'), { csrf: csrf }, failed)
        .then(function (begun) {
          var made = kind === 'register'
            ? navigator.credentials.create(creationOptions(begun.options))
            : navigator.credentials.get(requestOptions(begun.options));
          return made.then(function (credential) {
            return post(form.getAttribute('data-finish'), {
              csrf: csrf,
              ceremony: begun.ceremony,
              name: field('name'),
              continue: field('continue'),
              credential: answer(credential),
            }, failed);
          });
        })
        .then(function (done) {
          if (done.recoveryCodes && done.recoveryCodes.length && showCodes(form, done.recoveryCodes)) return;
          window.location.assign(done.redirect);
        })
        .catch(function (error) {
          var name = error && error.name;
          var says = function (attribute) { return form.getAttribute(attribute) || failed; };
          if (name === 'Refused') status.textContent = error.message || failed;
          else if (name === 'NotAllowedError' || name === 'AbortError') status.textContent = says('data-cancelled');
          // The authenticator holds one of the passkeys the server excluded: hers already.
          else if (name === 'InvalidStateError') status.textContent = says('data-duplicate');
          // The browser refused the relying party (another site's address).
          else if (name === 'SecurityError') status.textContent = says('data-other-site');
          else status.textContent = failed;
          status.hidden = false;
          button.disabled = false;
        });
    });
  }

  function start() {
    if (!able) return;
    var forms = document.querySelectorAll('form[data-passkey]');
    for (var i = 0; i < forms.length; i += 1) ceremony(forms[i]);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
