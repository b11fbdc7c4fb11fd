//! `crossquote serve`: the core behind an HTTP JSON API (axum on tokio).
//!
//! Every handler reads its body as bytes and decodes it with [`crossquote::from_json`], so
//! a bad document is a 400 naming the field, line and column. Around the handlers: a body
//! size limit (413), a per-request timeout that covers reading the body (408), a limit on
//! requests in flight (503 when full), and a panic guard (500); every error, theirs too,
//! has the one JSON error body with its reason. See
//! `schemas/openapi.json` for the document served at `/v1/openapi.json`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use crossquote::error::{FieldError, InputError};
use crossquote::profile::Profile;
use crossquote::reply::Templates;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::request::{Failure, QuoteRequest};

/// The OpenAPI document of this API.
pub const OPENAPI: &str = include_str!("../../../schemas/openapi.json");

/// Settings of the server.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Address to listen on.
    pub addr: SocketAddr,
    /// Largest request body, bytes.
    pub max_body: usize,
    /// Time allowed for one request, body included.
    pub timeout: Duration,
    /// Requests handled at once; more wait, and are refused with 503 when the queue is
    /// full as well.
    pub concurrency: usize,
    /// Most requests in one `/v1/quotes` batch.
    pub max_batch: usize,
}

struct App {
    profile: Profile,
    profile_json: String,
    templates: Templates,
    max_batch: usize,
    /// A sheet's stream has this long in all, as a request has.
    timeout: Duration,
}

/// The longest a sheet's stream waits for a client that reads nothing (or the timeout,
/// when shorter) before it gives up.
const STALL: Duration = Duration::from_secs(5);

/// The error body: `{"error": {"kind", "message", "problems"?, "line"?, "column"?}}`.
#[derive(Debug, Serialize)]
struct ApiError {
    #[serde(skip)]
    status: StatusCode,
    kind: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    problems: Vec<Problem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
}

#[derive(Debug, Serialize)]
struct Problem {
    field: String,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            kind,
            message: message.into(),
            problems: Vec::new(),
            line: None,
            column: None,
        }
    }

    fn json(e: &InputError) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            kind: "bad_json",
            message: e.to_string(),
            problems: vec![Problem { field: e.path.clone(), message: e.message.clone() }],
            line: Some(e.line),
            column: Some(e.column),
        }
    }

    fn invalid(message: String, problems: &[FieldError]) -> ApiError {
        ApiError {
            problems: problems
                .iter()
                .map(|p| Problem { field: p.field.clone(), message: p.problem.to_string() })
                .collect(),
            ..ApiError::new(StatusCode::BAD_REQUEST, "invalid", message)
        }
    }

    fn body(&self) -> Value {
        serde_json::json!({ "error": self })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body())).into_response()
    }
}

fn text(body: &Bytes) -> Result<&str, ApiError> {
    std::str::from_utf8(body)
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "bad_json", "the body is not UTF-8"))
}

/// A quote document of any kind (`crate::request`), quoted on the profile.
fn quote_value(app: &App, doc: &str) -> Result<Value, ApiError> {
    let req = QuoteRequest::from_json(doc).map_err(|e| ApiError::json(&e))?;
    let out = crate::request::quote(&req, &app.profile).map_err(|e| match e {
        Failure::Invalid { message, problems } => ApiError::invalid(message, &problems),
        Failure::Unanswerable { kind, message } => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, kind, message)
        }
    })?;
    serde_json::to_value(out)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))
}

async fn quote(State(app): State<Arc<App>>, body: Bytes) -> Response {
    match text(&body).and_then(|t| quote_value(&app, t)) {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Batch {
    requests: Vec<Box<serde_json::value::RawValue>>,
}

/// `{"requests": [...]}` → `{"results": [{"quote": …} | {"error": …}]}`, in order; one
/// bad request does not spoil the others.
async fn quotes(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let batch = match text(&body)
        .and_then(|t| crossquote::from_json::<Batch>(t).map_err(|e| ApiError::json(&e)))
    {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    if batch.requests.len() > app.max_batch {
        let msg =
            format!("{} requests; a batch takes at most {}", batch.requests.len(), app.max_batch);
        return ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", msg).into_response();
    }
    let results: Vec<Value> = batch
        .requests
        .iter()
        .map(|r| match quote_value(&app, r.get()) {
            Ok(q) => serde_json::json!({ "quote": q }),
            Err(e) => e.body(),
        })
        .collect();
    axum::Json(serde_json::json!({ "results": results })).into_response()
}

async fn reply(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let doc = match text(&body)
        .and_then(|t| crate::request::ReplyDoc::from_json(t).map_err(|e| ApiError::json(&e)))
    {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let req = match doc.request(&app.profile) {
        Ok(r) => r,
        Err(Failure::Invalid { message, problems }) => {
            return ApiError::invalid(message, &problems).into_response()
        }
        Err(Failure::Unanswerable { kind, message }) => {
            return ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, kind, message).into_response()
        }
    };
    match crossquote::reply::write(&req, &app.templates, &app.profile) {
        Ok(out) => axum::Json(out).into_response(),
        Err(crossquote::reply::ReplyError::Fields(list)) => {
            ApiError::invalid(list.to_string(), &list.0).into_response()
        }
        Err(e) => ApiError::new(StatusCode::BAD_REQUEST, "invalid", e.to_string()).into_response(),
    }
}

/// A wholesale order → its proforma invoice in the buyer's document language: the
/// document's words and numbers as printed (`crossquote::document::ProformaDocument`),
/// with its plain-text rendering under `text`.
async fn proforma(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let order = match text(&body).and_then(|t| {
        crossquote::from_json::<crossquote::order::WholesaleOrder>(t)
            .map_err(|e| ApiError::json(&e))
    }) {
        Ok(o) => o,
        Err(e) => return e.into_response(),
    };
    match crate::request::proforma(&order, &app.profile, &app.templates) {
        Ok(answer) => axum::Json(answer).into_response(),
        Err(Failure::Invalid { message, problems }) => {
            ApiError::invalid(message, &problems).into_response()
        }
        Err(Failure::Unanswerable { kind, message }) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, kind, message).into_response()
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SheetRequest {
    spec: crossquote::sheet::SheetSpec,
    /// The catalog CSV, header first.
    catalog: String,
    /// `sheet` (the default) or `rejected`: the rejected rows of the same request.
    #[serde(default)]
    part: SheetPart,
}

#[derive(Deserialize, Default, PartialEq, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum SheetPart {
    #[default]
    Sheet,
    Rejected,
}

/// The price sheet as CSV, streamed as it is priced. Which rows are rejected is known only
/// at the end, after the headers have gone, so a client posts the same request with
/// `"part": "rejected"` to get those rows.
async fn sheet(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let req: SheetRequest =
        match text(&body).and_then(|t| crossquote::from_json(t).map_err(|e| ApiError::json(&e))) {
            Ok(r) => r,
            Err(e) => return e.into_response(),
        };
    let plan = match crossquote::sheet::Plan::new(&app.profile, &req.spec) {
        Ok(p) => p,
        Err(problems) => {
            let msg = format!("the sheet spec has {} problems", problems.len());
            return ApiError::invalid(msg, &problems).into_response();
        }
    };
    // What `run` would refuse before its first line is refused here, before the headers:
    // once they have gone, an error can only cut the stream short.
    if let Err(e) = crate::sheet::header(&mut req.catalog.as_bytes()) {
        let message = format!("{e:#}");
        let problems = vec![Problem { field: "catalog".into(), message: message.clone() }];
        return ApiError { problems, ..ApiError::new(StatusCode::BAD_REQUEST, "invalid", message) }
            .into_response();
    }
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let part = req.part;
    let pace = Pace {
        handle: tokio::runtime::Handle::current(),
        deadline: std::time::Instant::now().checked_add(app.timeout),
        stall: STALL.min(app.timeout),
    };
    let finished = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let done = Arc::clone(&finished);
    tokio::task::spawn_blocking(move || {
        let pace = Arc::new(pace);
        let mut rejected = RejectedSink { tx: tx.clone(), part, pace: Arc::clone(&pace) };
        let mut sink = ChannelSink { tx, part, pace };
        let input: Box<dyn std::io::Read + Send> =
            Box::new(std::io::Cursor::new(req.catalog.into_bytes()));
        match crate::sheet::run(&plan, input, &mut sink, &mut rejected, 1) {
            Ok(_) => done.store(true, std::sync::atomic::Ordering::Release),
            Err(e) => {
                use std::io::Write as _;
                let _ = writeln!(std::io::stderr(), "crossquote: a sheet's stream stopped: {e:#}");
            }
        }
    });
    // The channel ends when the pricing does; unless it finished, the stream then ends with
    // an error, so that a sheet cut short (timeout, stall) is never taken for a whole one.
    let tail = std::iter::once_with(move || {
        (!finished.load(std::sync::atomic::Ordering::Acquire))
            .then(|| Err(std::io::Error::other("the sheet stopped before its end")))
    })
    .flatten();
    use tokio_stream::StreamExt as _;
    let stream = tokio_stream::wrappers::ReceiverStream::new(rx).chain(tokio_stream::iter(tail));
    Response::builder()
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .body(Body::from_stream(stream))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// How long a sheet's stream may take: in all, and waiting for the client to read.
struct Pace {
    handle: tokio::runtime::Handle,
    /// None for a timeout past what a clock can say.
    deadline: Option<std::time::Instant>,
    stall: Duration,
}

impl Pace {
    /// Whether the sheet is still within its time.
    fn check(&self) -> Result<()> {
        if self.deadline.is_some_and(|d| std::time::Instant::now() >= d) {
            anyhow::bail!("the sheet took longer than the timeout");
        }
        Ok(())
    }

    /// Sends `bytes` to the client's stream, waiting at most the stall limit (or what is
    /// left of the timeout).
    fn send(
        &self,
        tx: &tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
        bytes: &[u8],
    ) -> Result<()> {
        use tokio::sync::mpsc::error::SendTimeoutError;
        let now = std::time::Instant::now();
        let left = self.deadline.map_or(Duration::MAX, |d| d.saturating_duration_since(now));
        let wait = left.min(self.stall);
        let chunk = Ok(Bytes::copy_from_slice(bytes));
        match self.handle.block_on(tx.send_timeout(chunk, wait)) {
            Ok(()) => Ok(()),
            Err(SendTimeoutError::Closed(_)) => anyhow::bail!("the client went away"),
            Err(SendTimeoutError::Timeout(_)) if wait < left => {
                anyhow::bail!("the client read nothing for {} s", wait.as_secs_f32())
            }
            Err(SendTimeoutError::Timeout(_)) => {
                anyhow::bail!("the sheet took longer than the timeout")
            }
        }
    }
}

struct ChannelSink {
    tx: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
    part: SheetPart,
    pace: Arc<Pace>,
}

impl crate::sheet::Sink for ChannelSink {
    fn wants_csv(&self) -> bool {
        true
    }
    fn csv(&mut self, bytes: &[u8]) -> Result<()> {
        self.pace.check()?;
        if self.part == SheetPart::Sheet {
            self.pace.send(&self.tx, bytes)?;
        }
        Ok(())
    }
    fn lines(&mut self, _: Vec<crate::sheet::OwnedLine>) -> Result<()> {
        Ok(())
    }
}

struct RejectedSink {
    tx: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
    part: SheetPart,
    pace: Arc<Pace>,
}

impl std::io::Write for RejectedSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.part == SheetPart::Rejected && !buf.is_empty() {
            self.pace.send(&self.tx, buf).map_err(|e| std::io::Error::other(e.to_string()))?;
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn get_profile(State(app): State<Arc<App>>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], app.profile_json.clone()).into_response()
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint: see /v1/openapi.json")
}

/// Gives every error that is not already the API's JSON body (the middleware's timeout,
/// body limit, overload and panic guard, the router's 405, an extractor's plain-text 400
/// for a body it could not read) the API's error body, with the reason. A handler's own
/// JSON errors pass as they are.
async fn error_body(res: Response, max_body: usize) -> Response {
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|c| c.as_bytes().starts_with(b"application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let allow = res.headers().get(header::ALLOW).cloned();
    let text = axum::body::to_bytes(res.into_body(), 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let said = |fallback: String| if text.is_empty() { fallback } else { text.clone() };
    let (kind, message) = match status {
        StatusCode::REQUEST_TIMEOUT => ("timeout", "the request took too long".to_owned()),
        StatusCode::PAYLOAD_TOO_LARGE => {
            ("too_large", format!("the body is too large: the limit is {max_body} bytes"))
        }
        StatusCode::SERVICE_UNAVAILABLE => ("busy", "too many requests at once".to_owned()),
        StatusCode::METHOD_NOT_ALLOWED => {
            ("method_not_allowed", "this endpoint does not take this method".to_owned())
        }
        // The panic's text stays in the server's log.
        StatusCode::INTERNAL_SERVER_ERROR => {
            ("internal", "an internal error; the server goes on".to_owned())
        }
        StatusCode::BAD_REQUEST => {
            ("bad_body", said("the request body could not be read".to_owned()))
        }
        _ => ("error", said(status.canonical_reason().unwrap_or("error").to_owned())),
    };
    let mut res = ApiError::new(status, kind, message).into_response();
    if let Some(allow) = allow {
        res.headers_mut().insert(header::ALLOW, allow);
    }
    res
}

/// The limit on requests in flight: a request takes a place or is refused with 503 at
/// once. An answer whose body is in memory gives it back when it is sent; a streamed one
/// (the sheet) keeps it until its stream ends or is dropped (the client went away).
async fn in_flight(
    State(slots): State<Arc<tokio::sync::Semaphore>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use axum::body::HttpBody as _;
    use tokio_stream::StreamExt as _;
    let Ok(place) = slots.try_acquire_owned() else {
        return ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "busy", "too many requests at once")
            .into_response();
    };
    let res = next.run(req).await;
    if res.body().size_hint().exact().is_some() {
        return res;
    }
    let (parts, body) = res.into_parts();
    let stream = body.into_data_stream().map(move |chunk| {
        let _held = &place;
        chunk
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

/// A route that answers any other method with a 405 naming the one it takes.
fn takes(method: &'static str, route: MethodRouter<Arc<App>>) -> MethodRouter<Arc<App>> {
    route.fallback(move || async move {
        let message = format!("this endpoint takes {method}");
        ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", message)
    })
}

/// The router with its layers, for a server or a test.
pub fn router(profile: Profile, settings: &Settings) -> Result<Router> {
    let templates = profile.templates().map_err(|e| {
        let list: Vec<String> = e.iter().map(ToString::to_string).collect();
        anyhow::anyhow!("reply templates: {}", list.join("; "))
    })?;
    let profile_json = serde_json::to_string_pretty(&profile)?;
    let app = Arc::new(App {
        profile,
        profile_json,
        templates,
        max_batch: settings.max_batch,
        timeout: settings.timeout,
    });
    let max_body = settings.max_body;
    // Innermost first: the body limit and timeout per request, then the shared limit on
    // requests in flight (refused at once when full; a streamed answer holds its place
    // until its stream ends), the panic guard, and the error body.
    let slots = Arc::new(tokio::sync::Semaphore::new(settings.concurrency));
    let overload = axum::middleware::from_fn_with_state(slots, in_flight);
    Ok(Router::new()
        .route("/v1/quote", takes("POST", post(quote)))
        .route("/v1/quotes", takes("POST", post(quotes)))
        .route("/v1/reply", takes("POST", post(reply)))
        .route("/v1/proforma", takes("POST", post(proforma)))
        .route("/v1/sheet", takes("POST", post(sheet)))
        .route("/v1/profile", takes("GET", get(get_profile)))
        .route("/v1/openapi.json", takes("GET", get(openapi)))
        .route("/healthz", takes("GET", get(healthz)))
        .fallback(not_found)
        .with_state(app)
        .layer(DefaultBodyLimit::max(settings.max_body))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            settings.timeout,
        ))
        .layer(overload)
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(axum::middleware::map_response(move |res| error_body(res, max_body))))
}

/// Serves until interrupted (Ctrl-C or SIGTERM), then finishes the requests in flight. A
/// connection that has not sent a whole request head within the timeout, a new one or
/// one kept alive and idle, is closed.
pub fn serve(profile: Profile, settings: &Settings) -> Result<()> {
    let app = router(profile, settings)?;
    let head_timeout = settings.timeout;
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(settings.addr)
            .await
            .with_context(|| format!("cannot listen on {}", settings.addr))?;
        eprintln!("crossquote: listening on http://{}", listener.local_addr()?);
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(());
        let mut connections = tokio::task::JoinSet::new();
        let mut stopping = std::pin::pin!(shutdown());
        loop {
            let tcp = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((tcp, _)) => tcp,
                    Err(_) => {
                        // Out of file descriptors, or the peer gone before it was
                        // accepted: wait a moment and go on.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
                () = &mut stopping => break,
            };
            let app = app.clone();
            let mut stop = stop_rx.clone();
            connections.spawn(async move {
                let service = hyper::service::service_fn(
                    move |req: hyper::Request<hyper::body::Incoming>| {
                        tower::ServiceExt::oneshot(app.clone(), req.map(Body::new))
                    },
                );
                let mut builder = hyper::server::conn::http1::Builder::new();
                builder.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(head_timeout);
                let conn = builder.serve_connection(hyper_util::rt::TokioIo::new(tcp), service);
                let mut conn = std::pin::pin!(conn);
                loop {
                    tokio::select! {
                        _ = conn.as_mut() => break,
                        changed = stop.changed() => {
                            conn.as_mut().graceful_shutdown();
                            if changed.is_err() {
                                let _ = conn.as_mut().await;
                                break;
                            }
                        }
                    }
                }
            });
            while connections.try_join_next().is_some() {}
        }
        drop(listener);
        drop(stop_tx);
        while connections.join_next().await.is_some() {}
        Ok(())
    })
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
