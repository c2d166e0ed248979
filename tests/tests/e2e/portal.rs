//! The employee portal and her account page, through the real routes: tiles for exactly the
//! applications she may open, recently used first, a search; her sessions with "Sign out other
//! sessions"; changing her password (the current one checked, the rules shown at the field,
//! other sessions ended).

use lanyard_tests::saml::{browser, hidden, location, sign_in, tenant, PASSWORD};
use lanyard_tests::TestApp;
use serde_json::json;

async fn page(browser: &reqwest::Client, url: &str) -> (u16, String) {
    let response = browser.get(url).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// The application names of a tile list with this label, in order.
fn tiles(html: &str, label: &str) -> Vec<String> {
    let Some(start) = html.find(&format!("<ul class=\"tiles\" aria-label=\"{label}\">")) else {
        return Vec::new();
    };
    let list = &html[start..start + html[start..].find("</ul>").unwrap()];
    regex::Regex::new("<span>([^<]*)</span></a>")
        .unwrap()
        .captures_iter(list)
        .map(|c| c[1].to_owned())
        .collect()
}

#[tokio::test]
async fn the_portal_shows_recent_applications_first_and_searches() {
    let app = TestApp::spawn().await;
    let t = tenant(&app).await;
    let mut ids = vec![t.app.clone()];
    for name in ["Zeta Wiki", "Billing"] {
        let added = app
            .gql(
                "mutation($i: ID!, $n: String!) { addApplication(input: {instanceId: $i, templateId: \"alibaba-cloud-user-sso-intl\", name: $n, params: {accountId: \"5123456789012345\"}}) { application { id } } }",
                json!({ "i": t.instance, "n": name }),
            )
            .await;
        let id = added["addApplication"]["application"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        lanyard_tests::saml::set_scope(&app, &id, "ALL_MEMBERS").await;
        ids.push(id);
    }
    let portal = format!("{}/sso/{}/portal", app.base, t.instance);
    let alice = browser();
    let to_login = alice.get(&portal).send().await.unwrap();
    let login = location(&to_login).replacen("http://127.0.0.1", &app.base, 1);
    assert_eq!(
        sign_in(&app.base, &alice, &login, "alice", PASSWORD)
            .await
            .status(),
        303
    );

    let (status, html) = page(&alice, &portal).await;
    assert_eq!(status, 200);
    assert!(html.contains("<strong>alice</strong>"), "{html}");
    assert!(html.contains(&format!("href=\"/sso/{}/account\"", t.instance)));
    assert_eq!(
        tiles(&html, "All applications"),
        ["Alibaba Cloud", "Billing", "Zeta Wiki"]
    );
    assert!(tiles(&html, "Recently used").is_empty());

    // Zeta Wiki, then Alibaba Cloud: the most recent first.
    for id in [&ids[1], &ids[0]] {
        let sso = alice
            .get(format!("{}/saml/apps/{id}/start", app.base))
            .send()
            .await
            .unwrap();
        assert!(hidden(&sso.text().await.unwrap(), "SAMLResponse").is_some());
    }
    let (_, html) = page(&alice, &portal).await;
    assert_eq!(
        tiles(&html, "Recently used"),
        ["Alibaba Cloud", "Zeta Wiki"]
    );
    assert_eq!(tiles(&html, "All applications").len(), 3);

    // Search by name, any case; what is typed comes back escaped.
    let (_, html) = page(&alice, &format!("{portal}?q=WIKI")).await;
    assert_eq!(tiles(&html, "Matching applications"), ["Zeta Wiki"]);
    assert!(tiles(&html, "Recently used").is_empty());
    let (status, html) = page(&alice, &format!("{portal}?q=%3Cscript%3Ex")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("No application matches “&lt;script&gt;x”"),
        "{html}"
    );
    assert!(!html.contains("<script>"));
    let long = "a".repeat(5000);
    let (status, _) = page(&alice, &format!("{portal}?q={long}")).await;
    assert_eq!(status, 200);
    app.stop().await;
}

#[tokio::test]
async fn the_account_page_signs_out_other_sessions_and_changes_the_password() {
    let app = TestApp::spawn().await;
    let t = tenant(&app).await;
    let account = format!("{}/sso/{}/account", app.base, t.instance);
    let login = format!("{}/sso/{}/login", app.base, t.instance);
    // Without a session: to sign in, and back here.
    let anonymous = browser().get(&account).send().await.unwrap();
    assert_eq!(anonymous.status(), 303);
    assert!(location(&anonymous).ends_with("/login?continue=account"));

    let (here, elsewhere) = (browser(), browser());
    for b in [&here, &elsewhere] {
        assert_eq!(
            sign_in(&app.base, b, &login, "alice", PASSWORD)
                .await
                .status(),
            303
        );
    }
    let (status, html) = page(&here, &account).await;
    assert_eq!(status, 200);
    assert_eq!(html.matches("<tr><td>").count(), 2, "{html}");
    assert_eq!(html.matches("(this browser)").count(), 1);
    let csrf = hidden(&html, "csrf").unwrap();

    // Without the form's token nothing happens.
    let forged = here
        .post(format!("{account}/sessions"))
        .form(&[("csrf", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let portal = format!("{}/sso/{}/portal", app.base, t.instance);
    assert_eq!(page(&elsewhere, &portal).await.0, 200);
    // Sign out other sessions: the other browser is signed out, this one is not.
    let done = here
        .post(format!("{account}/sessions"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    let html = done.text().await.unwrap();
    assert!(html.contains("Signed out of 1 other session."), "{html}");
    assert_eq!(html.matches("<tr><td>").count(), 1);
    assert_eq!(page(&elsewhere, &portal).await.0, 303);
    assert_eq!(page(&here, &portal).await.0, 200);

    // The password: the current one must be right, the new one must follow the rules.
    let change = |current: &str, new: &str| {
        let form = [
            ("csrf", csrf.clone()),
            ("currentPassword", current.to_owned()),
            ("newPassword", new.to_owned()),
        ];
        let request = here.post(format!("{account}/password")).form(&form);
        async move {
            let response = request.send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    let (status, html) = change("not it", "a brand new passphrase").await;
    assert_eq!(status, 400);
    assert!(
        html.contains("the current password is not correct"),
        "{html}"
    );
    assert!(html.contains("id=\"current\" type=\"password\" name=\"currentPassword\" autocomplete=\"current-password\" required aria-invalid=\"true\""));
    let (status, html) = change(PASSWORD, "short").await;
    assert_eq!(status, 400);
    assert!(html.contains("the password must have at least"), "{html}");
    // A second browser again, to see it signed out by the change.
    let other = browser();
    assert_eq!(
        sign_in(&app.base, &other, &login, "alice", PASSWORD)
            .await
            .status(),
        303
    );
    let (status, html) = change(PASSWORD, "a brand new passphrase").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Your password is changed."));
    assert_eq!(page(&other, &portal).await.0, 303);
    assert_eq!(page(&here, &portal).await.0, 200);
    let fresh = browser();
    assert_eq!(
        sign_in(&app.base, &fresh, &login, "alice", PASSWORD)
            .await
            .status(),
        401
    );
    assert_eq!(
        sign_in(&app.base, &fresh, &login, "alice", "a brand new passphrase")
            .await
            .status(),
        303
    );
    // Audited with alice as the actor.
    let audit = app
        .gql(
            "query($i: ID!) { auditEvents(instanceId: $i, first: 50, filter: {action: \"changePassword\"}) { nodes { actor { name } summary } } }",
            json!({ "i": t.instance }),
        )
        .await;
    assert_eq!(audit["auditEvents"]["nodes"][0]["actor"]["name"], "alice");
    app.stop().await;
}
