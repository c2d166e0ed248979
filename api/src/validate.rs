//! Parsing of directory values at the boundary. A value of these types is valid; errors name
//! the input field they came from.

use crate::error::{AppError, AppResult};

/// A username: 1–64 characters, letters, digits and `. _ - @`, starting with a letter or digit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(field: &str, raw: &str) -> AppResult<Username> {
        let value = raw.trim();
        let valid_chars = value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
        let starts_well = value
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        if value.is_empty() || value.len() > 64 || !valid_chars || !starts_well {
            return Err(AppError::bad_input(
                field,
                format!(
                    "{value:?} is not a valid username: use 1 to 64 letters, digits, '.', '_', '-' or '@', starting with a letter or digit"
                ),
            ));
        }
        Ok(Username(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An email address: one `@`, a non-empty local part, a domain with a dot, no spaces, at most
/// 254 characters. Stored in lower case so uniqueness ignores case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, raw: &str) -> AppResult<Email> {
        let value = raw.trim().to_lowercase();
        let bad = || AppError::bad_input(field, format!("{raw:?} is not a valid email address"));
        if value.len() > 254 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        let (local, domain) = value.split_once('@').ok_or_else(bad)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(bad());
        }
        Ok(Email(value))
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A phone number: an optional `+`, then digits with spaces or dashes, 5 to 32 characters.
pub fn phone(field: &str, raw: &str) -> AppResult<String> {
    let value = raw.trim();
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let body = value.strip_prefix('+').unwrap_or(value);
    if !(5..=32).contains(&value.len())
        || digits < 5
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
    {
        return Err(AppError::bad_input(
            field,
            format!("{raw:?} is not a valid phone number"),
        ));
    }
    Ok(value.to_owned())
}

/// A display name or object name: trimmed, 1 to `max` characters, no control characters.
pub fn name(field: &str, raw: &str, max: usize) -> AppResult<String> {
    let value = raw.trim();
    if value.is_empty() || value.chars().count() > max || value.chars().any(char::is_control) {
        return Err(AppError::bad_input(
            field,
            format!("must be 1 to {max} characters without control characters"),
        ));
    }
    Ok(value.to_owned())
}

/// Free text such as a description: up to `max` characters; line breaks allowed.
pub fn text(field: &str, raw: &str, max: usize) -> AppResult<String> {
    if raw.chars().count() > max
        || raw
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(AppError::bad_input(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(raw.trim().to_owned())
}

/// An optional value where an empty string means "none".
pub fn optional<T>(
    raw: Option<&str>,
    parse: impl FnOnce(&str) -> AppResult<T>,
) -> AppResult<Option<T>> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => parse(value).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        for ok in ["alice", "a", "bob.smith", "j_doe-2", "x@corp"] {
            assert!(Username::parse("username", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            " ",
            ".alice",
            "al ice",
            "ålice",
            "a/b",
            "<script>",
            &"a".repeat(65),
        ] {
            let err = Username::parse("username", bad).unwrap_err();
            assert_eq!(err.field(), Some("username"), "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse("email", " Alice@Example.COM ")
                .unwrap()
                .into_string(),
            "alice@example.com"
        );
        for bad in [
            "alice",
            "@x.com",
            "a@",
            "a@b",
            "a@.com",
            "a b@x.com",
            "a@x..com",
            "a@@x.com",
            "a@x.com\u{0}",
        ] {
            assert!(Email::parse("email", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn phones_names_and_text() {
        assert_eq!(
            phone("phone", "+86 138-0000-0000").unwrap(),
            "+86 138-0000-0000"
        );
        assert!(phone("phone", "call me").is_err());
        assert!(phone("phone", "12").is_err());
        assert!(name("name", "  Engineering ", 128).unwrap() == "Engineering");
        assert!(name("name", "", 128).is_err());
        assert!(name("name", "a\u{7}b", 128).is_err());
        assert!(text("description", "two\nlines", 100).is_ok());
        assert!(text("description", &"x".repeat(101), 100).is_err());
        assert_eq!(optional(Some(""), |v| phone("phone", v)).unwrap(), None);
    }
}
