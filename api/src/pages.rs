//! The server-rendered pages employees see: sign-in, the application portal, and the pages that
//! refuse (no access, a bad request). Plain HTML that works without JavaScript; every value is
//! escaped; a Content-Security-Policy allows no script, except this server's own passkey
//! script on the pages that offer passkeys ([`PageOptions::script`]), which without it offer
//! everything else still. Also where an employee's flow continues after signing in
//! ([`Continue`]), which the portal and the SAML routes share.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::i18n::{self, Lang};
use crate::ids::plausible_id;
use crate::request::html_escape as e;
use crate::t;

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;\
padding:0 1rem;color:#1b1f24}h1{font-size:1.4rem}label{display:block;margin:.8rem 0 .2rem}\
input{width:100%;padding:.5rem;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1.2rem}\
.error{color:#a40e26;background:#fdecee;padding:.6rem;border-radius:4px}\
ul.apps{list-style:none;padding:0}ul.apps li{margin:.6rem 0}ul.apps img{width:2rem;height:2rem;\
vertical-align:middle;margin-right:.6rem}.muted{color:#57606a;font-size:.9rem}\
.bar{display:flex;justify-content:space-between;align-items:center;gap:1rem;flex-wrap:wrap;\
border-bottom:1px solid #d0d7de;margin-bottom:1rem}.bar nav{display:flex;gap:1rem;align-items:center}\
form.inline button{margin:0}.search{display:flex;gap:.5rem;align-items:end;flex-wrap:wrap}\
.search label{width:100%;margin:0}.search input{flex:1;min-width:10rem}.search button{margin:0}\
ul.tiles{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(8.5rem,1fr));\
gap:.75rem}ul.tiles a{display:flex;flex-direction:column;align-items:center;gap:.5rem;padding:1rem .5rem;\
border:1px solid #d0d7de;border-radius:8px;text-decoration:none;color:inherit;text-align:center;\
min-height:6.5rem}ul.tiles a:hover{border-color:#0b5cad}ul.tiles a:focus-visible{outline:3px solid #0b5cad;\
outline-offset:2px}ul.tiles img{width:2.5rem;height:2.5rem}ul.tiles .initial{width:2.5rem;height:2.5rem;\
border-radius:8px;background:#e6eefb}a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid \
#0b5cad;outline-offset:2px}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.4rem;\
border-bottom:1px solid #d0d7de;vertical-align:top}.ok{color:#1a7f37;background:#dafbe1;padding:.6rem;\
border-radius:4px}footer.lang{margin-top:2.5rem;border-top:1px solid #d0d7de;padding-top:.6rem;\
font-size:.9rem}footer.lang a,footer.lang span{margin-right:1rem}";

/// How a page may post, frame and be framed, and where it moves on by itself. The default is
/// the strictest: forms to this server only, no frames either way, no refresh.
#[derive(Clone, Copy, Debug, Default)]
pub struct PageOptions<'a> {
    /// Forms post elsewhere too (a way back to a service provider): no `form-action` then
    /// (browsers apply it to the redirects after the POST too, and ACSs redirect on).
    pub forms_anywhere: bool,
    /// The sources the page's frames may load (`frame-src`).
    pub frame_src: Option<&'a str>,
    /// The page may be shown in a frame of this server's own pages.
    pub framed_by_self: bool,
    /// After this many seconds, the browser goes on to the URL (a `<meta>` refresh, which
    /// needs no script).
    pub refresh: Option<(u32, &'a str)>,
    /// A script of this server's own that the page loads (the passkey ceremonies): the CSP
    /// then allows scripts and requests to this origin only (`script-src 'self'`,
    /// `connect-src 'self'`), never inline ones.
    pub script: Option<&'a str>,
}

/// Lanyard's passkey script ([`crate::portal`] serves it).
pub const PASSKEYS_SCRIPT: &str = "/sso/static/passkeys.js";

/// The pages' Content-Security-Policy.
fn content_security_policy(options: &PageOptions<'_>) -> String {
    use base64::Engine;
    let hash =
        base64::engine::general_purpose::STANDARD.encode(openssl::sha::sha256(STYLE.as_bytes()));
    let form_action = if options.forms_anywhere {
        ""
    } else {
        " form-action 'self';"
    };
    let frame_src = options
        .frame_src
        .map(|sources| format!(" frame-src {sources};"))
        .unwrap_or_default();
    let ancestors = if options.framed_by_self {
        "'self'"
    } else {
        "'none'"
    };
    let script = if options.script.is_some() {
        " script-src 'self'; connect-src 'self';"
    } else {
        ""
    };
    format!(
        "default-src 'none'; style-src 'sha256-{hash}'; img-src data:;{script}{form_action}{frame_src} \
         base-uri 'none'; frame-ancestors {ancestors}"
    )
}

/// A whole page with its status, CSP and no caching.
pub fn page(status: StatusCode, title: &str, body: &str) -> Response {
    page_with(status, title, body, &PageOptions::default())
}

/// A whole page, with what it may do beyond the default.
pub fn page_with(
    status: StatusCode,
    title: &str,
    body: &str,
    options: &PageOptions<'_>,
) -> Response {
    let refresh = options
        .refresh
        .map(|(seconds, url)| {
            format!(
                "<meta http-equiv=\"refresh\" content=\"{seconds};url={}\">",
                e(url)
            )
        })
        .unwrap_or_default();
    let script = options
        .script
        .map(|src| format!("<script src=\"{}\" defer></script>", e(src)))
        .unwrap_or_default();
    let lang = i18n::current();
    let html = format!(
        "<!doctype html><html lang=\"{tag}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">{refresh}\
         <title>{title}</title><style>{STYLE}</style>{script}</head><body>{body}{switch}</body></html>",
        tag = lang.tag(),
        title = e(&t!(lang, "page-title", title = title)),
        switch = language_switch(lang),
    );
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(csp) = HeaderValue::from_str(&content_security_policy(options)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    if options.framed_by_self {
        headers.insert(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("SAMEORIGIN"),
        );
    }
    response
}

/// The links to this page in the other language, at its foot (GET pages only).
fn language_switch(lang: Lang) -> String {
    let Some(links) = i18n::switch_links() else {
        return String::new();
    };
    let items: String = links
        .iter()
        .map(|(other, href)| match href {
            Some(href) => format!(
                "<a href=\"{}\" lang=\"{tag}\" hreflang=\"{tag}\">{}</a>",
                e(href),
                other.own_name(),
                tag = other.tag(),
            ),
            None => format!(
                "<span lang=\"{}\" aria-current=\"true\">{}</span>",
                other.tag(),
                other.own_name()
            ),
        })
        .collect();
    format!(
        "<footer class=\"lang\"><nav aria-label=\"{}\">{items}</nav></footer>",
        e(&t!(lang, "language-switch"))
    )
}

/// What the sign-in form shows.
pub struct SignInForm<'a> {
    pub instance_id: &'a str,
    pub instance_name: &'a str,
    pub csrf_token: &'a str,
    pub continue_to: &'a str,
    pub username: &'a str,
    pub error: Option<&'a str>,
    /// Offer signing in with a passkey alone (shown by the passkey script only).
    pub passkey: bool,
}

pub fn sign_in(status: StatusCode, form: &SignInForm<'_>) -> Response {
    let lang = i18n::current();
    let error = form
        .error
        .map(|m| format!("<p class=\"error\" role=\"alert\">{}</p>", e(m)))
        .unwrap_or_default();
    let body = format!(
        "<h1>{title}</h1>{error}\
         <form method=\"post\" action=\"/sso/{instance}/login\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <input type=\"hidden\" name=\"continue\" value=\"{cont}\">\
         <label for=\"username\">{username_label}</label>\
         <input id=\"username\" name=\"username\" autocomplete=\"username\" required \
         maxlength=\"64\" value=\"{username}\" autofocus>\
         <label for=\"password\">{password_label}</label>\
         <input id=\"password\" name=\"password\" type=\"password\" \
         autocomplete=\"current-password\" required maxlength=\"256\">\
         <button type=\"submit\">{submit}</button></form>{passkey}\
         <p class=\"muted\"><a href=\"/i/{instance}/password/forgot\">{forgot}</a></p>",
        passkey = if form.passkey {
            passkey_form(
                "sign-in",
                &format!("/sso/{}/login/passkey", form.instance_id),
                form.csrf_token,
                &format!(
                    "<input type=\"hidden\" name=\"continue\" value=\"{}\">",
                    e(form.continue_to)
                ),
                &t!(lang, "passkey-sign-in"),
            )
        } else {
            String::new()
        },
        title = e(&t!(lang, "sign-in-title", name = form.instance_name)),
        username_label = e(&t!(lang, "sign-in-username")),
        password_label = e(&t!(lang, "sign-in-password")),
        submit = e(&t!(lang, "sign-in-submit")),
        forgot = e(&t!(lang, "sign-in-forgot")),
        instance = e(form.instance_id),
        csrf = e(form.csrf_token),
        cont = e(form.continue_to),
        username = e(form.username),
    );
    let options = PageOptions {
        script: form.passkey.then_some(PASSKEYS_SCRIPT),
        ..PageOptions::default()
    };
    page_with(status, &t!(lang, "sign-in-page-title"), &body, &options)
}

/// A passkey ceremony's form, hidden until the passkey script finds the browser able: the
/// script posts its JSON to `{base}/options` and `{base}/finish` (`kind`: `register`,
/// `factor` or `sign-in`) and says what went wrong in the form's alert. `fields` go before
/// the button (a name for a new passkey, where to continue).
pub fn passkey_form(
    kind: &str,
    base: &str,
    csrf_token: &str,
    fields: &str,
    button: &str,
) -> String {
    let lang = i18n::current();
    format!(
        "<form class=\"passkey\" method=\"post\" action=\"{base}/finish\" hidden \
         data-passkey=\"{kind}\" data-options=\"{base}/options\" data-finish=\"{base}/finish\" \
         data-cancelled=\"{cancelled}\" data-failed=\"{failed}\" data-duplicate=\"{duplicate}\" \
         data-other-site=\"{other_site}\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">{fields}\
         <button type=\"submit\">{button}</button>\
         <p class=\"error\" role=\"alert\" data-passkey-status hidden></p></form>",
        base = e(base),
        kind = e(kind),
        csrf = e(csrf_token),
        button = e(button),
        cancelled = e(&t!(lang, "passkey-cancelled")),
        failed = e(&t!(lang, "passkey-failed")),
        duplicate = e(&t!(lang, "passkey-duplicate")),
        other_site = e(&t!(lang, "passkey-other-site")),
    )
}

/// What the one-time code form shows.
pub struct CodeForm<'a> {
    pub instance_id: &'a str,
    pub instance_name: &'a str,
    pub csrf_token: &'a str,
    /// Where the code was sent, masked.
    pub sent_to: &'a str,
    pub continue_to: &'a str,
    pub valid_minutes: i64,
    pub error: Option<&'a str>,
}

/// The second step of signing in when the instance asks for an emailed code.
pub fn sign_in_code(status: StatusCode, form: &CodeForm<'_>) -> Response {
    let lang = i18n::current();
    let error = form
        .error
        .map(|m| format!("<p class=\"error\" role=\"alert\">{}</p>", e(m)))
        .unwrap_or_default();
    let body = format!(
        "<h1>{title}</h1>{error}<p>{sent}</p>\
         <form method=\"post\" action=\"/sso/{instance}/login/code\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <label for=\"code\">{code_label}</label>\
         <input id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" \
         pattern=\"[0-9 ]{{6,7}}\" maxlength=\"7\" required autofocus>\
         <button type=\"submit\">{submit}</button></form>\
         <p class=\"muted\">{again}</p>",
        title = e(&t!(lang, "sign-in-title", name = form.instance_name)),
        sent = t!(
            lang,
            "code-sent",
            sent_to = e(form.sent_to).as_str(),
            minutes = form.valid_minutes
        ),
        code_label = e(&t!(lang, "code-label")),
        submit = e(&t!(lang, "code-submit")),
        again = t!(
            lang,
            "code-no-email",
            url = e(&format!(
                "/sso/{}/login?continue={}",
                form.instance_id, form.continue_to
            ))
            .as_str()
        ),
        instance = e(form.instance_id),
        csrf = e(form.csrf_token),
    );
    page(status, &t!(lang, "code-page-title"), &body)
}

/// One tile of the portal.
pub struct PortalEntry<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub logo: &'a str,
    /// An OpenID Connect application: its tile starts at the relying party.
    pub oidc: bool,
}

/// What the portal shows: who is signed in, the search, the recently used applications and
/// the (searched) list of all of them.
pub struct PortalView<'a> {
    pub instance_id: &'a str,
    pub display_name: &'a str,
    pub username: &'a str,
    pub csrf_token: &'a str,
    pub query: &'a str,
    /// Shown above the rest when nothing is searched.
    pub recent: &'a [PortalEntry<'a>],
    /// Those that match the search (all without one).
    pub entries: &'a [PortalEntry<'a>],
    /// How many applications the employee has, searched or not.
    pub total: usize,
}

fn tiles(entries: &[PortalEntry<'_>], label: &str) -> String {
    let items: String = entries
        .iter()
        .map(|entry| {
            let logo = if entry.logo.starts_with("data:image/") {
                format!("<img src=\"{}\" alt=\"\">", e(entry.logo))
            } else {
                "<span class=\"initial\" aria-hidden=\"true\"></span>".to_owned()
            };
            let protocol = if entry.oidc { "oidc" } else { "saml" };
            format!(
                "<li><a href=\"/{protocol}/apps/{}/start\">{logo}<span>{}</span></a></li>",
                e(entry.id),
                e(entry.name)
            )
        })
        .collect();
    format!(
        "<ul class=\"tiles\" aria-label=\"{}\">{items}</ul>",
        e(label)
    )
}

/// The employee's portal: who is signed in, her account and sign-out, a search, the
/// applications she used recently, then all of them as a grid of tiles. Links only: each tile
/// is one Tab stop and opens with Enter, and the grid folds to the screen's width.
pub fn portal(view: &PortalView<'_>) -> Response {
    let lang = i18n::current();
    let tr = |id: &str| e(&i18n::text(lang, id, &[]));
    let instance = e(view.instance_id);
    let header = format!(
        "<header class=\"bar\"><p><strong>{}</strong> <span class=\"muted\">{}</span></p>\
         <nav aria-label=\"{}\"><a href=\"/sso/{instance}/account\">{}</a>\
         <form method=\"post\" action=\"/sso/{instance}/logout\" class=\"inline\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <button type=\"submit\">{}</button></form></nav></header>",
        e(view.display_name),
        e(view.username),
        tr("portal-account-nav"),
        tr("portal-your-account"),
        e(view.csrf_token),
        tr("portal-sign-out"),
    );
    let search = format!(
        "<form role=\"search\" method=\"get\" action=\"/sso/{instance}/portal\" class=\"search\">\
         <label for=\"q\">{}</label>\
         <input id=\"q\" type=\"search\" name=\"q\" value=\"{}\" maxlength=\"100\">\
         <button type=\"submit\">{}</button></form>",
        tr("portal-search-label"),
        e(view.query),
        tr("portal-search"),
    );
    let title = t!(lang, "portal-page-title");
    let mut body = format!("{header}<h1>{}</h1>", tr("portal-heading"));
    if view.total == 0 {
        body.push_str(&format!("<p class=\"muted\">{}</p>", tr("portal-none")));
        return page(StatusCode::OK, &title, &body);
    }
    body.push_str(&search);
    let show_all = format!(
        "<a href=\"/sso/{instance}/portal\">{}</a>",
        tr("portal-show-all")
    );
    if view.query.is_empty() {
        if !view.recent.is_empty() {
            let recent = t!(lang, "portal-recent");
            body.push_str(&format!("<h2>{}</h2>", e(&recent)));
            body.push_str(&tiles(view.recent, &recent));
        }
        let all = t!(lang, "portal-all");
        body.push_str(&format!("<h2>{}</h2>", e(&all)));
        body.push_str(&tiles(view.entries, &all));
    } else if view.entries.is_empty() {
        body.push_str(&format!(
            "<p>{} {show_all}</p>",
            e(&t!(lang, "portal-no-match", query = view.query))
        ));
    } else {
        body.push_str(&format!(
            "<h2>{}</h2>{}<p>{show_all}</p>",
            e(&t!(lang, "portal-matching", query = view.query)),
            tiles(view.entries, &t!(lang, "portal-matching-label")),
        ));
    }
    page(StatusCode::OK, &title, &body)
}

/// One of the employee's sessions, as her account page lists it.
pub struct AccountSession {
    pub signed_in: String,
    pub last_seen: String,
    pub from: String,
    pub this_one: bool,
}

/// The employee's own account page.
pub struct AccountView<'a> {
    pub instance_id: &'a str,
    pub display_name: &'a str,
    pub username: &'a str,
    pub email: Option<&'a str>,
    pub csrf_token: &'a str,
    pub sessions: &'a [AccountSession],
    /// What the last action did.
    pub notice: Option<&'a str>,
    /// A refused password change: the field and why.
    pub error: Option<(&'a str, &'a str)>,
    /// Her second factors' section, rendered.
    pub factors: &'a str,
    /// The section offers registering a passkey: the page loads the passkey script.
    pub passkey_script: bool,
}

/// Her name and email, her sessions with "Sign out other sessions", and the password change.
pub fn account(status: StatusCode, view: &AccountView<'_>) -> Response {
    let lang = i18n::current();
    let tr = |id: &str| e(&i18n::text(lang, id, &[]));
    let instance = e(view.instance_id);
    let csrf = format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        e(view.csrf_token)
    );
    let notice = view
        .notice
        .map(|n| format!("<p class=\"ok\" role=\"status\">{}</p>", e(n)))
        .unwrap_or_default();
    let rows: String = view
        .sessions
        .iter()
        .map(|s| {
            format!(
                "<tr><td>{}{}</td><td>{}</td><td>{}</td></tr>",
                e(&s.signed_in),
                if s.this_one {
                    format!(" <strong>{}</strong>", tr("account-this-browser"))
                } else {
                    String::new()
                },
                e(&s.last_seen),
                e(&s.from),
            )
        })
        .collect();
    let others = view.sessions.iter().filter(|s| !s.this_one).count();
    let sign_out_others = if others > 0 {
        format!(
            "<form method=\"post\" action=\"/sso/{instance}/account/sessions\">{csrf}\
             <button type=\"submit\">{}</button></form>",
            e(&t!(lang, "portal-sign-out-others", count = others))
        )
    } else {
        String::new()
    };
    let invalid = |field: &str| view.error.filter(|(f, _)| *f == field).map(|(_, m)| m);
    let field = |id: &str, name: &str, label: &str, autocomplete: &str| {
        let error = invalid(name);
        let described = error
            .map(|_| format!(" aria-invalid=\"true\" aria-describedby=\"{id}-error\""))
            .unwrap_or_default();
        let message = error
            .map(|m| format!("<p class=\"error\" id=\"{id}-error\">{}</p>", e(m)))
            .unwrap_or_default();
        format!(
            "<label for=\"{id}\">{}</label><input id=\"{id}\" type=\"password\" \
             name=\"{name}\" autocomplete=\"{autocomplete}\" required{described}>{message}",
            tr(label)
        )
    };
    let body = format!(
        "<header class=\"bar\"><p><a href=\"/sso/{instance}/portal\">{back}</a></p></header>\
         <h1>{title}</h1>{notice}\
         <p><strong>{name}</strong> <span class=\"muted\">{username}</span><br>{email}</p>\
         <h2>{sessions}</h2><p class=\"muted\">{sessions_hint}</p>\
         <table><thead><tr><th scope=\"col\">{signed_in}</th><th scope=\"col\">{last_used}</th>\
         <th scope=\"col\">{from}</th></tr></thead><tbody>{rows}</tbody></table>{sign_out_others}\
         {factors}<h2>{change}</h2>\
         <form method=\"post\" action=\"/sso/{instance}/account/password\">{csrf}\
         {current}{new}\
         <button type=\"submit\">{change_submit}</button></form>\
         <p class=\"muted\">{change_hint}</p>",
        back = tr("account-back"),
        title = tr("account-page-title"),
        sessions = tr("account-sessions"),
        sessions_hint = tr("account-sessions-hint"),
        signed_in = tr("account-signed-in"),
        last_used = tr("account-last-used"),
        from = tr("account-from"),
        change = tr("account-change-password"),
        change_submit = tr("account-change-submit"),
        change_hint = tr("account-change-hint"),
        name = e(view.display_name),
        username = e(view.username),
        email = view.email.map(e).unwrap_or_else(|| tr("account-no-email")),
        current = field(
            "current",
            "currentPassword",
            "account-current-password",
            "current-password"
        ),
        new = field("new", "newPassword", "account-new-password", "new-password"),
        factors = view.factors,
    );
    let options = PageOptions {
        script: view.passkey_script.then_some(PASSKEYS_SCRIPT),
        ..PageOptions::default()
    };
    page_with(status, &t!(lang, "account-page-title"), &body, &options)
}

/// The page of a denied SSO: no assertion, a reference for the administrator.
pub fn denied(
    application_name: &str,
    reason: &str,
    reference: &str,
    back: Option<&ReturnToApplication<'_>>,
    set_up_factor: Option<&str>,
) -> Response {
    let lang = i18n::current();
    let app = application_name;
    let mut body = format!(
        "<h1>{}</h1><p>{}</p>",
        e(&t!(lang, "denied-heading", app = app)),
        e(&t!(
            lang,
            "denied-text",
            app = app,
            reason = reason.trim_end_matches('.')
        )),
    );
    if let Some(account_url) = set_up_factor {
        body.push_str(&format!(
            "<p role=\"alert\">{}</p>",
            t!(lang, "factor-none-step-up", url = e(account_url).as_str())
        ));
    }
    body.push_str(&format!(
        "<p>{}</p>",
        t!(lang, "denied-reference", reference = e(reference).as_str())
    ));
    if let Some(back) = back {
        let relay = back
            .relay_state
            .map(|r| {
                format!(
                    "<input type=\"hidden\" name=\"RelayState\" value=\"{}\">",
                    e(r)
                )
            })
            .unwrap_or_default();
        body.push_str(&format!(
            "<form method=\"post\" action=\"{acs}\">\
             <input type=\"hidden\" name=\"SAMLResponse\" value=\"{response}\">{relay}\
             <button type=\"submit\">{back_label}</button></form>",
            acs = e(back.acs_url),
            response = e(back.saml_response),
            back_label = e(&t!(lang, "denied-return", app = app)),
        ));
    }
    let options = PageOptions {
        forms_anywhere: back.is_some(),
        ..PageOptions::default()
    };
    page_with(
        StatusCode::FORBIDDEN,
        &t!(lang, "denied-page-title"),
        &body,
        &options,
    )
}

/// The way back from a denial to the service provider that asked: its ACS, and the response
/// that says the request was denied (base64), with the request's RelayState.
pub struct ReturnToApplication<'a> {
    pub acs_url: &'a str,
    pub saml_response: &'a str,
    pub relay_state: Option<&'a str>,
}

/// An error as a page: the status and message of the error mapping, for browsers.
/// The message is the error's own, in English; in another language the page says so.
pub fn error(err: &AppError) -> Response {
    let lang = i18n::current();
    let title = match err.status() {
        StatusCode::NOT_FOUND => t!(lang, "error-not-found"),
        StatusCode::TOO_MANY_REQUESTS => t!(lang, "error-too-many"),
        StatusCode::FORBIDDEN => t!(lang, "error-not-allowed"),
        status if status.is_server_error() => t!(lang, "error-server"),
        _ => t!(lang, "error-refused"),
    };
    let message = err.public_message();
    let message = match lang {
        Lang::En => message,
        _ => t!(lang, "error-details", message = message.as_str()),
    };
    let body = format!(
        "<h1>{}</h1><p class=\"error\">{}</p>",
        e(&title),
        e(&message)
    );
    let mut response = page(err.status(), &title, &body);
    if let Some(seconds) = err.retry_after_secs() {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, seconds.into());
    }
    response
}

/// An [`AppError`] that renders as an HTML page: what the employee-facing handlers return.
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(err: E) -> Self {
        PageError(err.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        error(&self.0)
    }
}

/// Where an employee goes after signing in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Continue {
    Portal,
    /// The employee's own account page.
    Account,
    /// IdP-initiated SSO into an application.
    Start(String),
    /// A pending AuthnRequest (its sealed token, `saml::pending`).
    Request(String),
    /// A pending OIDC authorization request (its sealed token, `oidc::authorize`).
    Authorize(String),
}

/// The longest sealed request a `continue` may carry: a SAML request ID of 256 bytes and an
/// 80-byte RelayState seal to well under 2 KiB; an OIDC request's state, nonce and challenge
/// (each bounded by `oidc::authorize`) to under this.
const MAX_SEALED_REQUEST: usize = 6144;

/// A sealed request's characters: base64url and the JWT's dots, nothing a URL must escape.
pub fn plausible_sealed_request(token: &str) -> bool {
    !token.is_empty()
        && token.len() <= MAX_SEALED_REQUEST
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

impl Continue {
    /// Anything that is not a well-formed reference means the portal.
    pub fn parse(raw: Option<&str>) -> Continue {
        let raw = raw.unwrap_or_default();
        match raw.split_once(':') {
            Some(("app", id)) if plausible_id(id) => Continue::Start(id.to_owned()),
            Some(("request", token)) if plausible_sealed_request(token) => {
                Continue::Request(token.to_owned())
            }
            Some(("authorize", token)) if plausible_sealed_request(token) => {
                Continue::Authorize(token.to_owned())
            }
            _ if raw == "account" => Continue::Account,
            _ => Continue::Portal,
        }
    }

    pub fn encode(&self) -> String {
        match self {
            Continue::Portal => "portal".into(),
            Continue::Account => "account".into(),
            Continue::Start(id) => format!("app:{id}"),
            Continue::Request(id) => format!("request:{id}"),
            Continue::Authorize(token) => format!("authorize:{token}"),
        }
    }

    /// The absolute URL on this server.
    pub fn url(&self, public_url: &str, instance_id: &str) -> String {
        match self {
            Continue::Portal => format!("{public_url}/sso/{instance_id}/portal"),
            Continue::Account => format!("{public_url}/sso/{instance_id}/account"),
            Continue::Start(app) => format!("{public_url}/saml/apps/{app}/start"),
            Continue::Request(id) => format!("{public_url}/saml/requests/{id}"),
            Continue::Authorize(token) => format!("{public_url}/oidc/{instance_id}/resume/{token}"),
        }
    }
}

/// The sign-in page URL that continues to `next`.
pub fn sign_in_url(public_url: &str, instance_id: &str, next: &Continue) -> String {
    format!(
        "{public_url}/sso/{instance_id}/login?continue={}",
        next.encode()
    )
}

/// A 303 to `location`, with extra `Set-Cookie`s.
pub fn see_other(location: &str, cookies: &[String]) -> Response {
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
    for cookie in cookies {
        if let Ok(value) = cookie.parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_denial_of_a_request_offers_the_way_back_to_the_application() {
        let back = ReturnToApplication {
            acs_url: "https://sp.example.com/acs?a=1&b=\"2\"",
            saml_response: "PHNhbWxwOlJlc3BvbnNlLz4=",
            relay_state: Some("\"><script>"),
        };
        let response = denied("App", "no grant", "ref1", Some(&back), None);
        let csp = response.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_owned();
        // The form posts to the ACS: no `form-action 'self'` then, and still no script.
        assert!(
            !csp.contains("form-action") && !csp.contains("script-src"),
            "{csp}"
        );
        let plain = denied("App", "no grant", "ref1", None, Some("/sso/i1/account"));
        assert!(plain.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("form-action 'self'"));
        let plain =
            futures::executor::block_on(axum::body::to_bytes(plain.into_body(), 1 << 20)).unwrap();
        let plain = String::from_utf8(plain.to_vec()).unwrap();
        assert!(
            plain.contains("you have none set up yet")
                && plain.contains("<a href=\"/sso/i1/account\">"),
            "{plain}"
        );
        let body = futures::executor::block_on(axum::body::to_bytes(response.into_body(), 1 << 20))
            .unwrap();
        let html = String::from_utf8(body.to_vec()).unwrap();
        assert!(html.contains("action=\"https://sp.example.com/acs?a=1&amp;b=&quot;2&quot;\""));
        assert!(html.contains("name=\"SAMLResponse\" value=\"PHNhbWxwOlJlc3BvbnNlLz4=\""));
        assert!(html.contains("value=\"&quot;&gt;&lt;script&gt;\""));
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn only_a_page_that_offers_passkeys_loads_and_allows_lanyards_script() {
        let with = page_with(
            StatusCode::OK,
            "t",
            "<p>x</p>",
            &PageOptions {
                script: Some(PASSKEYS_SCRIPT),
                ..PageOptions::default()
            },
        );
        let csp = with.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(csp.starts_with("default-src 'none'"), "{csp}");
        assert!(
            csp.contains(" script-src 'self'; connect-src 'self';"),
            "{csp}"
        );
        assert!(!csp.contains("unsafe"), "{csp}");
        let html =
            futures::executor::block_on(axum::body::to_bytes(with.into_body(), 1 << 20)).unwrap();
        let html = String::from_utf8(html.to_vec()).unwrap();
        assert!(html.contains("<script src=\"/sso/static/passkeys.js\" defer></script>"));
        let form = passkey_form("sign-in", "/sso/i1/login/passkey", "t\"", "", "Go");
        assert!(
            form.contains(" hidden "),
            "shown by the script only: {form}"
        );
        assert!(form.contains("data-options=\"/sso/i1/login/passkey/options\""));
        assert!(form.contains("value=\"t&quot;\""));
    }

    #[test]
    fn pages_escape_what_they_show_and_allow_no_script() {
        let response = denied("<App>", "no \"grant\"", "ref&1", None, None);
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let csp = response.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(csp.starts_with("default-src 'none'"));
        assert!(!csp.contains("script-src"));
        let form = sign_in(
            StatusCode::OK,
            &SignInForm {
                instance_id: "i1",
                instance_name: "<Acme>",
                csrf_token: "t",
                continue_to: "\"><script>",
                username: "'x'",
                error: Some("<b>"),
                passkey: false,
            },
        );
        assert_eq!(form.status(), StatusCode::OK);
        let error = super::error(&AppError::TooManyAttempts {
            message: "wait".into(),
            retry_after_secs: 9,
        });
        assert_eq!(error.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(error.headers()[header::RETRY_AFTER], "9");
    }
}
