//! The crossquote browser app: a B2C quote form over the core, computed as the agent types.
//!
//! [`compute`] turns the form's text fields into a quote or into messages per field; it is
//! pure and tested natively. [`App`] is the Yew component around it: one state, one action
//! (`Set`), a reducer that only stores text. `main.rs` only mounts it.

use std::rc::Rc;

use crossquote::b2c::{
    self, B2cQuote, B2cRequest, Fee, FeeKind, FeeRule, ProfitBasis, ProfitTarget, Shipping,
    UnitCosts,
};
use crossquote::{Currency, Decimal, Percent};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The form's fields, as typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// Purchase cost per unit, CNY.
    Cost,
    /// Shipping per unit, CNY.
    Shipping,
    /// Platform commission, %.
    Commission,
    /// Payment fee, %.
    Payment,
    /// Profit margin on price, %.
    Margin,
    /// Quote currency code.
    Currency,
}

impl Field {
    /// Every field, in form order.
    pub const ALL: [Field; 6] = [
        Field::Cost,
        Field::Shipping,
        Field::Commission,
        Field::Payment,
        Field::Margin,
        Field::Currency,
    ];

    /// The element id (also used by the end-to-end tests).
    pub fn id(self) -> &'static str {
        match self {
            Field::Cost => "cost",
            Field::Shipping => "shipping",
            Field::Commission => "commission",
            Field::Payment => "payment",
            Field::Margin => "margin",
            Field::Currency => "currency",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Field::Cost => "Purchase cost (CNY) 采购成本",
            Field::Shipping => "Shipping per unit (CNY) 运费",
            Field::Commission => "Platform commission % 平台佣金",
            Field::Payment => "Payment fee % 支付手续费",
            Field::Margin => "Profit margin % 利润率",
            Field::Currency => "Quote currency 报价币种",
        }
    }
}

/// The form state: the text of each field.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    /// Field texts, in [`Field::ALL`] order.
    pub values: [String; 6],
}

impl Default for Form {
    fn default() -> Self {
        Form { values: ["36.00", "14.40", "8", "3", "20", "USD"].map(str::to_owned) }
    }
}

impl Form {
    /// The text of `field`.
    pub fn get(&self, field: Field) -> &str {
        let i = Field::ALL.iter().position(|f| *f == field).unwrap_or(0);
        &self.values[i]
    }
}

/// The one action: a field's new text.
pub struct Set(pub Field, pub String);

impl Reducible for Form {
    type Action = Set;
    fn reduce(self: Rc<Self>, Set(field, text): Set) -> Rc<Self> {
        let mut next = (*self).clone();
        if let Some(i) = Field::ALL.iter().position(|f| *f == field) {
            next.values[i] = text;
        }
        Rc::new(next)
    }
}

/// Messages for fields, or for the form as a whole (`None`).
pub type Problems = Vec<(Option<Field>, String)>;

/// Maps a core error path to the form field it came from.
fn field_of(path: &str) -> Option<Field> {
    match path {
        p if p.starts_with("costs.") => Some(Field::Cost),
        p if p.starts_with("shipping") => Some(Field::Shipping),
        p if p.starts_with("fees[0]") => Some(Field::Commission),
        p if p.starts_with("fees[1]") => Some(Field::Payment),
        "profit.percent" | "fees" => Some(Field::Margin),
        "quote_currency" => Some(Field::Currency),
        _ => None,
    }
}

/// The quote for a form, or every problem with it, each by its field.
pub fn compute(form: &Form, rates: &crossquote::fx::RateTable) -> Result<B2cQuote, Problems> {
    let mut problems = Problems::new();
    let mut num = |field: Field| -> Decimal {
        match crossquote::serde_dec::parse(form.get(field)) {
            Ok(v) => v,
            Err(message) => {
                problems.push((Some(field), message));
                Decimal::ZERO
            }
        }
    };
    let (cost, shipping, commission, payment, margin) = (
        num(Field::Cost),
        num(Field::Shipping),
        num(Field::Commission),
        num(Field::Payment),
        num(Field::Margin),
    );
    let currency = Currency::from_code(form.get(Field::Currency).trim());
    if let Err(e) = &currency {
        problems.push((Some(Field::Currency), e.to_string()));
    }
    let (Ok(quote_currency), Ok(seller)) = (currency, Currency::from_code("CNY")) else {
        return Err(problems);
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let fee = |name: &str, kind, p| Fee {
        name: name.into(),
        kind,
        rule: FeeRule::Percent(Percent::new(p)),
    };
    let req = B2cRequest {
        seller_currency: seller,
        quote_currency,
        quantity: 1,
        costs: UnitCosts { purchase: cost, ..UnitCosts::default() },
        shipping: Some(Shipping { amount: shipping, per: b2c::Per::Unit }),
        fees: vec![
            fee("Platform commission", FeeKind::Commission, commission),
            fee("Payment fee", FeeKind::Payment, payment),
        ],
        fixed_fees: Vec::new(),
        profit: ProfitTarget { basis: ProfitBasis::Margin, percent: Percent::new(margin) },
        fx: Default::default(),
        promotion: None,
        coupons: Vec::new(),
        price_rounding: Default::default(),
    };
    b2c::quote(&req, rates).map_err(|e| match e {
        b2c::QuoteError::Invalid(errors) => {
            errors.0.into_iter().map(|fe| (field_of(&fe.field), fe.problem.to_string())).collect()
        }
        other => vec![(None, other.to_string())],
    })
}

fn money(amount: Decimal, currency: Currency) -> String {
    format!("{amount} {currency}")
}

fn result_view(result: &Result<B2cQuote, Problems>) -> Html {
    match result {
        Ok(q) => {
            let e = &q.at_price;
            let pct = |p: Option<Percent>| p.map_or("–".to_owned(), |p| p.to_string());
            let rows = |b: &crossquote::breakdown::Breakdown| -> Html {
                b.lines
                    .iter()
                    .map(|l| html! { <tr><td>{ l.label.as_ref() }</td><td class="num">{ money(l.amount, b.currency) }</td></tr> })
                    .collect()
            };
            html! {
                <section class="result" aria-live="polite">
                    <p class="price">{ "Price 售价: " }<output id="sale-price">{ money(q.sale_price.amount, q.sale_price.currency) }</output></p>
                    <p>
                        { "Margin 利润率 " }<span id="margin-out">{ pct(e.margin) }</span>
                        { " · Markup " }{ pct(e.markup) }
                        { " · Break-even 保本价 " }<span id="break-even">{ money(q.break_even_price.amount, q.break_even_price.currency) }</span>
                    </p>
                    <div class="tables">
                        <table id="breakdown">
                            <caption>{ format!("Breakdown 价格构成 ({})", e.breakdown.currency) }</caption>
                            <tbody>{ rows(&e.breakdown) }</tbody>
                            <tfoot><tr><th>{ "Total" }</th><th class="num">{ money(e.breakdown.total, e.breakdown.currency) }</th></tr></tfoot>
                        </table>
                        <table id="seller-breakdown">
                            <caption>{ format!("In {} at {}", e.seller_breakdown.currency, q.exchange_rate) }</caption>
                            <tbody>{ rows(&e.seller_breakdown) }</tbody>
                            <tfoot><tr><th>{ "Total" }</th><th class="num">{ money(e.seller_breakdown.total, e.seller_breakdown.currency) }</th></tr></tfoot>
                        </table>
                    </div>
                </section>
            }
        }
        Err(problems) => {
            let general: Html = problems
                .iter()
                .filter(|(f, _)| f.is_none())
                .map(|(_, m)| html! { <p class="error">{ m }</p> })
                .collect();
            html! { <section class="result"><p class="price muted">{ "Fix the fields marked in red." }</p>{ general }</section> }
        }
    }
}

/// The app: the form and, beside it, the quote.
#[function_component(App)]
pub fn app() -> Html {
    let form = use_reducer(Form::default);
    let rates = use_memo((), |_| crossquote::defaults::default_rates());
    let rates = match &*rates {
        Ok(r) => r.clone(),
        Err(e) => {
            let list: Vec<String> = e.iter().map(ToString::to_string).collect();
            return html! { <p class="error">{ format!("The built-in profile failed to load: {}", list.join("; ")) }</p> };
        }
    };
    let result = compute(&form, &rates);
    let problems: &[(Option<Field>, String)] = match &result {
        Ok(_) => &[],
        Err(p) => p,
    };
    let input = |field: Field| -> Html {
        let error: Option<&String> =
            problems.iter().find(|(f, _)| *f == Some(field)).map(|(_, m)| m);
        let err_id = format!("{}-error", field.id());
        let onchange = {
            let form = form.dispatcher();
            move |text: String| form.dispatch(Set(field, text))
        };
        let control = if field == Field::Currency {
            let oninput = Callback::from(move |e: Event| {
                onchange(e.target_unchecked_into::<HtmlSelectElement>().value())
            });
            let current = form.get(field).to_owned();
            html! {
                <select id={field.id()} onchange={oninput}>
                    { for ["USD", "EUR", "GBP", "BRL", "RUB", "JPY", "CAD", "AUD", "MXN", "PLN", "CNY"].iter().map(|c| html! {
                        <option value={*c} selected={current == *c}>{ *c }</option>
                    }) }
                </select>
            }
        } else {
            let oninput = Callback::from(move |e: InputEvent| {
                onchange(e.target_unchecked_into::<HtmlInputElement>().value())
            });
            html! {
                <input id={field.id()} type="text" inputmode="decimal" value={form.get(field).to_owned()} {oninput}
                    aria-invalid={error.is_some().to_string()} aria-describedby={err_id.clone()} />
            }
        };
        html! {
            <div class={classes!("field", error.map(|_| "invalid"))}>
                <label for={field.id()}>{ field.label() }</label>
                { control }
                <span class="error" id={err_id}>{ error.cloned().unwrap_or_default() }</span>
            </div>
        }
    };
    html! {
        <main>
            <header><h1>{ "crossquote" }</h1><p class="muted">{ format!("B2C quote · rates {} ({})", rates.as_of, rates.source.clone().unwrap_or_default()) }</p></header>
            <div class="layout">
                <form class="quote-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                    { for Field::ALL.iter().map(|f| input(*f)) }
                </form>
                { result_view(&result) }
            </div>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rates() -> crossquote::fx::RateTable {
        crossquote::defaults::default_rates().unwrap()
    }

    #[test]
    fn default_form_quotes() {
        let q = compute(&Form::default(), &rates()).unwrap();
        // 50.40 CNY / 7.10 = 7.098592 USD; N = 7.098592 / (1 - 0.08 - 0.03 - 0.20) = 10.2878 -> 10.29.
        assert_eq!(q.sale_price.amount.to_string(), "10.29");
    }

    #[test]
    fn problems_are_reported_by_field() {
        let mut form = Form::default();
        form.values[0] = "abc".into();
        form.values[4] = "95".into();
        let problems = compute(&form, &rates()).unwrap_err();
        assert_eq!(problems[0].0, Some(Field::Cost));
        let mut form = Form::default();
        form.values[4] = "95".into();
        let problems = compute(&form, &rates()).unwrap_err();
        assert_eq!(problems[0].0, Some(Field::Margin));
        assert!(
            problems[0].1.contains("fees and margin take the whole price"),
            "{}",
            problems[0].1
        );
    }
}
