//! Email: the SMTP transport (lettre; plain, STARTTLS or TLS), the templates (a text and an HTML
//! body each), and enqueueing into the outbox. A message is rendered when it is sent, from what
//! the outbox row holds: the recipient, the template, its variables and — for the links of
//! invitations and resets — the id of the action token, from which the link is derived. No
//! secret is stored in the outbox. The instance's name is read when the email is sent.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use entity::outbox::{self as outbox_entity, MessageKind};
use entity::user;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::ConnectionTrait;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};

use crate::config::{Config, SmtpConfig, SmtpSecurity};
use crate::db::{Store, WriteTxn};
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::outbox::worker::Deliver;
use crate::outbox::{self, Attempt, NewMessage};
use crate::request::html_escape;
use crate::secrets::Keys;
use crate::t;

/// The emails Lanyard sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    Invitation,
    PasswordReset,
    AccountLocked,
    SignInCode,
    FactorsReset,
}

impl Template {
    pub fn name(self) -> &'static str {
        match self {
            Template::Invitation => "invitation",
            Template::PasswordReset => "password_reset",
            Template::AccountLocked => "account_locked",
            Template::SignInCode => "sign_in_code",
            Template::FactorsReset => "factors_reset",
        }
    }

    fn subject(self, lang: Lang, vars: &BTreeMap<String, String>) -> String {
        let instance = vars.get("instance_name").map(String::as_str).unwrap_or("");
        match self {
            Template::Invitation => t!(lang, "email-invitation-subject", instance = instance),
            Template::PasswordReset => t!(lang, "email-reset-subject", instance = instance),
            Template::AccountLocked => t!(lang, "email-locked-subject", instance = instance),
            Template::FactorsReset => t!(lang, "email-factors-reset-subject", instance = instance),
            Template::SignInCode => {
                let code = vars.get("code").map(String::as_str).unwrap_or("");
                t!(lang, "email-code-subject", code = code, instance = instance)
            }
        }
    }

    /// The text and HTML bodies in a language: `templates/<language>/<name>.{txt,html}`.
    fn bodies(self, lang: Lang) -> (&'static str, &'static str) {
        macro_rules! per_language {
            ($name:literal) => {
                match lang {
                    Lang::En => (
                        include_str!(concat!("templates/en/", $name, ".txt")),
                        include_str!(concat!("templates/en/", $name, ".html")),
                    ),
                    Lang::ZhCn => (
                        include_str!(concat!("templates/zh-CN/", $name, ".txt")),
                        include_str!(concat!("templates/zh-CN/", $name, ".html")),
                    ),
                }
            };
        }
        match self {
            Template::Invitation => per_language!("invitation"),
            Template::PasswordReset => per_language!("password_reset"),
            Template::AccountLocked => per_language!("account_locked"),
            Template::SignInCode => per_language!("sign_in_code"),
            Template::FactorsReset => per_language!("factors_reset"),
        }
    }
}

/// What an email row of the outbox holds.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EmailPayload {
    pub to: String,
    pub to_name: String,
    pub template: Template,
    pub vars: BTreeMap<String, String>,
    /// The action token whose link the email carries (invitation, reset).
    pub action_token_id: Option<String>,
    /// The sign-in code row whose code the email carries.
    #[serde(default)]
    pub sign_in_code_id: Option<String>,
    /// The language it is written in (`en`, `zh-CN`): the one of the request that caused it
    /// (the employee's page, the administrator's console). Rows from before languages: English.
    #[serde(default)]
    pub language: Option<String>,
}

/// The language of an email enqueued now: the one of the request being handled.
pub fn language() -> Option<String> {
    Some(crate::i18n::current().tag().to_owned())
}

impl EmailPayload {
    fn lang(&self) -> Lang {
        self.language
            .as_deref()
            .and_then(Lang::from_tag)
            .unwrap_or_default()
    }
}

/// Replaces every `{{name}}` by its value (HTML-escaped in HTML bodies).
fn render(template: &str, vars: &BTreeMap<String, String>, html: bool) -> String {
    let mut out = template.to_owned();
    for (name, value) in vars {
        let value = if html {
            html_escape(value)
        } else {
            value.clone()
        };
        out = out.replace(&format!("{{{{{name}}}}}"), &value);
    }
    out
}

/// Writes an email into the outbox, in the caller's transaction.
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    instance_id: &str,
    payload: EmailPayload,
) -> AppResult<String> {
    outbox::enqueue(
        db,
        NewMessage {
            instance_id: instance_id.to_owned(),
            kind: MessageKind::Email,
            subscription_id: None,
            ordering_key: None,
            topic: payload.template.name().to_owned(),
            recipient: payload.to.clone(),
            payload: serde_json::to_value(&payload)
                .map_err(|err| anyhow::Error::new(err).context("email payload"))?,
        },
    )
    .await
}

/// Tells a user that their account was locked, by email, in the transaction that locks it
/// (one insert: the lockout's transaction stays short). Returns the outbox id, or `None` when
/// the user has no email address.
pub async fn notify_account_locked(
    txn: &WriteTxn,
    config: &Config,
    user: &user::Model,
) -> AppResult<Option<String>> {
    let link = crate::links::forgot_url(&config.public_url, &user.instance_id);
    notify(txn, user, Template::AccountLocked, ("forgot_url", link)).await
}

/// Tells a user, in the caller's transaction, that an administrator removed her second
/// factors. Returns the outbox row's id, `None` when she has no email address.
pub async fn notify_factors_reset(
    txn: &WriteTxn,
    config: &Config,
    user: &user::Model,
) -> AppResult<Option<String>> {
    let link = crate::links::account_url(&config.public_url, &user.instance_id);
    notify(txn, user, Template::FactorsReset, ("account_url", link)).await
}

/// A notice about her account to a user with an address: her names and one link.
async fn notify(
    txn: &WriteTxn,
    user: &user::Model,
    template: Template,
    (link_name, link): (&str, String),
) -> AppResult<Option<String>> {
    let Some(email) = user.email.clone() else {
        return Ok(None);
    };
    let vars = BTreeMap::from([
        ("display_name".to_owned(), user.display_name.clone()),
        ("username".to_owned(), user.username.clone()),
        (link_name.to_owned(), link),
    ]);
    let id = enqueue(
        txn,
        &user.instance_id,
        EmailPayload {
            to: email,
            to_name: user.display_name.clone(),
            template,
            vars,
            action_token_id: None,
            sign_in_code_id: None,
            language: language(),
        },
    )
    .await?;
    Ok(Some(id))
}

/// The SMTP transport and the From of every message.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `None` when no SMTP host is configured.
    pub fn from_config(config: &SmtpConfig) -> anyhow::Result<Option<Mailer>> {
        let Some(host) = config.host.clone() else {
            return Ok(None);
        };
        let from: Mailbox = config.from.parse().context("smtp.from")?;
        let tls = || -> anyhow::Result<TlsParameters> {
            let mut builder = TlsParameters::builder(host.clone());
            if let Some(path) = &config.ca_file {
                let pem = std::fs::read(path)
                    .with_context(|| format!("reading smtp.ca_file {}", path.display()))?;
                builder = builder.add_root_certificate(
                    Certificate::from_pem(&pem)
                        .with_context(|| format!("smtp.ca_file {} is not PEM", path.display()))?,
                );
            }
            Ok(builder.build_rustls()?)
        };
        let security = match config.security {
            SmtpSecurity::None => Tls::None,
            SmtpSecurity::Starttls => Tls::Required(tls()?),
            SmtpSecurity::Tls => Tls::Wrapper(tls()?),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(config.port())
            .tls(security)
            .timeout(Some(Duration::from_secs(config.timeout_seconds)));
        if let (Some(username), Some(password)) = (&config.username, &config.password) {
            builder = builder.credentials(Credentials::new(
                username.clone(),
                password.expose_secret().to_owned(),
            ));
        }
        Ok(Some(Mailer {
            transport: builder.build(),
            from,
        }))
    }

    /// `<outbox id@domain of the From>`: the same for every attempt at one message.
    fn message_id(&self, outbox_id: &str) -> String {
        format!("<{outbox_id}@{}>", self.from.email.domain())
    }
}

/// Sends the outbox's email rows: the transport, and what a message's links and codes are
/// derived from.
pub struct EmailSender {
    pub mailer: Mailer,
    pub store: Store,
    pub keys: Arc<Keys>,
    pub public_url: String,
}

fn build_message(
    sender: &EmailSender,
    row: &outbox_entity::Model,
    payload: &EmailPayload,
    instance_name: String,
) -> anyhow::Result<Message> {
    let mut vars = payload.vars.clone();
    vars.insert("instance_name".to_owned(), instance_name);
    if let Some(token_id) = &payload.action_token_id {
        vars.insert(
            "link".to_owned(),
            crate::links::set_password_url(
                &sender.public_url,
                &row.instance_id,
                &sender.keys.action_token_value(token_id),
            ),
        );
    }
    if let Some(code_id) = &payload.sign_in_code_id {
        vars.insert("code".to_owned(), sender.keys.sign_in_code_of(code_id));
    }
    let (text, html) = payload.template.bodies(payload.lang());
    let address = payload.to.parse().context("the recipient address")?;
    let name = payload
        .to_name
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let mailer = &sender.mailer;
    Ok(Message::builder()
        .from(mailer.from.clone())
        .to(Mailbox::new(Some(name), address))
        .subject(payload.template.subject(payload.lang(), &vars))
        .message_id(Some(mailer.message_id(&row.id)))
        .multipart(MultiPart::alternative_plain_html(
            render(text, &vars, false),
            render(html, &vars, true),
        ))?)
}

fn reply_code(code: lettre::transport::smtp::response::Code) -> Option<i32> {
    code.to_string().parse().ok()
}

#[async_trait::async_trait]
impl Deliver for EmailSender {
    /// One attempt at sending an email row.
    async fn deliver(&self, row: &outbox_entity::Model) -> Attempt {
        send(self, row).await
    }
}

async fn send(sender: &EmailSender, row: &outbox_entity::Model) -> Attempt {
    let payload: EmailPayload = match serde_json::from_value(row.payload.clone()) {
        Ok(payload) => payload,
        Err(err) => return Attempt::give_up(format!("unreadable email payload: {err}")),
    };
    let instance = match crate::tenant::get_in(&sender.store.conn, &row.instance_id).await {
        Ok(instance) => instance,
        Err(err) => return Attempt::retry(format!("reading the instance: {err}")),
    };
    let message = match build_message(sender, row, &payload, instance.name) {
        Ok(message) => message,
        Err(err) => return Attempt::give_up(format!("{err:#}")),
    };
    match sender.mailer.transport.send(message).await {
        Ok(response) => Attempt::delivered(
            reply_code(response.code()),
            Some(outbox::truncate(
                &response.message().collect::<Vec<_>>().join(" "),
                512,
            )),
        ),
        Err(err) => {
            let attempt = if err.is_permanent() {
                Attempt::give_up(format!("the mail server refused the message: {err}"))
            } else {
                Attempt::retry(format!("{err}"))
            };
            Attempt {
                status_code: err.status().and_then(reply_code),
                ..attempt
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> BTreeMap<String, String> {
        [
            "display_name",
            "username",
            "instance_name",
            "link",
            "expires_at",
            "forgot_url",
            "code",
            "valid_minutes",
        ]
        .into_iter()
        .map(|name| (name.to_owned(), format!("<{name}&>")))
        .collect()
    }

    const TEMPLATES: [Template; 4] = [
        Template::Invitation,
        Template::PasswordReset,
        Template::AccountLocked,
        Template::SignInCode,
    ];

    #[test]
    fn every_placeholder_is_filled_and_html_is_escaped() {
        for lang in crate::i18n::ALL {
            for template in TEMPLATES {
                let (text, html) = template.bodies(lang);
                let text = render(text, &vars(), false);
                let html = render(html, &vars(), true);
                assert!(!text.contains("{{"), "{template:?}: {text}");
                assert!(!html.contains("{{"), "{template:?}: {html}");
                assert!(text.contains("<display_name&>"));
                assert!(html.contains("&lt;display_name&amp;&gt;"));
                assert!(!html.contains("<display_name&>"));
                assert!(html.contains(&format!("<html lang=\"{}\">", lang.tag())));
            }
        }
    }

    /// Each template says the same things in both languages: the same placeholders, and the
    /// Chinese one is Chinese.
    #[test]
    fn every_template_is_written_in_both_languages() {
        let placeholders = |body: &str| -> std::collections::BTreeSet<String> {
            body.split("{{")
                .skip(1)
                .filter_map(|rest| rest.split_once("}}").map(|(name, _)| name.to_owned()))
                .collect()
        };
        for template in TEMPLATES {
            let (en_text, en_html) = template.bodies(Lang::En);
            let (zh_text, zh_html) = template.bodies(Lang::ZhCn);
            assert_eq!(
                placeholders(en_text),
                placeholders(zh_text),
                "{template:?} text"
            );
            assert_eq!(
                placeholders(en_html),
                placeholders(zh_html),
                "{template:?} html"
            );
            assert!(
                zh_text.contains("您好") && zh_html.contains("您好"),
                "{template:?}"
            );
            assert_ne!(
                template.subject(Lang::En, &vars()),
                template.subject(Lang::ZhCn, &vars())
            );
        }
    }

    #[test]
    fn subjects_name_the_instance() {
        let subject = Template::PasswordReset.subject(Lang::En, &vars());
        assert_eq!(subject, "Reset your password at <instance_name&>");
        let subject = Template::SignInCode.subject(Lang::ZhCn, &vars());
        assert_eq!(subject, "<code&> 是您登录 <instance_name&> 的验证码");
    }

    #[test]
    fn a_payload_from_before_languages_is_english() {
        let payload: EmailPayload = serde_json::from_value(serde_json::json!({
            "to": "a@example.com", "to_name": "A", "template": "sign_in_code", "vars": {},
            "action_token_id": null
        }))
        .unwrap();
        assert_eq!(payload.lang(), Lang::En);
    }
}
