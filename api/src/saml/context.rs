//! Authentication context classes: what an assertion says about how the employee signed in,
//! and whether a `RequestedAuthnContext` can be met (SAML 2.0 core §3.3.2.2.1).
//!
//! The classes this server asserts, weakest first: `unspecified`; `Password` (or
//! `PasswordProtectedTransport` when it is served over https); and, when the session also
//! proved a second factor, the REFEDS MFA profile (`https://refeds.org/profile/mfa`), the
//! multi-factor class service providers in the wild recognise. A class this server does not
//! know can never be met.

use serde::{Deserialize, Serialize};

pub const AC_UNSPECIFIED: &str = "urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified";
pub const AC_PASSWORD: &str = "urn:oasis:names:tc:SAML:2.0:ac:classes:Password";
pub const AC_PASSWORD_PROTECTED: &str =
    "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport";
pub const AC_MFA: &str = "https://refeds.org/profile/mfa";

/// Most classes of a request that are looked at; a request naming more is refused.
pub const MAX_REQUESTED_CLASSES: usize = 16;

/// A class this server can assert.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Class {
    #[serde(rename = "u")]
    Unspecified,
    #[serde(rename = "p")]
    Password,
    #[serde(rename = "t")]
    PasswordProtectedTransport,
    #[serde(rename = "m")]
    Mfa,
}

impl Class {
    pub fn uri(self) -> &'static str {
        match self {
            Class::Unspecified => AC_UNSPECIFIED,
            Class::Password => AC_PASSWORD,
            Class::PasswordProtectedTransport => AC_PASSWORD_PROTECTED,
            Class::Mfa => AC_MFA,
        }
    }

    pub fn from_uri(uri: &str) -> Option<Class> {
        [
            Class::Unspecified,
            Class::Password,
            Class::PasswordProtectedTransport,
            Class::Mfa,
        ]
        .into_iter()
        .find(|class| class.uri() == uri.trim())
    }

    fn strength(self) -> u8 {
        match self {
            Class::Unspecified => 0,
            Class::Password | Class::PasswordProtectedTransport => 1,
            Class::Mfa => 2,
        }
    }
}

/// The `Comparison` of a `RequestedAuthnContext` (`exact` when absent).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Comparison {
    #[default]
    #[serde(rename = "e")]
    Exact,
    #[serde(rename = "min")]
    Minimum,
    #[serde(rename = "max")]
    Maximum,
    #[serde(rename = "b")]
    Better,
}

/// What a request asked for: the comparison and the classes of it this server knows, and
/// whether it named others (which no session here can meet).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requested {
    #[serde(rename = "c")]
    pub comparison: Comparison,
    #[serde(rename = "k")]
    pub classes: Vec<Class>,
    #[serde(rename = "x", default)]
    pub unknown: bool,
}

/// The classes a session meets, weakest first. `Password` and `PasswordProtectedTransport`
/// are one strength: the transport is the deployment's (a TLS proxy in front of a server whose
/// own URL is http is common), and python3-saml asks for the latter by default.
pub fn proved(second_factor: bool) -> Vec<Class> {
    let mut classes = vec![
        Class::Unspecified,
        Class::Password,
        Class::PasswordProtectedTransport,
    ];
    if second_factor {
        classes.push(Class::Mfa);
    }
    classes
}

/// The class a session states when nothing narrower was asked: the second factor when there
/// was one, else the password — over a protected transport when this server is https.
fn natural(second_factor: bool, https: bool, cap: u8) -> Class {
    if second_factor && Class::Mfa.strength() <= cap {
        Class::Mfa
    } else if Class::Password.strength() > cap {
        Class::Unspecified
    } else if https {
        Class::PasswordProtectedTransport
    } else {
        Class::Password
    }
}

/// The class the assertion states for a session, as the request asked for it: `None` when
/// the request cannot be met (`NoAuthnContext`).
pub fn choose(requested: Option<&Requested>, second_factor: bool, https: bool) -> Option<Class> {
    let strongest = natural(second_factor, https, u8::MAX);
    let Some(requested) = requested else {
        return Some(strongest);
    };
    let asked = &requested.classes;
    match requested.comparison {
        // One of the classes, as named.
        Comparison::Exact => {
            let proved = proved(second_factor);
            asked.iter().find(|class| proved.contains(class)).copied()
        }
        // At least as strong as one of them.
        Comparison::Minimum => asked
            .iter()
            .any(|class| class.strength() <= strongest.strength())
            .then_some(strongest),
        // Stronger than every one of them: a class of unknown strength cannot be beaten.
        Comparison::Better => {
            let beaten = !requested.unknown
                && !asked.is_empty()
                && asked
                    .iter()
                    .all(|class| class.strength() < strongest.strength());
            beaten.then_some(strongest)
        }
        // As strong as possible, no stronger than the strongest of them.
        Comparison::Maximum => {
            let cap = asked.iter().map(|class| class.strength()).max()?;
            Some(natural(second_factor, https, cap))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(comparison: Comparison, classes: &[Class]) -> Requested {
        Requested {
            comparison,
            classes: classes.to_vec(),
            unknown: false,
        }
    }

    #[test]
    fn a_request_is_met_by_what_the_session_proved_or_not_at_all() {
        use Class::*;
        use Comparison::*;
        // (request, second factor, https) → the class asserted.
        let cases: &[(Requested, bool, bool, Option<Class>)] = &[
            (asked(Exact, &[Password]), false, true, Some(Password)),
            (asked(Exact, &[Mfa]), false, true, None),
            (asked(Exact, &[Mfa, Password]), true, false, Some(Mfa)),
            (
                asked(Exact, &[PasswordProtectedTransport]),
                false,
                false,
                Some(PasswordProtectedTransport),
            ),
            (asked(Minimum, &[Password]), true, true, Some(Mfa)),
            (asked(Minimum, &[Mfa]), false, true, None),
            (asked(Better, &[Password]), false, true, None),
            (asked(Better, &[Password]), true, true, Some(Mfa)),
            (
                asked(Better, &[Unspecified, Password]),
                true,
                false,
                Some(Mfa),
            ),
            (
                asked(Maximum, &[Password]),
                true,
                true,
                Some(PasswordProtectedTransport),
            ),
            (asked(Maximum, &[Password]), true, false, Some(Password)),
            (
                asked(Maximum, &[Unspecified]),
                true,
                true,
                Some(Unspecified),
            ),
            (asked(Exact, &[]), true, true, None),
            (asked(Maximum, &[]), true, true, None),
        ];
        for (request, second_factor, https, expected) in cases {
            assert_eq!(
                choose(Some(request), *second_factor, *https),
                *expected,
                "{request:?} with mfa={second_factor} https={https}"
            );
        }
        let unknown = Requested {
            comparison: Better,
            classes: vec![Password],
            unknown: true,
        };
        assert_eq!(choose(Some(&unknown), true, true), None);
        assert_eq!(choose(None, false, true), Some(PasswordProtectedTransport));
        assert_eq!(choose(None, true, false), Some(Mfa));
    }

    #[test]
    fn classes_are_known_by_their_uri() {
        assert_eq!(Class::from_uri(AC_MFA), Some(Class::Mfa));
        assert_eq!(
            Class::from_uri(&format!(" {AC_PASSWORD}\n")),
            Some(Class::Password)
        );
        assert_eq!(
            Class::from_uri("urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard"),
            None
        );
    }
}
