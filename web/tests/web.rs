//! Browser tests (wasm-bindgen-test in headless Chromium): the golden cases through the
//! core compiled to wasm, and the app mounted in a real DOM.
#![cfg(target_arch = "wasm32")]

use gloo::timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlInputElement, InputEvent, InputEventInit};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn golden_cases_hold_in_the_browser() {
    let outcomes = crossquote::cases::run_b2c(include_str!("../../tests/golden/b2c.json")).unwrap();
    assert!(outcomes.len() >= 25);
    let failed: Vec<_> = outcomes.iter().filter(|o| !o.mismatches.is_empty()).collect();
    assert!(failed.is_empty(), "{failed:?}");
}

fn mount() -> web_sys::Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<crossquote_web::App>::with_root(root.clone()).render();
    root
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
    let root = mount();
    TimeoutFuture::new(0).await;
    assert_eq!(text(&root, "#sale-price"), "10.29 USD");
    type_into(&root, "cost", "71.00").await;
    // 85.40 CNY / 7.10 = 12.028169 USD; / 0.69 = 17.4321; at 17.43 the lines 10.00 + 2.03 +
    // 1.39 + 0.52 leave 3.49 >= 20% of 17.43, and 17.42 leaves 3.48 < 3.484.
    assert_eq!(text(&root, "#sale-price"), "17.43 USD");
}

#[wasm_bindgen_test]
async fn an_error_is_shown_by_its_field() {
    let root = mount();
    TimeoutFuture::new(0).await;
    type_into(&root, "margin", "95").await;
    let message = text(&root, "#margin-error");
    assert!(message.contains("fees and margin take the whole price"), "{message}");
    type_into(&root, "cost", "12,5x").await;
    assert!(text(&root, "#cost-error").contains("is not a number"));
    assert_eq!(text(&root, "#sale-price"), "");
}
