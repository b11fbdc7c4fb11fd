//! Any body to any POST endpoint of the API router: a response that is not a 500 (the
//! panic guard's answer, so a 500 here is a caught panic).
#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use crossquote_cli::serve::{router, Settings};
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

const PATHS: [&str; 4] = ["/v1/quote", "/v1/quotes", "/v1/reply", "/v1/sheet"];

fn app() -> &'static (tokio::runtime::Runtime, axum::Router) {
    static APP: OnceLock<(tokio::runtime::Runtime, axum::Router)> = OnceLock::new();
    APP.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        let profile =
            crossquote::profile::load(crossquote::defaults::DEFAULT_PROFILE_JSON).unwrap();
        let settings = Settings {
            addr: "127.0.0.1:0".parse().unwrap(),
            max_body: 1 << 20,
            timeout: Duration::from_secs(10),
            concurrency: 4,
            max_batch: 100,
        };
        let r = router(profile, &settings).unwrap();
        (rt, r)
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else { return };
    let path = PATHS[usize::from(which) % PATHS.len()];
    let (rt, router) = app();
    let req = Request::post(path)
        .header("content-type", "application/json")
        .body(Body::from(body.to_vec()))
        .unwrap();
    rt.block_on(async {
        let res = router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await;
        assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "{:?}", bytes);
    });
});
