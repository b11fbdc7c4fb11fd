//! `crossquote serve` on a loopback port: every endpoint, each error class, an oversized
//! body, a slow client and a full server, over plain HTTP/1.1 from a TCP socket.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn server(extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_crossquote"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(extra)
        .current_dir(ROOT)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.trim().rsplit("http://").next().unwrap().to_owned();
    assert!(addr.starts_with("127.0.0.1:"), "{line}");
    Server { child, addr }
}

struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.text()))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn read_reply(stream: TcpStream) -> Reply {
    let mut r = BufReader::new(stream);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        if line == "\r\n" || line.is_empty() {
            break;
        }
        head.push_str(&line);
    }
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let lower = head.to_ascii_lowercase();
    let mut body = Vec::new();
    if lower.contains("transfer-encoding: chunked") {
        loop {
            let mut size = String::new();
            r.read_line(&mut size).unwrap();
            let n = usize::from_str_radix(size.trim(), 16).unwrap();
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk).unwrap();
            body.extend_from_slice(&chunk[..n]);
            if n == 0 {
                break;
            }
        }
    } else if let Some(len) = lower.lines().find_map(|l| l.strip_prefix("content-length: ")) {
        body.resize(len.trim().parse().unwrap(), 0);
        r.read_exact(&mut body).unwrap();
    } else {
        r.read_to_end(&mut body).unwrap();
    }
    Reply { status, head, body }
}

fn call(addr: &str, method: &str, path: &str, body: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    s.write_all(body).unwrap();
    read_reply(s)
}

fn example(name: &str) -> Vec<u8> {
    std::fs::read(format!("{ROOT}/schemas/examples/{name}")).unwrap()
}

fn cli(args: &[&str], stdin: &[u8]) -> Vec<u8> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_crossquote"))
        .args(args)
        .current_dir(ROOT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap().stdout
}

#[test]
fn every_endpoint_answers_as_the_cli_does() {
    let s = server(&[]);
    let a = s.addr.as_str();

    let r = call(a, "GET", "/healthz", b"");
    assert_eq!((r.status, r.text().as_str()), (200, "ok\n"));

    // The same request through the CLI and the API gives the same quote.
    for name in ["quote-b2c.json", "quote-b2b.json"] {
        let r = call(a, "POST", "/v1/quote", &example(name));
        assert_eq!(r.status, 200, "{name}: {}", r.text());
        let from_cli: serde_json::Value =
            serde_json::from_slice(&cli(&["quote"], &example(name))).unwrap();
        assert_eq!(r.json(), from_cli, "{name}");
    }
    // 113.28 / 7.085 / 0.895 = 17.8645 -> 17.87 USD FOB (see the CLI's test).
    let b2b = call(a, "POST", "/v1/quote", &example("quote-b2b.json")).json();
    assert_eq!(b2b["unit_price"]["amount"], "17.87");

    let r = call(a, "POST", "/v1/quotes", &example("quotes.json"));
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert!(results[0]["quote"]["sale_price"]["amount"].is_string(), "{v}");
    assert_eq!(results[1]["error"]["kind"], "invalid");
    assert_eq!(results[1]["error"]["problems"][0]["field"], "costs.purchase");

    let r = call(a, "POST", "/v1/reply", &example("reply.json"));
    assert_eq!(r.status, 200, "{}", r.text());
    let text = r.json()["reply"]["text"].as_str().unwrap().to_owned();
    assert!(text.starts_with("Здравствуйте, Ольга! При заказе от 3 шт."), "{text}");

    // A reply from an order: the order's country and numbers, the same as `crossquote reply`
    // writes for the same document, and the scenario the core drafts.
    let r = call(a, "POST", "/v1/reply", &example("reply-order.json"));
    assert_eq!(r.status, 200, "{}", r.text());
    let api = r.json()["reply"]["text"].as_str().unwrap().to_owned();
    let cli_text = cli(&["reply", "--json", "schemas/examples/reply-order.json"], b"");
    let cli_json: serde_json::Value = serde_json::from_slice(&cli_text).unwrap();
    assert_eq!(cli_json["reply"]["text"].as_str().unwrap(), api);
    let doc: crossquote::order::reply::OrderReplyRequest =
        serde_json::from_slice(&example("reply-order.json")).unwrap();
    let profile = crossquote::defaults::default_profile().unwrap();
    let (req, _) = doc.request(&profile).unwrap();
    assert_eq!(req.country, "BR");
    let crossquote::reply::Scenario::BargainQuantity { unit_price, .. } = req.scenario else {
        panic!("not a bargain")
    };
    let shown = profile.market("BR").unwrap().format_money(unit_price.amount);
    assert!(api.contains(&shown) && api.contains("5%"), "{shown} in {api}");
    // A discount past the order's floor is refused at its path, with the most it allows.
    let mut past: serde_json::Value = serde_json::from_slice(&example("reply-order.json")).unwrap();
    past["ask"]["discount"] = "60".into();
    let r = call(a, "POST", "/v1/reply", past.to_string().as_bytes());
    assert_eq!(r.status, 400, "{}", r.text());
    let v = r.json();
    assert_eq!(v["error"]["problems"][0]["field"], "reply.discount", "{v}");
    assert!(
        v["error"]["problems"][0]["message"].as_str().unwrap().contains("the most it allows is"),
        "{v}"
    );

    // The sheet streams the same CSV as `crossquote sheet`; part=rejected its rejected rows.
    let req: serde_json::Value = serde_json::from_slice(&example("sheet.json")).unwrap();
    let catalog = req["catalog"].as_str().unwrap().as_bytes().to_vec();
    let dir = tempfile::tempdir().unwrap();
    let rejected = dir.path().join("r.csv");
    let spec = "schemas/examples/sheet-spec.json";
    let rej = rejected.to_str().unwrap();
    let want = cli(&["sheet", "-", "--spec", spec, "--rejected", rej], &catalog);
    let r = call(a, "POST", "/v1/sheet", &example("sheet.json"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.head.to_ascii_lowercase().contains("content-type: text/csv"), "{}", r.head);
    assert_eq!(r.text(), String::from_utf8(want).unwrap());
    let mut req_rej = req.clone();
    req_rej["part"] = "rejected".into();
    let r = call(a, "POST", "/v1/sheet", req_rej.to_string().as_bytes());
    assert_eq!(r.text(), std::fs::read_to_string(&rejected).unwrap());
    assert!(r.text().lines().count() > 1, "the example has rejected lines: {}", r.text());

    let r = call(a, "GET", "/v1/profile", b"");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["seller_currency"], "CNY");

    let r = call(a, "GET", "/v1/openapi.json", b"");
    let doc = r.json();
    for path in ["/v1/quote", "/v1/quotes", "/v1/reply", "/v1/sheet", "/v1/profile", "/healthz"] {
        assert!(doc["paths"][path].is_object(), "{path} not in the OpenAPI document");
    }
}

#[test]
fn each_error_class_has_a_typed_body() {
    let s = server(&[]);
    let a = s.addr.as_str();
    let r = call(a, "POST", "/v1/quote", b"{\"seller_currency\": \"CNY\",\n \"quote_currency\": }");
    assert_eq!(r.status, 400);
    let e = &r.json()["error"];
    assert_eq!((e["kind"].as_str(), e["line"].as_u64()), (Some("bad_json"), Some(2)), "{e}");

    let r = call(a, "POST", "/v1/quote", br#"{"seller_currency":"CNY","quote_currency":"XXX"}"#);
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["problems"][0]["field"], "quote_currency", "{}", r.text());

    let bad_fees = br#"{"seller_currency":"CNY","quote_currency":"CNY","costs":{"purchase":"10"},
        "fees":[{"name":"All","kind":"commission","rule":{"percent":"90"}}],
        "profit":{"basis":"margin","percent":"10"}}"#;
    let r = call(a, "POST", "/v1/quote", bad_fees);
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(r.json()["error"]["kind"], "invalid");
    assert!(r.text().contains("fees and margin take the whole price"), "{}", r.text());

    let r = call(
        a,
        "POST",
        "/v1/sheet",
        br#"{"spec":{"service":"nope","currency":"USD","tiers":[]},"catalog":""}"#,
    );
    assert_eq!(r.status, 400);
    let fields: Vec<String> = r.json()["error"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["service", "tiers"], "{}", r.text());

    let r = call(a, "POST", "/v1/nowhere", b"{}");
    assert_eq!((r.status, r.json()["error"]["kind"].as_str()), (404, Some("not_found")));
    let r = call(a, "GET", "/v1/quote", b"");
    assert_eq!(r.status, 405);
    let r = call(
        a,
        "POST",
        "/v1/reply",
        br#"{"scenario":{"kind":"shipping_free"},"country":"ZZ","buyer":{"name":"A"}}"#,
    );
    assert_eq!(r.status, 400, "{}", r.text());
}

#[test]
fn limits_an_oversized_body_a_slow_client_and_a_full_server() {
    let s = server(&["--max-body", "2048", "--timeout-secs", "1", "--concurrency", "1"]);
    let a = s.addr.as_str();
    let big = format!("{{\"requests\": [{}]}}", vec!["{}"; 2000].join(","));
    let r = call(a, "POST", "/v1/quotes", big.as_bytes());
    assert_eq!((r.status, r.json()["error"]["kind"].as_str()), (413, Some("too_large")));

    // A client that promises 100 bytes and sends 10 holds the only slot until the timeout:
    // meanwhile another request is refused (503), then the slow one gets 408.
    let mut slow = TcpStream::connect(a).unwrap();
    write!(
        slow,
        "POST /v1/quote HTTP/1.1\r\nHost: {a}\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{{\"seller_"
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let r = call(a, "GET", "/healthz", b"");
    assert_eq!((r.status, r.json()["error"]["kind"].as_str()), (503, Some("busy")));
    let r = read_reply(slow);
    assert_eq!(r.status, 408);
    assert_eq!(r.json()["error"]["kind"], "timeout");
    // The server goes on.
    assert_eq!(call(a, "GET", "/healthz", b"").status, 200);
}

/// A catalog the sheet cannot begin (empty, or a header without `weight_kg`) is a 400 with
/// the API's error body, before any byte of CSV, not a 200 stream that breaks off.
#[test]
fn a_bad_catalog_header_is_a_400_before_the_sheet() {
    let s = server(&[]);
    let spec = std::fs::read_to_string(format!("{ROOT}/schemas/examples/sheet-spec.json")).unwrap();
    let spec: serde_json::Value = serde_json::from_str(&spec).unwrap();
    for (catalog, message) in [
        ("", "the catalog is empty: it needs a header row"),
        ("\r\n\r\n", "the catalog is empty: it needs a header row"),
        (
            "sku,cost,length_cm,width_cm,height_cm\nMUG-01,12.50,12,9,9\n",
            "catalog header (row 1): no `weight_kg` column",
        ),
    ] {
        let body = serde_json::json!({ "spec": spec, "catalog": catalog }).to_string();
        let r = call(&s.addr, "POST", "/v1/sheet", body.as_bytes());
        assert_eq!(r.status, 400, "{catalog:?}: {}", r.text());
        assert!(
            r.head.to_ascii_lowercase().contains("content-type: application/json"),
            "{}",
            r.head
        );
        assert_eq!(
            r.json(),
            serde_json::json!({"error": {"kind": "invalid", "message": message,
                "problems": [{"field": "catalog", "message": message}]}}),
            "{catalog:?}"
        );
    }
}

/// A reply's discount of 100% and a minimum quantity of 0 are refused by field, not
/// written into the buyer's text.
#[test]
fn a_reply_with_an_impossible_discount_is_refused_by_field() {
    let s = server(&[]);
    let body = br#"{"scenario":{"kind":"bargain_quantity","min_quantity":0,"discount":"100",
        "unit_price":{"amount":"9.29","currency":"RUB"}},"country":"RU","channel":"im",
        "buyer":{"name":"A","greeting":"Hi"}}"#;
    let r = call(&s.addr, "POST", "/v1/reply", body);
    assert_eq!(r.status, 400, "{}", r.text());
    let e = &r.json()["error"];
    assert_eq!(e["kind"], "invalid");
    assert_eq!(
        e["problems"],
        serde_json::json!([
            {"field": "scenario.min_quantity", "message": "must be greater than zero (got 0)"},
            {"field": "scenario.discount", "message": "must be less than 100% (got 100%)"}
        ])
    );
}

/// Every error has the one JSON body with its real reason: a 405 (it was empty), a body
/// whose chunks cannot be read (a plain-text 400), and a batch over `--max-batch` (the
/// handler's "at most 1000" was overwritten with "the body is too large").
#[test]
fn every_error_has_the_json_body_with_its_reason() {
    let s = server(&[]);
    let a = s.addr.as_str();
    let r = call(a, "GET", "/v1/quote", b"");
    assert_eq!(r.status, 405);
    assert!(r.head.to_ascii_lowercase().contains("allow: post"), "{}", r.head);
    assert_eq!(
        r.json(),
        serde_json::json!({"error": {"kind": "method_not_allowed",
            "message": "this endpoint takes POST"}})
    );

    let mut bad = TcpStream::connect(a).unwrap();
    bad.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        bad,
        "POST /v1/quote HTTP/1.1\r\nHost: {a}\r\nTransfer-Encoding: chunked\r\n\
         Connection: close\r\n\r\nzz\r\n{{}}\r\n0\r\n\r\n"
    )
    .unwrap();
    let r = read_reply(bad);
    assert_eq!(r.status, 400);
    let e = &r.json()["error"];
    assert_eq!(e["kind"], "bad_body", "{e}");
    assert!(e["message"].as_str().unwrap().contains("body"), "{e}");

    let batch = format!("{{\"requests\": [{}]}}", vec!["{}"; 1001].join(","));
    let r = call(a, "POST", "/v1/quotes", batch.as_bytes());
    assert_eq!(r.status, 413);
    assert_eq!(
        r.json(),
        serde_json::json!({"error": {"kind": "too_large",
            "message": "1001 requests; a batch takes at most 1000"}})
    );
}

/// A sheet's stream keeps its place among the requests in flight until it ends (the
/// concurrency limit ended when the headers were sent, while pricing went on), and a
/// client that reads nothing gets a stream cut short, not a whole-looking sheet, within
/// the timeout; then the server is free again.
#[test]
fn a_sheet_stream_holds_its_place_and_has_a_time_limit() {
    let s = server(&["--concurrency", "1", "--timeout-secs", "2"]);
    let a = s.addr.as_str();
    let spec = std::fs::read_to_string(format!("{ROOT}/schemas/examples/sheet-spec.json")).unwrap();
    let spec: serde_json::Value = serde_json::from_str(&spec).unwrap();
    let mut catalog = String::from("sku,cost,weight_kg,length_cm,width_cm,height_cm\n");
    for i in 0..60_000 {
        catalog.push_str(&format!("MUG-{i},12.50,0.050,12,9,9\n")); // 4 lines each, ~19 MB
    }
    let body = serde_json::json!({ "spec": spec, "catalog": catalog }).to_string();
    let mut sheet = TcpStream::connect(a).unwrap();
    sheet.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        sheet,
        "POST /v1/sheet HTTP/1.1\r\nHost: {a}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    sheet.write_all(body.as_bytes()).unwrap();
    let mut r = BufReader::new(sheet);
    let mut status = String::new();
    r.read_line(&mut status).unwrap();
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    // The client reads no further: the stream still holds the only place.
    let busy = call(a, "GET", "/healthz", b"");
    assert_eq!((busy.status, busy.json()["error"]["kind"].as_str()), (503, Some("busy")));
    std::thread::sleep(Duration::from_millis(2500));
    // Past the timeout the stream is cut: no last chunk.
    let mut rest = Vec::new();
    let _ = r.read_to_end(&mut rest);
    assert!(rest.len() > 1000, "{} bytes", rest.len());
    assert!(!rest.ends_with(b"\r\n0\r\n\r\n"), "the stream ended as if whole");
    let mut free = false;
    for _ in 0..50 {
        if call(a, "GET", "/healthz", b"").status == 200 {
            free = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(free, "the sheet's place was never given back");
}

/// A connection that never finishes its request head, or stays idle after an answer, is
/// closed after the timeout instead of holding a socket (and a task) for good.
#[test]
fn a_slow_head_and_an_idle_connection_are_closed() {
    let s = server(&["--timeout-secs", "1"]);
    let a = s.addr.as_str();
    let closed_within = |mut c: TcpStream| -> Duration {
        c.set_read_timeout(Some(Duration::from_secs(6))).unwrap();
        let start = std::time::Instant::now();
        let mut buf = [0u8; 512];
        loop {
            match c.read(&mut buf) {
                Ok(0) | Err(_) => return start.elapsed(),
                Ok(_) => {}
            }
        }
    };
    let mut head = TcpStream::connect(a).unwrap();
    write!(head, "POST /v1/quote HTTP/1.1\r\nHost: {a}\r\n").unwrap();
    let t = closed_within(head);
    assert!(t < Duration::from_secs(4), "a half-sent head was kept for {t:?}");

    let mut idle = TcpStream::connect(a).unwrap();
    write!(idle, "GET /healthz HTTP/1.1\r\nHost: {a}\r\n\r\n").unwrap();
    let mut reply = [0u8; 512];
    idle.set_read_timeout(Some(Duration::from_secs(6))).unwrap();
    let n = idle.read(&mut reply).unwrap();
    assert!(String::from_utf8_lossy(&reply[..n]).starts_with("HTTP/1.1 200"));
    let t = closed_within(idle);
    assert!(t < Duration::from_secs(4), "an idle kept-alive connection was kept for {t:?}");
    assert_eq!(call(a, "GET", "/healthz", b"").status, 200);
}

/// The API's error body as the golden files read errors: `count`, `field` and `message`.
fn as_case_error(body: &serde_json::Value) -> serde_json::Value {
    let problems = body["error"]["problems"].as_array().cloned().unwrap_or_default();
    serde_json::json!({ "error": {
        "count": problems.len(),
        "field": problems.iter().map(|p| p["field"].clone()).collect::<Vec<_>>(),
        "message": problems.iter().map(|p| p["message"].clone()).collect::<Vec<_>>(),
    }})
}

#[test]
fn golden_orders_through_the_api() {
    let text = std::fs::read_to_string(format!("{ROOT}/tests/golden/orders.json")).unwrap();
    let (_, cases) = crossquote::cases::order_cases(&text).unwrap();
    assert!(cases.len() >= 12, "{} cases", cases.len());
    let s = server(&[]);
    let mut failed = Vec::new();
    for (name, _, request, expect) in &cases {
        let r = call(&s.addr, "POST", "/v1/quote", request.to_string().as_bytes());
        let answer = match r.status {
            200 => r.json(),
            400 => as_case_error(&r.json()),
            other => panic!("{name}: HTTP {other}: {}", r.text()),
        };
        let o = crossquote::cases::compare_answer(name, answer, expect);
        if !o.mismatches.is_empty() {
            failed.push(format!("{name}: {}", o.mismatches.join("; ")));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    // The examples quote through the API as through the CLI, in the batch too.
    for name in ["order-b2c.json", "order-b2b.json"] {
        let r = call(&s.addr, "POST", "/v1/quote", &example(name));
        assert_eq!(r.status, 200, "{name}: {}", r.text());
        let from_cli: serde_json::Value =
            serde_json::from_slice(&cli(&["quote"], &example(name))).unwrap();
        assert_eq!(r.json(), from_cli, "{name}");
    }
    // Every example of /v1/quote in the OpenAPI document is quoted.
    let doc = call(&s.addr, "GET", "/v1/openapi.json", b"").json();
    let examples = doc["paths"]["/v1/quote"]["post"]["requestBody"]["content"]["application/json"]
        ["examples"]
        .as_object()
        .unwrap()
        .clone();
    assert!(examples.contains_key("order_b2c") && examples.contains_key("order_b2b"));
    for (name, ex) in &examples {
        let r = call(&s.addr, "POST", "/v1/quote", ex["value"].to_string().as_bytes());
        assert_eq!(r.status, 200, "OpenAPI example {name}: {}", r.text());
    }
    // And every example of /v1/reply, the reply from an order among them.
    let replies = doc["paths"]["/v1/reply"]["post"]["requestBody"]["content"]["application/json"]
        ["examples"]
        .as_object()
        .unwrap()
        .clone();
    assert!(replies.contains_key("order") && replies.contains_key("scenario"));
    for (name, ex) in &replies {
        let r = call(&s.addr, "POST", "/v1/reply", ex["value"].to_string().as_bytes());
        assert_eq!(r.status, 200, "OpenAPI example {name}: {}", r.text());
    }
    let batch = format!(
        r#"{{"requests": [{}, {}]}}"#,
        String::from_utf8(example("order-b2c.json")).unwrap(),
        String::from_utf8(example("order-b2b.json")).unwrap()
    );
    let r = call(&s.addr, "POST", "/v1/quotes", batch.as_bytes());
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v["results"][0]["quote"]["total"]["amount"], "128.99", "{v}");
    assert_eq!(v["results"][1]["quote"]["total"]["amount"], "7476.00", "{v}");
}

/// Every golden document through `POST /v1/proforma`, as the CLI writes it.
#[test]
fn golden_documents_through_the_api() {
    let orders = std::fs::read_to_string(format!("{ROOT}/tests/golden/orders.json")).unwrap();
    let documents = std::fs::read_to_string(format!("{ROOT}/tests/golden/documents.json")).unwrap();
    let (_, cases) = crossquote::cases::document_cases(&orders, &documents).unwrap();
    assert!(cases.len() >= 6, "{} cases", cases.len());
    let s = server(&[]);
    let mut failed = Vec::new();
    for (name, request, expect) in &cases {
        let r = call(&s.addr, "POST", "/v1/proforma", request.to_string().as_bytes());
        let answer = match r.status {
            200 => r.json(),
            400 => {
                assert_eq!(r.json()["error"]["kind"], "invalid", "{name}");
                as_case_error(&r.json())
            }
            other => panic!("{name}: HTTP {other}: {}", r.text()),
        };
        let expect: serde_json::Map<String, serde_json::Value> = expect
            .iter()
            .filter(|(k, _)| !k.starts_with("error.kind"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let o = crossquote::cases::compare_answer(name, answer, &expect);
        if !o.mismatches.is_empty() {
            failed.push(format!("{name}: {}", o.mismatches.join("; ")));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    let r = call(&s.addr, "POST", "/v1/proforma", &example("proforma.json"));
    assert_eq!(r.status, 200, "{}", r.text());
    let from_cli: serde_json::Value =
        serde_json::from_slice(&cli(&["proforma", "--json"], &example("proforma.json"))).unwrap();
    assert_eq!(r.json(), from_cli);
    // The OpenAPI example is the example file.
    let doc = call(&s.addr, "GET", "/v1/openapi.json", b"").json();
    let ex = &doc["paths"]["/v1/proforma"]["post"]["requestBody"]["content"]["application/json"]
        ["examples"]["pt_br"]["value"];
    assert_eq!(
        ex,
        &serde_json::from_slice::<serde_json::Value>(&example("proforma.json")).unwrap()
    );
    assert_eq!(call(&s.addr, "GET", "/v1/proforma", b"").status, 405);
}
