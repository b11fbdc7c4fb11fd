//! Browser tests (wasm-bindgen-test in headless Chromium): the golden cases through the
//! core compiled to wasm, and the app mounted in a real DOM.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use gloo::storage::{LocalStorage, Storage};
use gloo::timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlInputElement, InputEvent, InputEventInit};

wasm_bindgen_test_configure!(run_in_browser);

fn check(outcomes: Vec<crossquote::cases::Outcome>) {
    assert!(outcomes.len() >= 20);
    let failed: Vec<_> = outcomes.iter().filter(|o| !o.mismatches.is_empty()).collect();
    assert!(failed.is_empty(), "{failed:?}");
}

#[wasm_bindgen_test]
fn golden_cases_hold_in_the_browser() {
    check(crossquote::cases::run_b2c(include_str!("../../tests/golden/b2c.json")).unwrap());
    check(crossquote::cases::run_b2b(include_str!("../../tests/golden/b2b.json")).unwrap());
    check(
        crossquote::cases::run_logistics(include_str!("../../tests/golden/logistics.json"))
            .unwrap(),
    );
}

#[wasm_bindgen_test]
fn golden_orders_hold_in_the_browser() {
    let outcomes =
        crossquote::cases::run_orders(include_str!("../../tests/golden/orders.json")).unwrap();
    assert!(outcomes.len() >= 12);
    let failed: Vec<_> = outcomes.iter().filter(|o| !o.mismatches.is_empty()).collect();
    assert!(failed.is_empty(), "{failed:?}");
}

#[wasm_bindgen_test]
fn golden_documents_hold_in_the_browser() {
    let outcomes = crossquote::cases::run_documents(
        include_str!("../../tests/golden/orders.json"),
        include_str!("../../tests/golden/documents.json"),
    )
    .unwrap();
    assert!(outcomes.len() >= 6);
    let failed: Vec<_> = outcomes.iter().filter(|o| !o.mismatches.is_empty()).collect();
    assert!(failed.is_empty(), "{failed:?}");
}

/// A mounted app, unmounted (and its node removed) when the test ends, so that no app of
/// an earlier test renders, and writes browser storage, during a later one.
struct Mounted {
    root: web_sys::Element,
    app: Option<yew::AppHandle<crossquote_web::App>>,
}

impl std::ops::Deref for Mounted {
    type Target = web_sys::Element;
    fn deref(&self) -> &web_sys::Element {
        &self.root
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        self.root.remove();
    }
}

/// Mounts the app in a fresh node, over whatever storage holds.
async fn mount_over_storage() -> Mounted {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let app = yew::Renderer::<crossquote_web::App>::with_root(root.clone()).render();
    TimeoutFuture::new(0).await;
    Mounted { root, app: Some(app) }
}

/// Mounts the app on empty storage.
async fn mount() -> Mounted {
    LocalStorage::clear();
    mount_over_storage().await
}

fn text(root: &web_sys::Element, selector: &str) -> String {
    root.query_selector(selector).unwrap().and_then(|e| e.text_content()).unwrap_or_default()
}

async fn type_into(root: &web_sys::Element, id: &str, value: &str) {
    let input: HtmlInputElement =
        root.query_selector(&format!("#{id}")).unwrap().unwrap().dyn_into().unwrap();
    input.set_value(value);
    let init = InputEventInit::new();
    init.set_bubbles(true);
    input.dispatch_event(&InputEvent::new_with_event_init_dict("input", &init).unwrap()).unwrap();
    TimeoutFuture::new(0).await;
}

#[wasm_bindgen_test]
async fn a_quote_renders_and_follows_input() {
    let root = mount().await;
    // China Post 0.35 kg to the US = 42.25 CNY; (36 + 42.25) / 7.10 / 0.69 -> $15.98.
    assert_eq!(text(&root, "#sale-price"), "$15.98");
    assert!(root.query_selector("#breakdown-chart rect").unwrap().is_some());
    type_into(&root, "item-0-cost", "71.00").await;
    // (71 + 42.25) / 7.10 = 15.9507 USD; / 0.69 = 23.1169; lines 10.00 + 5.95, fees 1.85 +
    // 0.69 at 23.12 leave 4.63 >= 4.624 (23.11 leaves 4.62 < 4.622).
    assert_eq!(text(&root, "#sale-price"), "$23.12");
}

#[wasm_bindgen_test]
async fn an_error_is_shown_by_its_field() {
    let root = mount().await;
    type_into(&root, "margin", "95").await;
    let message = text(&root, "#margin-error");
    assert!(message.contains("fees and margin take the whole price"), "{message}");
    type_into(&root, "item-0-cost", "12,5x").await;
    assert!(text(&root, "#item-0-cost-error").contains("is not a number"));
    assert_eq!(text(&root, "#sale-price"), "");
}

#[wasm_bindgen_test]
async fn inputs_survive_a_remount_and_bad_storage_is_kept() {
    let root = mount().await;
    type_into(&root, "item-0-cost", "50.00").await;
    // The app writes storage in an effect after it renders: wait for it (at most 1 s).
    let saved = || LocalStorage::raw().get_item(crossquote_web::STORAGE_KEY).unwrap();
    for _ in 0..100 {
        if saved().is_some_and(|s| s.contains("\"cost\":\"50.00\"")) {
            break;
        }
        TimeoutFuture::new(10).await;
    }
    let saved = saved().unwrap();
    assert!(saved.contains("\"cost\":\"50.00\""), "{saved}");
    drop(root);
    LocalStorage::raw().set_item(crossquote_web::STORAGE_KEY, "{broken").unwrap();
    let again = mount_over_storage().await;
    assert!(text(&again, "#notice").contains("unreadable"), "{}", text(&again, "#notice"));
    assert_eq!(
        LocalStorage::raw().get_item(crossquote_web::BACKUP_KEY).unwrap().as_deref(),
        Some("{broken")
    );
}

#[wasm_bindgen_test]
async fn the_reply_tab_marks_the_quotes_numbers() {
    let root = mount().await;
    let tab: web_sys::HtmlElement =
        root.query_selector("#tab-reply").unwrap().unwrap().dyn_into().unwrap();
    tab.click();
    TimeoutFuture::new(0).await;
    // 3 of the default item shipped together, 5% off, as the core drafts it.
    let (o, q) =
        crossquote_web::retail::compute(&Default::default(), &[Default::default()], &profile())
            .unwrap();
    let ask = crossquote::order::reply::Ask::BargainQuantity {
        min_quantity: 3,
        discount: crossquote::Percent::new(5.into()),
    };
    let d = crossquote::order::reply::retail(&o, &q, &profile(), 0, &ask).unwrap();
    let crossquote::reply::Scenario::BargainQuantity { unit_price, .. } = d.scenario else {
        panic!()
    };
    let price = format!("${}", unit_price.amount);
    let reply = text(&root, "#reply-text");
    let said = format!(
        "If your order is 3 pieces or more, we can give you a 5% discount: {price} per piece."
    );
    assert!(reply.contains(&said), "{reply}");
    let marks: Vec<String> = (0..3)
        .map(|i| {
            root.query_selector_all("#reply-text mark")
                .unwrap()
                .get(i)
                .and_then(|n| n.text_content())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(marks, ["3".to_owned(), "5%".to_owned(), price.clone()]);
    assert!(text(&root, "#reply-zh").contains(&format!("每件 {price}")));
    assert!(root.query_selector("#copy").unwrap().is_some());
}

fn profile() -> crossquote::profile::Profile {
    crossquote::defaults::default_profile().unwrap()
}

async fn click(root: &web_sys::Element, selector: &str) {
    let el: web_sys::HtmlElement =
        root.query_selector(selector).unwrap().unwrap().dyn_into().unwrap();
    el.click();
    TimeoutFuture::new(0).await;
}

/// A second item joins the basket: the order total is the core's for both items shipped
/// together, each item's price and the pieces shown; removing it goes back.
#[wasm_bindgen_test]
async fn items_are_added_to_the_basket_and_removed() {
    let root = mount().await;
    let one = text(&root, "#order-total");
    click(&root, "#add-item").await;
    type_into(&root, "item-1-quantity", "2").await;
    type_into(&root, "item-1-weight", "0.2").await;
    let items = [
        crossquote_web::retail::ItemForm::default(),
        crossquote_web::retail::ItemForm {
            quantity: "2".into(),
            weight: "0.2".into(),
            ..Default::default()
        },
    ];
    let (_, q) = crossquote_web::retail::compute(&Default::default(), &items, &profile()).unwrap();
    let us = profile().market("US").unwrap().clone();
    assert_eq!(text(&root, "#order-pieces"), "3");
    assert_eq!(text(&root, "#order-total"), us.format_money(q.total.amount));
    assert_eq!(text(&root, "#line-1-price"), us.format_money(q.lines[1].quote.sale_price.amount));
    assert!(root.query_selector("#shipping-options tr.quoted").unwrap().is_some());
    click(&root, "#item-1-remove").await;
    assert_eq!(text(&root, "#order-total"), one);
    assert!(root.query_selector("#item-1-cost").unwrap().is_none());
}
