//! The built console at `/console/`: its files, `index.html` for the app's own routes, and a
//! page that says how to build it when `console_dir` holds no build.

use lanyard_tests::TestApp;

fn fake_build(dir: &std::path::Path) {
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>console</title><script type=\"module\" src=\"/console/assets/app.js\"></script>",
    )
    .unwrap();
    std::fs::write(dir.join("assets/app.js"), "console.log('lanyard')").unwrap();
}

#[tokio::test]
async fn serves_the_build_with_index_html_for_app_routes() {
    let build = tempfile::tempdir().unwrap();
    fake_build(build.path());
    let dir = build.path().to_path_buf();
    let app = TestApp::spawn_with(|config| config.console_dir = dir).await;

    for path in ["/console/", "/console", "/console/instances/x/users"] {
        let response = app
            .http
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap();
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("<title>console</title>"),
            "{path}"
        );
    }

    let script = app
        .http
        .get(format!("{}/console/assets/app.js", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(script.status(), 200);
    assert!(script.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));
    assert_eq!(script.text().await.unwrap(), "console.log('lanyard')");

    // Nothing outside the build directory.
    let escape = app
        .http
        .get(format!("{}/console/..%2f..%2fetc%2fpasswd", app.base))
        .send()
        .await
        .unwrap();
    assert!(!escape.text().await.unwrap().contains("root:"));
}

#[tokio::test]
async fn says_how_to_build_the_console_when_it_is_missing() {
    let empty = tempfile::tempdir().unwrap();
    let dir = empty.path().join("dist");
    let app = TestApp::spawn_with(|config| config.console_dir = dir).await;
    let response = app
        .http
        .get(format!("{}/console/users", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    assert!(body.contains("console is not built"), "{body}");
    assert!(body.contains("make run"), "{body}");
}
