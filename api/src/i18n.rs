//! The languages of what the server itself writes — the employee pages (sign-in, portal,
//! account, recovery, denials, errors, single logout) and the emails — English and Simplified
//! Chinese, with Project Fluent (`fluent-bundle`): one `.ftl` catalog per language under
//! `api/locales/`, built into the binary.
//!
//! A page's language is the one the person chose (the `lanyard_lang` cookie, which the console
//! and these pages set), else the first of her browser's `Accept-Language` that we have, else
//! English. [`scope`] fixes it for a request, so that page code asks [`current`] rather than
//! passing it through every handler; an email's language is chosen when it is enqueued and
//! kept in the outbox row.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// A language the server writes in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    ZhCn,
}

/// The cookie that keeps the language a person chose (console, portal and these pages).
pub const COOKIE: &str = "lanyard_lang";

/// Every language, in the order a switch shows them.
pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

impl Lang {
    /// The BCP 47 tag: `en`, `zh-CN`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The language's own name, as a switch shows it.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "简体中文",
        }
    }

    /// The language we have for a tag: any Chinese (`zh`, `zh-TW`, `zh-Hans-CN`) → zh-CN, any
    /// English → en; case does not matter.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim();
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("zh") {
            Some(Lang::ZhCn)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The first language of an `Accept-Language` header that we have, by quality (RFC 9110
    /// §12.5.4); `*` and languages we lack are passed over. At most 32 entries are read.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(u16, Lang)> = None;
        for item in header.split(',').take(32) {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::from_tag) else {
                continue;
            };
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1000), quality_thousandths);
            let Some(quality) = quality.filter(|q| *q > 0) else {
                continue;
            };
            // Equal qualities keep the header's order.
            if best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, lang));
            }
        }
        best.map(|(_, lang)| lang)
    }

    /// The language of a request: the cookie's choice, else `Accept-Language`, else English.
    pub fn of_request(headers: &axum::http::HeaderMap) -> Lang {
        let chosen = headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|pair| {
                let (name, value) = pair.trim().split_once('=')?;
                (name == COOKIE).then(|| Lang::from_tag(value)).flatten()
            });
        chosen
            .or_else(|| {
                headers
                    .get(axum::http::header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(Lang::from_accept_language)
            })
            .unwrap_or_default()
    }

    /// The `Set-Cookie` value that keeps this choice for a year, on every path.
    pub fn cookie(self) -> String {
        format!(
            "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            self.tag()
        )
    }
}

/// `q=0.8` → 800; anything that is not a quality value → `None` (the entry is ignored).
fn quality_thousandths(value: &str) -> Option<u16> {
    let value = value.trim();
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = format!("{fraction:0<3}");
    let thousandths: u16 = digits.parse().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// The catalogs, as written (the tests read them too).
pub const CATALOGS: [(Lang, &str); 2] = [
    (Lang::En, include_str!("../locales/en.ftl")),
    (Lang::ZhCn, include_str!("../locales/zh-CN.ftl")),
];

struct Bundles {
    en: FluentBundle<FluentResource>,
    zh_cn: FluentBundle<FluentResource>,
}

fn bundle(lang: Lang, source: &str) -> FluentBundle<FluentResource> {
    let id: unic_langid::LanguageIdentifier = match lang {
        Lang::En => unic_langid::langid!("en"),
        Lang::ZhCn => unic_langid::langid!("zh-CN"),
    };
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around values: pages and emails are left-to-right only,
    // and the marks would land in email subjects and form values.
    bundle.set_use_isolating(false);
    // A catalog that does not parse loses only its broken entries (the test names them).
    let resource =
        FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, _)| partial);
    // Duplicate ids keep the first; the test refuses them.
    let _ = bundle.add_resource(resource);
    bundle
}

static BUNDLES: LazyLock<Bundles> = LazyLock::new(|| Bundles {
    en: bundle(Lang::En, CATALOGS[0].1),
    zh_cn: bundle(Lang::ZhCn, CATALOGS[1].1),
});

/// The text of message `id` in `lang` with its arguments. A message missing from the catalog
/// (the tests make that impossible for every id the code names) falls back to English, then
/// to the id itself.
pub fn text(lang: Lang, id: &str, args: &[(&str, Arg<'_>)]) -> String {
    lookup(lang, id, args).unwrap_or_else(|| id.to_owned())
}

/// The text of message `id` in `lang` (else in English), or `None` when no catalog has it:
/// for texts whose ids are made from data (a template's id), which have their own fallback.
pub fn lookup(lang: Lang, id: &str, args: &[(&str, Arg<'_>)]) -> Option<String> {
    let bundles = &*BUNDLES;
    let bundle = match lang {
        Lang::En => &bundles.en,
        Lang::ZhCn => &bundles.zh_cn,
    };
    let message = bundle
        .get_message(id)
        .map(|m| (bundle, m))
        .or_else(|| bundles.en.get_message(id).map(|m| (&bundles.en, m)));
    let (bundle, pattern) =
        message.and_then(|(bundle, message)| Some((bundle, message.value()?)))?;
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        match value {
            Arg::Str(s) => fluent_args.set(*name, FluentValue::from(*s)),
            Arg::Num(n) => fluent_args.set(*name, FluentValue::from(*n)),
        }
    }
    let mut errors = Vec::new();
    Some(
        bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned(),
    )
}

/// A value put into a message.
#[derive(Clone, Copy, Debug)]
pub enum Arg<'a> {
    Str(&'a str),
    /// A number: Fluent picks the plural form by it.
    Num(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(value: &'a str) -> Self {
        Arg::Str(value)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(value: &'a String) -> Self {
        Arg::Str(value)
    }
}

/// Numbers of every width the callers count in.
macro_rules! number_arg {
    ($($type:ty),+) => {$(
        impl From<$type> for Arg<'_> {
            fn from(value: $type) -> Self {
                Arg::Num(i64::try_from(value).unwrap_or(i64::MAX))
            }
        }
    )+};
}
number_arg!(i32, u32, i64, u64, usize);

/// `t!(lang, "message-id")` or `t!(lang, "message-id", name = value, …)`: the text of a
/// message. The ids are checked against both catalogs by this module's tests.
#[macro_export]
macro_rules! t {
    ($lang:expr, $id:literal) => {
        $crate::i18n::text($lang, $id, &[])
    };
    ($lang:expr, $id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::text(
            $lang,
            $id,
            &[$((stringify!($name), $crate::i18n::Arg::from($value))),+],
        )
    };
}

/// What a request's pages need to know about it: its language, and — for a GET — its own
/// address (path and query), from which the language switch links are made.
#[derive(Clone, Debug, Default)]
pub struct Request {
    pub lang: Lang,
    pub here: Option<String>,
}

tokio::task_local! {
    static CURRENT: Request;
}

/// Runs `future` (a request's handling) with `request` as [`current`].
pub async fn scope<F: std::future::Future>(request: Request, future: F) -> F::Output {
    CURRENT.scope(request, future).await
}

/// The language of the request being handled; English outside one.
pub fn current() -> Lang {
    CURRENT.try_with(|request| request.lang).unwrap_or_default()
}

/// The links that show the page being handled in each other language: `(language, href)`,
/// the current language with no link. None outside a GET.
pub fn switch_links() -> Option<Vec<(Lang, Option<String>)>> {
    let (lang, here) = CURRENT
        .try_with(|request| (request.lang, request.here.clone()))
        .ok()?;
    let here = here?;
    let (path, query) = here.split_once('?').unwrap_or((&here, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("lang="))
        .collect();
    Some(
        ALL.iter()
            .map(|&other| {
                let link = (other != lang).then(|| {
                    let mut pairs = kept.clone();
                    let chosen = format!("lang={}", other.tag());
                    pairs.push(&chosen);
                    format!("{path}?{}", pairs.join("&"))
                });
                (other, link)
            })
            .collect(),
    )
}

/// A GET that asks for a language (`?lang=zh-CN`): where to go back to without the parameter,
/// and the language. The path must be this server's (`/…`, not `//host`).
pub fn chosen_by_query(path: &str, query: Option<&str>) -> Option<(Lang, String)> {
    let query = query?;
    let lang = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .and_then(Lang::from_tag)?;
    if !path.starts_with('/') || path.starts_with("//") {
        return None;
    }
    let rest: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("lang="))
        .collect();
    let back = if rest.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", rest.join("&"))
    };
    Some((lang, back))
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_bundle::FluentResource;

    use super::*;

    /// Message id → the variables its text (any variant) names; a catalog that does not parse
    /// or names an id twice fails.
    fn messages(source: &str) -> BTreeMap<String, BTreeSet<String>> {
        if let Err((_, errors)) = FluentResource::try_new(source.to_owned()) {
            panic!("the catalog does not parse: {errors:?}");
        }
        let start = regex::Regex::new(r"^([a-zA-Z][a-zA-Z0-9-]*) =").unwrap();
        let variables = regex::Regex::new(r"\{\s*\$([a-z_]+)").unwrap();
        let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut current: Option<String> = None;
        for line in source.lines() {
            if let Some(capture) = start.captures(line) {
                let id = capture[1].to_owned();
                assert!(!found.contains_key(&id), "{id} twice");
                found.insert(id.clone(), BTreeSet::new());
                current = Some(id);
            } else if line.starts_with('#') || line.starts_with('-') {
                current = None;
            }
            if let Some(id) = &current {
                let names = found.entry(id.clone()).or_default();
                for capture in variables.captures_iter(line) {
                    names.insert(capture[1].to_owned());
                }
            }
        }
        found
    }

    #[test]
    fn both_catalogs_have_the_same_messages_with_the_same_variables() {
        let en = messages(CATALOGS[0].1);
        let zh = messages(CATALOGS[1].1);
        let en_ids: BTreeSet<_> = en.keys().collect();
        let zh_ids: BTreeSet<_> = zh.keys().collect();
        assert_eq!(
            en_ids.difference(&zh_ids).collect::<Vec<_>>(),
            Vec::<&&String>::new(),
            "without Chinese"
        );
        assert_eq!(
            zh_ids.difference(&en_ids).collect::<Vec<_>>(),
            Vec::<&&String>::new(),
            "without English"
        );
        let cjk = regex::Regex::new(r"[\x{3400}-\x{9fff}]").unwrap();
        let placeholder = regex::Regex::new(r"\{[^}]*\}").unwrap();
        let word = regex::Regex::new(r"[A-Za-z]{2,}").unwrap();
        for (id, variables) in &en {
            assert_eq!(Some(variables), zh.get(id), "the variables of {id}");
            let chinese = text(Lang::ZhCn, id, &[]);
            let english = text(Lang::En, id, &[]);
            let words = word
                .find_iter(&placeholder.replace_all(&english, ""))
                .count();
            if words >= 2 {
                assert!(cjk.is_match(&chinese), "{id} is not translated: {chinese}");
            }
        }
    }

    /// Every `t!(…, "id"` in the server's code names a message of both catalogs.
    #[test]
    fn every_message_the_code_names_exists() {
        let en = messages(CATALOGS[0].1);
        let named = regex::Regex::new(r#"\bt!\(\s*[^,"\n]+,\s*"([a-z0-9-]+)""#).unwrap();
        let mut files = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
        let mut used = 0;
        for file in files {
            let source = std::fs::read_to_string(&file).unwrap();
            let code: String = source
                .split("#[cfg(test)]")
                .next()
                .unwrap_or_default()
                .lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            for capture in named.captures_iter(&code) {
                used += 1;
                assert!(
                    en.contains_key(&capture[1]),
                    "{}: no message {}",
                    file.display(),
                    &capture[1]
                );
            }
        }
        assert!(
            used > 50,
            "only {used} messages named: is the pattern right?"
        );
    }

    #[test]
    fn accept_language_is_read_by_quality_and_order() {
        let cases = [
            ("zh-CN,zh;q=0.9,en;q=0.8", Some(Lang::ZhCn)),
            ("en-US,en;q=0.9,zh-CN;q=0.8", Some(Lang::En)),
            ("fr-FR, zh-TW;q=0.5, en;q=0.4", Some(Lang::ZhCn)),
            ("en;q=0.2, zh;q=0.9", Some(Lang::ZhCn)),
            ("zh;q=0, en;q=0.1", Some(Lang::En)),
            ("fr, de, *", None),
            ("", None),
            ("zh;q=2", None),
            ("zh;q=abc, en", Some(Lang::En)),
            ("zh;q=0.5555, en;q=0.5", Some(Lang::En)),
            (";;;,,,=", None),
        ];
        for (header, expected) in cases {
            assert_eq!(Lang::from_accept_language(header), expected, "{header}");
        }
        let long = "fr,".repeat(10_000) + "zh";
        assert_eq!(
            Lang::from_accept_language(&long),
            None,
            "only 32 entries read"
        );
    }

    #[test]
    fn the_cookie_wins_over_the_browser() {
        use axum::http::{header, HeaderMap, HeaderValue};
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("zh-CN"));
        assert_eq!(Lang::of_request(&headers), Lang::ZhCn);
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=b; lanyard_lang=en; c=d"),
        );
        assert_eq!(Lang::of_request(&headers), Lang::En);
        headers.insert(header::COOKIE, HeaderValue::from_static("lanyard_lang=xx"));
        assert_eq!(
            Lang::of_request(&headers),
            Lang::ZhCn,
            "a bad cookie is ignored"
        );
        assert_eq!(Lang::of_request(&HeaderMap::new()), Lang::En);
    }

    #[test]
    fn a_language_asked_in_the_query_goes_back_to_the_same_page_without_it() {
        assert_eq!(
            chosen_by_query("/sso/i1/login", Some("continue=app:x&lang=zh-CN")),
            Some((Lang::ZhCn, "/sso/i1/login?continue=app:x".to_owned()))
        );
        assert_eq!(
            chosen_by_query("/sso/i1/portal", Some("lang=en")),
            Some((Lang::En, "/sso/i1/portal".to_owned()))
        );
        assert_eq!(chosen_by_query("/x", Some("lang=fr")), None);
        assert_eq!(chosen_by_query("/x", Some("q=lang=en")), None);
        assert_eq!(chosen_by_query("//evil.example/x", Some("lang=en")), None);
        assert_eq!(chosen_by_query("/x", None), None);
    }

    #[tokio::test]
    async fn switch_links_keep_the_query_and_name_the_other_language() {
        assert_eq!(switch_links(), None, "outside a request");
        let request = Request {
            lang: Lang::ZhCn,
            here: Some("/sso/i1/portal?q=abc&lang=zh-CN".to_owned()),
        };
        let links = scope(request, async { switch_links() }).await.unwrap();
        assert_eq!(
            links,
            vec![
                (Lang::En, Some("/sso/i1/portal?q=abc&lang=en".to_owned())),
                (Lang::ZhCn, None)
            ]
        );
        let post = Request {
            lang: Lang::En,
            here: None,
        };
        assert_eq!(scope(post, async { switch_links() }).await, None);
        assert_eq!(
            scope(Request::default(), async { current() }).await,
            Lang::En
        );
    }

    #[test]
    fn messages_take_their_values_and_plurals() {
        assert_eq!(
            t!(Lang::En, "portal-sign-out-others", count = 1_usize),
            "Sign out other sessions (1)"
        );
        assert_eq!(
            t!(Lang::ZhCn, "portal-sign-out-others", count = 3_usize),
            "退出其他会话（3 个）"
        );
        assert_eq!(text(Lang::ZhCn, "no-such-message", &[]), "no-such-message");
    }
}
