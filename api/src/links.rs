//! The public URLs of the pages employees reach from an email or a redirect. A leaf: emails
//! (`mail`), recovery and the sign-in pages build the same links from here.

/// The sign-in page of an instance, as a path.
pub fn login_path(instance_id: &str) -> String {
    format!("/sso/{instance_id}/login")
}

/// "Forgot your password?" of an instance.
pub fn forgot_url(public_url: &str, instance_id: &str) -> String {
    format!("{public_url}/i/{instance_id}/password/forgot")
}

/// The link of an invitation or reset email, carrying the link's token.
pub fn set_password_url(public_url: &str, instance_id: &str, token: &str) -> String {
    format!("{public_url}/i/{instance_id}/password/set?token={token}")
}

/// An employee's account page (her sessions, password and second factors).
pub fn account_url(public_url: &str, instance_id: &str) -> String {
    format!("{public_url}/sso/{instance_id}/account")
}
