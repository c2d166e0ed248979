//! The IdP's URLs for one application. Each application is its own IdP entity, as in IDaaS:
//! service providers trust exactly the application they were configured for.

/// The IdP entity ID of an application.
pub fn entity_id(public_url: &str, application_id: &str) -> String {
    format!("{public_url}/saml/apps/{application_id}")
}

/// Where service providers send AuthnRequests (HTTP-Redirect and HTTP-POST).
pub fn sso_url(public_url: &str, application_id: &str) -> String {
    format!("{public_url}/saml/apps/{application_id}/sso")
}

/// Where service providers send LogoutRequests and LogoutResponses (both bindings).
pub fn slo_url(public_url: &str, application_id: &str) -> String {
    format!("{public_url}/saml/apps/{application_id}/slo")
}

/// The public download of the application's IdP metadata.
pub fn metadata_url(public_url: &str, application_id: &str) -> String {
    format!("{public_url}/saml/apps/{application_id}/metadata")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_hang_off_the_public_url() {
        let base = "https://id.example.com";
        assert_eq!(entity_id(base, "a1"), "https://id.example.com/saml/apps/a1");
        assert_eq!(
            sso_url(base, "a1"),
            "https://id.example.com/saml/apps/a1/sso"
        );
        assert_eq!(
            slo_url(base, "a1"),
            "https://id.example.com/saml/apps/a1/slo"
        );
        assert_eq!(
            metadata_url(base, "a1"),
            "https://id.example.com/saml/apps/a1/metadata"
        );
    }
}
