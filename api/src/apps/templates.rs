//! The marketplace. Templates are code, not rows: each declares its parameters and derives
//! the SAML settings of an application from them. Admins may override what is derived.

use serde_json::{Map, Value};

use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use entity::application::AccountMode;

pub const NAMEID_UNSPECIFIED: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
pub const NAMEID_EMAIL: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
pub const NAMEID_PERSISTENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
pub const NAMEID_TRANSIENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
pub const NAMEID_FORMATS: [&str; 4] = [
    NAMEID_UNSPECIFIED,
    NAMEID_EMAIL,
    NAMEID_PERSISTENT,
    NAMEID_TRANSIENT,
];

/// The NameID format named `uri`, if this server makes it.
pub fn known_format(uri: &str) -> Option<&'static str> {
    NAMEID_FORMATS
        .into_iter()
        .find(|format| *format == uri.trim())
}

pub const ATTRNAME_URI: &str = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri";
pub const ATTRNAME_BASIC: &str = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic";

const ALIBABA_ROLE_ATTR: &str = "https://www.aliyun.com/SAML-Role/Attributes/Role";
const ALIBABA_SESSION_NAME_ATTR: &str =
    "https://www.aliyun.com/SAML-Role/Attributes/RoleSessionName";
const ALIBABA_SESSION_DURATION_ATTR: &str =
    "https://www.aliyun.com/SAML-Role/Attributes/SessionDuration";

const ALIBABA_LOGO: &str = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCA2NCA2NCI+PHJlY3Qgd2lkdGg9IjY0IiBoZWlnaHQ9IjY0IiByeD0iMTIiIGZpbGw9IiNmZjZhMDAiLz48cGF0aCBkPSJNMTYgMjJoMTB2NEgyMHYxMmg2djRIMTZ6TTQ4IDIySDM4djRoNnYxMmgtNnY0aDEweiIgZmlsbD0iI2ZmZiIvPjxyZWN0IHg9IjI3IiB5PSIzMCIgd2lkdGg9IjEwIiBoZWlnaHQ9IjQiIGZpbGw9IiNmZmYiLz48L3N2Zz4=";
const SAML_LOGO: &str = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCA2NCA2NCI+PHJlY3Qgd2lkdGg9IjY0IiBoZWlnaHQ9IjY0IiByeD0iMTIiIGZpbGw9IiMzYjVjYjgiLz48dGV4dCB4PSIzMiIgeT0iNDAiIGZvbnQtc2l6ZT0iMTgiIGZvbnQtZmFtaWx5PSJzYW5zLXNlcmlmIiBmaWxsPSIjZmZmIiB0ZXh0LWFuY2hvcj0ibWlkZGxlIj5TQU1MPC90ZXh0Pjwvc3ZnPg==";

const OIDC_LOGO: &str = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCA2NCA2NCI+PHJlY3Qgd2lkdGg9IjY0IiBoZWlnaHQ9IjY0IiByeD0iMTIiIGZpbGw9IiMyZTdkMzIiLz48dGV4dCB4PSIzMiIgeT0iNDAiIGZvbnQtc2l6ZT0iMTgiIGZvbnQtZmFtaWx5PSJzYW5zLXNlcmlmIiBmaWxsPSIjZmZmIiB0ZXh0LWFuY2hvcj0ibWlkZGxlIj5PSURDPC90ZXh0Pjwvc3ZnPg==";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Site {
    International,
    China,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    AlibabaUser(Site),
    AlibabaRole(Site),
    GenericSaml,
    AlibabaRoleOidc,
    GenericOidc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// Alibaba Cloud account ID: 16 digits.
    AlibabaAccountId,
    /// A RAM identifier (SAML provider or role name): 1–128 of letters, digits, `.`, `-`, `_`.
    RamName,
    /// Role names, one or more, separated by commas.
    RamRoleList,
    /// Seconds, 900–43200.
    SessionDuration,
}

#[derive(Clone, Copy, Debug)]
pub struct Param {
    pub key: &'static str,
    /// The stem of its texts' message ids in the catalogs (`template-param-{message}`): the
    /// key, unless a template words the same parameter differently.
    pub message: &'static str,
    pub label: &'static str,
    pub description: &'static str,
    pub kind: ParamKind,
    pub required: bool,
}

#[derive(Clone, Copy, Debug)]
pub struct Template {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub category: &'static str,
    pub logo: &'static str,
    pub protocol: &'static str,
    pub params: &'static [Param],
    kind: Kind,
}

/// Where an attribute's values come from.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttributeStatement {
    pub name: String,
    #[serde(default = "default_attr_format")]
    pub name_format: String,
    /// `username`, `email`, `displayName`, `phone`, `externalId`, `nameId`, or `literal`.
    pub source: String,
    /// The values when `source` is `literal`.
    #[serde(default)]
    pub values: Vec<String>,
}

fn default_attr_format() -> String {
    ATTRNAME_BASIC.to_owned()
}

pub const ATTRIBUTE_SOURCES: [&str; 7] = [
    "username",
    "email",
    "displayName",
    "phone",
    "externalId",
    "nameId",
    "literal",
];

/// What a template derives from its parameters; `None` where the admin must supply a value.
#[derive(Clone, Debug, PartialEq)]
pub struct Derived {
    pub sp_entity_id: Option<String>,
    pub acs_url: Option<String>,
    pub name_id_format: &'static str,
    pub account_mode: AccountMode,
    pub name_id_suffix: Option<String>,
    pub default_relay_state: Option<String>,
    pub sign_response: bool,
    pub sign_assertion: bool,
    pub attribute_statements: Vec<AttributeStatement>,
    /// The names RAM accepts for application accounts.
    pub account_name_rule: AccountNameRule,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountNameRule {
    /// RAM user names: 1–64 of letters, digits, `.`, `_`, `-`.
    RamUser,
    /// Anything printable without spaces, 1–128 characters.
    Generic,
}

const ALIBABA_USER_PARAMS: &[Param] = &[Param {
    key: "accountId",
    message: "accountId",
    label: "Alibaba Cloud account ID",
    description:
        "The 16-digit ID of the Alibaba Cloud account (Account Center, under the profile picture).",
    kind: ParamKind::AlibabaAccountId,
    required: true,
}];

const ALIBABA_OIDC_PARAMS: &[Param] = &[
    Param {
        key: "accountId",
        message: "accountId",
        label: "Alibaba Cloud account ID",
        description:
            "The 16-digit ID of the Alibaba Cloud account (Account Center, under the profile picture).",
        kind: ParamKind::AlibabaAccountId,
        required: true,
    },
    Param {
        key: "idpName",
        message: "oidcIdpName",
        label: "IdP name in RAM",
        description:
            "The name of the OIDC identity provider created in RAM > SSO > Role-based SSO > OIDC.",
        kind: ParamKind::RamName,
        required: true,
    },
    Param {
        key: "roles",
        message: "oidcRoles",
        label: "RAM roles",
        description: "The RAM roles whose trust policy names this IdP, by name, separated by commas.",
        kind: ParamKind::RamRoleList,
        required: true,
    },
];

const ALIBABA_ROLE_PARAMS: &[Param] = &[
    Param {
        key: "accountId",
        message: "accountId",
        label: "Alibaba Cloud account ID",
        description:
            "The 16-digit ID of the Alibaba Cloud account (Account Center, under the profile picture).",
        kind: ParamKind::AlibabaAccountId,
        required: true,
    },
    Param {
        key: "idpName",
        message: "idpName",
        label: "IdP name in RAM",
        description:
            "The name of the SAML identity provider created in RAM > SSO > Role-based SSO.",
        kind: ParamKind::RamName,
        required: true,
    },
    Param {
        key: "roles",
        message: "roles",
        label: "RAM roles",
        description: "The RAM roles to offer, by name, separated by commas.",
        kind: ParamKind::RamRoleList,
        required: true,
    },
    Param {
        key: "sessionDuration",
        message: "sessionDuration",
        label: "Session duration (seconds)",
        description:
            "How long the role session lasts, 900 to 43200 seconds; RAM's default when empty.",
        kind: ParamKind::SessionDuration,
        required: false,
    },
];

pub const TEMPLATES: &[Template] = &[
    Template {
        id: "alibaba-cloud-user-sso-intl",
        name: "Alibaba Cloud User-based SSO (International Site)",
        description:
            "Employees sign in to the Alibaba Cloud console (alibabacloud.com) as RAM users.",
        category: "Cloud",
        logo: ALIBABA_LOGO,
        protocol: "SAML2",
        params: ALIBABA_USER_PARAMS,
        kind: Kind::AlibabaUser(Site::International),
    },
    Template {
        id: "alibaba-cloud-user-sso-cn",
        name: "Alibaba Cloud User-based SSO (China Site)",
        description: "Employees sign in to the Alibaba Cloud console (aliyun.com) as RAM users.",
        category: "Cloud",
        logo: ALIBABA_LOGO,
        protocol: "SAML2",
        params: ALIBABA_USER_PARAMS,
        kind: Kind::AlibabaUser(Site::China),
    },
    Template {
        id: "alibaba-cloud-role-sso-intl",
        name: "Alibaba Cloud Role-based SSO (International Site)",
        description: "Employees assume RAM roles in the Alibaba Cloud console (alibabacloud.com).",
        category: "Cloud",
        logo: ALIBABA_LOGO,
        protocol: "SAML2",
        params: ALIBABA_ROLE_PARAMS,
        kind: Kind::AlibabaRole(Site::International),
    },
    Template {
        id: "alibaba-cloud-role-sso-cn",
        name: "Alibaba Cloud Role-based SSO (China Site)",
        description: "Employees assume RAM roles in the Alibaba Cloud console (aliyun.com).",
        category: "Cloud",
        logo: ALIBABA_LOGO,
        protocol: "SAML2",
        params: ALIBABA_ROLE_PARAMS,
        kind: Kind::AlibabaRole(Site::China),
    },
    Template {
        id: "generic-saml2",
        name: "SAML 2.0 Application",
        description:
            "Any SAML 2.0 service provider: import its metadata or enter its entity ID and ACS URL.",
        category: "Custom",
        logo: SAML_LOGO,
        protocol: "SAML2",
        params: &[],
        kind: Kind::GenericSaml,
    },
    Template {
        id: "alibaba-cloud-role-sso-oidc",
        name: "Alibaba Cloud Role-based SSO (OIDC)",
        description: "Applications exchange the employee's ID token for a RAM role's STS credentials \
             (RAM's OIDC identity provider, AssumeRoleWithOIDC).",
        category: "Cloud",
        logo: ALIBABA_LOGO,
        protocol: PROTOCOL_OIDC,
        params: ALIBABA_OIDC_PARAMS,
        kind: Kind::AlibabaRoleOidc,
    },
    Template {
        id: "generic-oidc",
        name: "Generic OpenID Connect",
        description:
            "Any OpenID Connect relying party: register its redirect URIs and give it a client ID and secret.",
        category: "Custom",
        logo: OIDC_LOGO,
        protocol: PROTOCOL_OIDC,
        params: &[],
        kind: Kind::GenericOidc,
    },
];

/// The protocol of the OpenID Connect templates (the others are `SAML2`).
pub const PROTOCOL_OIDC: &str = "OIDC";

/// A template's or parameter's text in a language: the catalog's message `id` (see
/// `api/locales/`), else the English text written here.
fn localized(lang: Lang, id: &str, english: &'static str) -> String {
    crate::i18n::lookup(lang, id, &[]).unwrap_or_else(|| english.to_owned())
}

impl Template {
    /// Whether its applications are OpenID Connect clients (else SAML service providers).
    pub fn is_oidc(&self) -> bool {
        self.protocol == PROTOCOL_OIDC
    }

    /// What the marketplace says of it, in a language.
    pub fn description_in(&self, lang: Lang) -> String {
        localized(lang, &format!("template-{}", self.id), self.description)
    }

    /// Its marketplace category, in a language.
    pub fn category_in(&self, lang: Lang) -> String {
        let id = format!("template-category-{}", self.category.to_lowercase());
        localized(lang, &id, self.category)
    }
}

impl Param {
    /// The field's label, in a language.
    pub fn label_in(&self, lang: Lang) -> String {
        localized(
            lang,
            &format!("template-param-{}", self.message),
            self.label,
        )
    }

    /// The help under the field, in a language.
    pub fn description_in(&self, lang: Lang) -> String {
        let id = format!("template-param-{}-help", self.message);
        localized(lang, &id, self.description)
    }
}

pub fn find(id: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.id == id)
}

/// Templates whose name, description or category contains `search` (any case).
pub fn search(search: Option<&str>, category: Option<&str>) -> Vec<&'static Template> {
    let needle = search.map(|s| s.trim().to_lowercase()).unwrap_or_default();
    TEMPLATES
        .iter()
        .filter(|t| category.is_none_or(|c| t.category.eq_ignore_ascii_case(c)))
        .filter(|t| {
            needle.is_empty()
                || needle.split_whitespace().all(|word| {
                    format!("{} {} {}", t.name, t.description, t.category)
                        .to_lowercase()
                        .contains(word)
                })
        })
        .collect()
}

fn string_param<'a>(params: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    params
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn check_param(param: &Param, value: &Value) -> AppResult<Value> {
    let field = format!("params.{}", param.key);
    let text = match value {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) if param.kind == ParamKind::SessionDuration => n.to_string(),
        _ => {
            return Err(AppError::bad_input(
                field,
                format!("{} must be text", param.label),
            ))
        }
    };
    let ok = match param.kind {
        ParamKind::AlibabaAccountId => text.len() == 16 && text.chars().all(|c| c.is_ascii_digit()),
        ParamKind::RamName => is_ram_name(&text, 128),
        ParamKind::RamRoleList => {
            let roles: Vec<&str> = text.split(',').map(str::trim).collect();
            !roles.is_empty() && roles.len() <= 20 && roles.iter().all(|r| is_ram_name(r, 64))
        }
        ParamKind::SessionDuration => text
            .parse::<u32>()
            .is_ok_and(|s| (900..=43200).contains(&s)),
    };
    if !ok {
        let expected = match param.kind {
            ParamKind::AlibabaAccountId => "exactly 16 digits",
            ParamKind::RamName => "1 to 128 letters, digits, '.', '-' or '_'",
            ParamKind::RamRoleList => "1 to 20 role names separated by commas",
            ParamKind::SessionDuration => "a number of seconds from 900 to 43200",
        };
        return Err(AppError::bad_input(
            field,
            format!("{} must be {expected}, not {text:?}", param.label),
        ));
    }
    Ok(Value::String(text))
}

fn is_ram_name(text: &str, max: usize) -> bool {
    !text.is_empty()
        && text.len() <= max
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

impl Template {
    /// Checks the parameters against their declarations; unknown keys are refused. With
    /// `complete`, required parameters must be present.
    pub fn check_params(&self, params: &Value, complete: bool) -> AppResult<Map<String, Value>> {
        let Value::Object(given) = params else {
            return Err(AppError::bad_input(
                "params",
                "params must be a JSON object",
            ));
        };
        let mut checked = Map::new();
        for (key, value) in given {
            let param = self.params.iter().find(|p| p.key == key).ok_or_else(|| {
                AppError::bad_input(
                    format!("params.{key}"),
                    format!("the template {:?} has no parameter {key:?}", self.name),
                )
            })?;
            if value.is_null() || value.as_str().is_some_and(|s| s.trim().is_empty()) {
                continue;
            }
            checked.insert(key.clone(), check_param(param, value)?);
        }
        if complete {
            if let Some(missing) = self
                .params
                .iter()
                .find(|p| p.required && !checked.contains_key(p.key))
            {
                return Err(AppError::bad_input(
                    format!("params.{}", missing.key),
                    format!("{} is required", missing.label),
                ));
            }
        }
        Ok(checked)
    }

    /// The parameters still missing before SSO can work.
    pub fn missing_params(&self, params: &Map<String, Value>) -> Vec<&'static str> {
        self.params
            .iter()
            .filter(|p| p.required && string_param(params, p.key).is_none())
            .map(|p| p.key)
            .collect()
    }

    /// The SAML settings derived from (checked) parameters.
    pub fn derive(&self, params: &Map<String, Value>) -> Derived {
        let account = string_param(params, "accountId");
        match self.kind {
            Kind::AlibabaUser(site) => {
                let host = match site {
                    Site::International => "signin-intl.aliyun.com",
                    Site::China => "signin.aliyun.com",
                };
                Derived {
                    sp_entity_id: account.map(|id| format!("https://{host}/{id}/saml/SSO")),
                    acs_url: Some(format!("https://{host}/saml/SSO")),
                    name_id_format: NAMEID_UNSPECIFIED,
                    account_mode: AccountMode::Username,
                    name_id_suffix: account.map(|id| format!("{id}.onaliyun.com")),
                    default_relay_state: Some("https://home.console.aliyun.com".into()),
                    sign_response: false,
                    sign_assertion: true,
                    attribute_statements: vec![],
                    account_name_rule: AccountNameRule::RamUser,
                }
            }
            Kind::AlibabaRole(site) => {
                let (entity, acs) = match site {
                    Site::International => (
                        "urn:alibaba:cloudcomputing:international",
                        "https://signin.alibabacloud.com/saml-role/sso",
                    ),
                    Site::China => (
                        "urn:alibaba:cloudcomputing",
                        "https://signin.aliyun.com/saml-role/sso",
                    ),
                };
                let mut attributes = vec![];
                if let (Some(uid), Some(idp), Some(roles)) = (
                    account,
                    string_param(params, "idpName"),
                    string_param(params, "roles"),
                ) {
                    attributes.push(AttributeStatement {
                        name: ALIBABA_ROLE_ATTR.into(),
                        name_format: ATTRNAME_URI.into(),
                        source: "literal".into(),
                        values: roles
                            .split(',')
                            .map(str::trim)
                            .map(|role| {
                                format!(
                                    "acs:ram::{uid}:role/{role},acs:ram::{uid}:saml-provider/{idp}"
                                )
                            })
                            .collect(),
                    });
                }
                attributes.push(AttributeStatement {
                    name: ALIBABA_SESSION_NAME_ATTR.into(),
                    name_format: ATTRNAME_URI.into(),
                    source: "username".into(),
                    values: vec![],
                });
                if let Some(duration) = string_param(params, "sessionDuration") {
                    attributes.push(AttributeStatement {
                        name: ALIBABA_SESSION_DURATION_ATTR.into(),
                        name_format: ATTRNAME_URI.into(),
                        source: "literal".into(),
                        values: vec![duration.to_owned()],
                    });
                }
                Derived {
                    sp_entity_id: Some(entity.into()),
                    acs_url: Some(acs.into()),
                    name_id_format: NAMEID_UNSPECIFIED,
                    account_mode: AccountMode::Username,
                    name_id_suffix: None,
                    default_relay_state: Some("https://home.console.aliyun.com".into()),
                    sign_response: true,
                    sign_assertion: true,
                    attribute_statements: attributes,
                    account_name_rule: AccountNameRule::RamUser,
                }
            }
            Kind::AlibabaRoleOidc | Kind::GenericOidc => Derived {
                sp_entity_id: None,
                acs_url: None,
                name_id_format: NAMEID_UNSPECIFIED,
                account_mode: AccountMode::Username,
                name_id_suffix: None,
                default_relay_state: None,
                sign_response: true,
                sign_assertion: true,
                attribute_statements: vec![],
                account_name_rule: if self.kind == Kind::AlibabaRoleOidc {
                    AccountNameRule::RamUser
                } else {
                    AccountNameRule::Generic
                },
            },
            Kind::GenericSaml => Derived {
                sp_entity_id: None,
                acs_url: None,
                name_id_format: NAMEID_UNSPECIFIED,
                account_mode: AccountMode::Username,
                name_id_suffix: None,
                default_relay_state: None,
                sign_response: true,
                sign_assertion: true,
                attribute_statements: vec![],
                account_name_rule: AccountNameRule::Generic,
            },
        }
    }
}

/// Checks an application account name against what the target accepts.
pub fn check_account_name(rule: AccountNameRule, field: &str, raw: &str) -> AppResult<String> {
    let name = raw.trim();
    let ok = match rule {
        AccountNameRule::RamUser => {
            !name.is_empty()
                && name.len() <= 64
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        }
        AccountNameRule::Generic => {
            !name.is_empty()
                && name.chars().count() <= 128
                && !name.chars().any(|c| c.is_whitespace() || c.is_control())
        }
    };
    if !ok {
        let rule_text = match rule {
            AccountNameRule::RamUser => {
                "1 to 64 letters, digits, '.', '_' or '-' (a RAM user name)"
            }
            AccountNameRule::Generic => "1 to 128 characters without spaces",
        };
        return Err(AppError::bad_input(
            field,
            format!("{raw:?} is not a valid account name: use {rule_text}"),
        ));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every template's texts are in both catalogs, the English one as written here.
    #[test]
    fn the_marketplace_speaks_both_languages() {
        for template in TEMPLATES {
            assert_eq!(template.description_in(Lang::En), template.description);
            assert_eq!(template.category_in(Lang::En), template.category);
            assert_ne!(template.description_in(Lang::ZhCn), template.description);
            assert_ne!(template.category_in(Lang::ZhCn), template.category);
            for param in template.params {
                assert_eq!(param.label_in(Lang::En), param.label);
                assert_eq!(param.description_in(Lang::En), param.description);
                assert_ne!(param.label_in(Lang::ZhCn), param.label, "{}", param.key);
                assert_ne!(param.description_in(Lang::ZhCn), param.description);
            }
        }
    }
    use serde_json::json;

    #[test]
    fn alibaba_user_sso_derives_from_the_account_id() {
        let template = find("alibaba-cloud-user-sso-intl").unwrap();
        let params = template
            .check_params(&json!({ "accountId": " 1234567890123456 " }), true)
            .unwrap();
        let derived = template.derive(&params);
        assert_eq!(
            derived.sp_entity_id.as_deref(),
            Some("https://signin-intl.aliyun.com/1234567890123456/saml/SSO")
        );
        assert_eq!(
            derived.acs_url.as_deref(),
            Some("https://signin-intl.aliyun.com/saml/SSO")
        );
        assert_eq!(
            derived.name_id_suffix.as_deref(),
            Some("1234567890123456.onaliyun.com")
        );
        let china = find("alibaba-cloud-user-sso-cn").unwrap().derive(&params);
        assert_eq!(
            china.sp_entity_id.as_deref(),
            Some("https://signin.aliyun.com/1234567890123456/saml/SSO")
        );
        assert_eq!(
            china.acs_url.as_deref(),
            Some("https://signin.aliyun.com/saml/SSO")
        );
    }

    #[test]
    fn bad_parameters_name_their_field() {
        let template = find("alibaba-cloud-user-sso-intl").unwrap();
        for bad in [
            json!({ "accountId": "123" }),
            json!({ "accountId": "12345678901234567" }),
            json!({ "accountId": "12345678901234ab" }),
            json!({ "accountId": 5 }),
        ] {
            let err = template.check_params(&bad, false).unwrap_err();
            assert_eq!(err.field(), Some("params.accountId"), "{bad}");
        }
        let err = template
            .check_params(&json!({ "nope": "x" }), false)
            .unwrap_err();
        assert_eq!(err.field(), Some("params.nope"));
        let err = template.check_params(&json!({}), true).unwrap_err();
        assert_eq!(err.field(), Some("params.accountId"));
        assert!(template.check_params(&json!([1]), false).is_err());
    }

    #[test]
    fn role_sso_offers_each_role_with_the_provider() {
        let template = find("alibaba-cloud-role-sso-intl").unwrap();
        let params = template
            .check_params(&json!({ "accountId": "1234567890123456", "idpName": "lanyard", "roles": "admin, readonly", "sessionDuration": 3600 }), true)
            .unwrap();
        let derived = template.derive(&params);
        assert_eq!(
            derived.sp_entity_id.as_deref(),
            Some("urn:alibaba:cloudcomputing:international")
        );
        let role = &derived.attribute_statements[0];
        assert_eq!(role.values, vec![
            "acs:ram::1234567890123456:role/admin,acs:ram::1234567890123456:saml-provider/lanyard",
            "acs:ram::1234567890123456:role/readonly,acs:ram::1234567890123456:saml-provider/lanyard",
        ]);
        assert_eq!(derived.attribute_statements[1].source, "username");
        assert_eq!(derived.attribute_statements[2].values, vec!["3600"]);
        assert!(template
            .check_params(&json!({ "sessionDuration": 60 }), false)
            .is_err());
        assert!(template
            .check_params(&json!({ "roles": "a b" }), false)
            .is_err());
    }

    #[test]
    fn the_marketplace_is_searchable() {
        let hits: Vec<&str> = search(Some("alibaba cloud user-based sso (international"), None)
            .iter()
            .map(|t| t.id)
            .collect();
        assert_eq!(hits, vec!["alibaba-cloud-user-sso-intl"]);
        let custom: Vec<&str> = search(None, Some("custom")).iter().map(|t| t.id).collect();
        assert_eq!(custom, vec!["generic-saml2", "generic-oidc"]);
        let oidc: Vec<&str> = search(Some("openid"), None).iter().map(|t| t.id).collect();
        assert_eq!(oidc, vec!["generic-oidc"]);
        assert_eq!(search(Some("nothing like this"), None).len(), 0);
    }

    #[test]
    fn account_names_follow_ram_rules() {
        assert_eq!(
            check_account_name(AccountNameRule::RamUser, "accountName", " alice.w ").unwrap(),
            "alice.w"
        );
        for bad in ["", "a b", "alice@corp", &"a".repeat(65), "名字"] {
            assert!(
                check_account_name(AccountNameRule::RamUser, "accountName", bad).is_err(),
                "{bad}"
            );
        }
        assert!(check_account_name(AccountNameRule::Generic, "accountName", "alice@corp").is_ok());
    }
}
