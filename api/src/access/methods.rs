//! How an employee proved who she is: the names of a session's methods (Cedar's
//! `context.authMethods`), and what they add up to (`context.mfa`, `context.assuranceLevel`).

/// Her password.
pub const PASSWORD: &str = "password";
/// A one-time code emailed to her.
pub const EMAIL_CODE: &str = "email_code";
/// A code of an authenticator app.
pub const TOTP: &str = "totp";
/// One of her recovery codes.
pub const RECOVERY_CODE: &str = "recovery_code";
/// A passkey or security key that verified its user (PIN or biometrics): two factors in one.
pub const PASSKEY: &str = "passkey";
/// A security key that did not verify its user: something she has, nothing more.
pub const SECURITY_KEY: &str = "security_key";

/// How strongly a set of methods proves who signed in (`context.assuranceLevel`): 0 nothing;
/// 1 one factor; 2 two factors (a password and a code); 3 two factors of which one resists
/// phishing (a user-verifying passkey, or a security key beside a password or code).
/// `context.mfa` is a level of 2 or more.
pub fn assurance<S: AsRef<str>>(methods: &[S]) -> u8 {
    let has = |m: &str| methods.iter().any(|x| x.as_ref() == m);
    let codes = [EMAIL_CODE, TOTP, RECOVERY_CODE].into_iter().any(has);
    let password = has(PASSWORD);
    if has(PASSKEY) || (has(SECURITY_KEY) && (password || codes)) {
        3
    } else if password && codes {
        2
    } else if methods.is_empty() {
        0
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_add_up_as_documented() {
        let none: [&str; 0] = [];
        for (methods, level) in [
            (&none[..], 0),
            (&[PASSWORD][..], 1),
            (&[EMAIL_CODE][..], 1),
            (&[SECURITY_KEY][..], 1),
            (&[PASSWORD, EMAIL_CODE][..], 2),
            (&[PASSWORD, TOTP][..], 2),
            (&[PASSWORD, RECOVERY_CODE][..], 2),
            (&[PASSKEY][..], 3),
            (&[PASSWORD, SECURITY_KEY][..], 3),
            (&["unknown"][..], 1),
        ] {
            assert_eq!(assurance(methods), level, "{methods:?}");
        }
    }
}
