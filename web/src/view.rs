//! The widgets every tab uses: labelled inputs and selects bound to an element id, with
//! the problem at that id beside them; the breakdown as a bar and a table; problems for
//! the whole form. They display; they decide nothing.

use crossquote::breakdown::{Breakdown, LineKind};
use crossquote::Decimal;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::{self, t};
use crate::model::{problem_for, Lang};

/// An amount and its currency code, as the tables show it.
pub fn money(amount: Decimal, currency: crossquote::Currency) -> String {
    format!("{amount} {currency}")
}

/// A problem, warning or note from the core in the interface language.
pub fn say(lang: Lang, message: &str) -> String {
    i18n::message(lang, message).into_owned()
}

/// A field: its label, the control `make` builds (given the id of the problem beside it),
/// and the problem at element `id`, if any.
fn field<I: AsRef<str>>(
    lang: Lang,
    id: &str,
    label: &str,
    problems: &[(Option<I>, String)],
    make: impl FnOnce(bool, String) -> Html,
) -> Html {
    let error = problem_for(problems, id);
    let err_id = format!("{id}-error");
    html! {
        <div class={classes!("field", error.map(|_| "invalid"))}>
            <label for={id.to_owned()}>{ t(lang, label) }</label>
            { make(error.is_some(), err_id.clone()) }
            <span class="error" id={err_id}>{ error.map(|m| say(lang, m)).unwrap_or_default() }</span>
        </div>
    }
}

/// A labelled text input with element id `id`, labelled by the text of `label`; it
/// emits (id, text) as the agent types.
pub fn cell_input<I: AsRef<str>>(
    lang: Lang,
    id: &str,
    label: &str,
    value: &str,
    problems: &[(Option<I>, String)],
    onchange: Callback<(String, String)>,
) -> Html {
    let key = id.to_owned();
    let oninput = Callback::from(move |e: InputEvent| {
        onchange.emit((key.clone(), e.target_unchecked_into::<HtmlInputElement>().value()))
    });
    field(lang, id, label, problems, |invalid, err_id| {
        html! {
            <input id={id.to_owned()} type="text" inputmode="decimal" value={value.to_owned()} {oninput}
                aria-invalid={invalid.to_string()} aria-describedby={err_id} />
        }
    })
}

/// A labelled text input whose label is its id's text.
pub fn text_input<I: AsRef<str>>(
    lang: Lang,
    id: &str,
    value: &str,
    problems: &[(Option<I>, String)],
    onchange: Callback<(String, String)>,
) -> Html {
    cell_input(lang, id, id, value, problems, onchange)
}

/// A labelled select with element id `id`; `options` are (value, label).
pub fn select<I: AsRef<str>>(
    lang: Lang,
    id: &str,
    value: &str,
    options: Vec<(String, String)>,
    problems: &[(Option<I>, String)],
    onchange: Callback<(String, String)>,
) -> Html {
    let key = id.to_owned();
    let changed = Callback::from(move |e: Event| {
        onchange.emit((key.clone(), e.target_unchecked_into::<HtmlSelectElement>().value()))
    });
    field(lang, id, id, problems, |_, err_id| {
        html! {
            <select id={id.to_owned()} onchange={changed} aria-describedby={err_id}>
                { for options.into_iter().map(|(v, label)| html! { <option value={v.clone()} selected={v == value}>{ label }</option> }) }
            </select>
        }
    })
}

/// The breakdown as a stacked bar (SVG): one segment per positive line, widths in
/// percent of the total, computed with decimals.
pub fn breakdown_chart(b: &Breakdown) -> Html {
    let positive: Vec<_> = b.lines.iter().filter(|l| l.amount > Decimal::ZERO).collect();
    let whole: Decimal = positive.iter().map(|l| l.amount).sum();
    if whole <= Decimal::ZERO {
        return html! {};
    }
    let mut x = Decimal::ZERO;
    let segments = positive.iter().map(|l| {
        let w = crossquote::money::mul(l.amount, Decimal::ONE_HUNDRED, "chart")
            .and_then(|a| crossquote::Rounding::HalfUp.div_round(a, whole, 2, "chart"))
            .unwrap_or_default();
        let class = match l.kind {
            LineKind::Profit => "seg profit",
            LineKind::Fee | LineKind::FixedFee | LineKind::Coupon => "seg fee",
            LineKind::Shipping => "seg ship",
            LineKind::FxReserve => "seg fx",
            _ => "seg cost",
        };
        let seg = html! {
            <rect class={class} x={format!("{x}%")} y="0" width={format!("{w}%")} height="28">
                <title>{ format!("{}: {} {}", l.label, l.amount, b.currency) }</title>
            </rect>
        };
        x = x.checked_add(w).unwrap_or(x);
        seg
    });
    html! {
        <svg id="breakdown-chart" class="chart" width="100%" height="28" role="img"
             aria-label={format!("Breakdown of {} {}", b.total, b.currency)}>
            { for segments }
        </svg>
    }
}

/// A breakdown line's label in the interface language: fixed labels (the core's own line
/// names and the wholesale form's "Domestic fees") are translated; fee and coupon names
/// from the profile are its own and stay as written.
fn line_label(lang: Lang, l: &crossquote::breakdown::Line) -> &str {
    use crossquote::breakdown::Label;
    match (lang, &l.label) {
        (Lang::Zh, Label::Fixed(text)) => crate::i18n::line_name(text).unwrap_or(text),
        (_, label) => label.as_str(),
    }
}

/// A breakdown as a table with its total.
pub fn breakdown_table(id: &'static str, caption: String, b: &Breakdown, lang: Lang) -> Html {
    html! {
        <table id={id}>
            <caption>{ caption }</caption>
            <tbody>
                { for b.lines.iter().map(|l| html! { <tr><td>{ line_label(lang, l) }</td><td class="num">{ money(l.amount, b.currency) }</td></tr> }) }
            </tbody>
            <tfoot><tr><th>{ t(lang, "total") }</th><th class="num">{ money(b.total, b.currency) }</th></tr></tfoot>
        </table>
    }
}

/// "Fix the fields" and the problems that belong to no field.
pub fn general_problems<I: AsRef<str>>(problems: &[(Option<I>, String)], lang: Lang) -> Html {
    html! {
        <section class="result">
            <p class="price muted">{ t(lang, "fix-fields") }</p>
            { for problems.iter().filter(|(f, _)| f.is_none()).map(|(_, m)| html! { <p class="error">{ say(lang, m) }</p> }) }
        </section>
    }
}

/// Today's date (UTC), from the browser's clock (the one place the app reads the date).
pub fn today() -> Option<crossquote::Date> {
    let d = js_sys::Date::new_0();
    let (y, m, day) = (d.get_utc_full_year(), d.get_utc_month(), d.get_utc_date());
    crossquote::Date::new(
        u16::try_from(y).ok()?,
        u8::try_from(m.checked_add(1)?).ok()?,
        u8::try_from(day).ok()?,
    )
}

/// The seller's clock, minutes since midnight UTC.
pub fn utc_minutes_now() -> u32 {
    let d = js_sys::Date::new_0();
    d.get_utc_hours().saturating_mul(60).saturating_add(d.get_utc_minutes())
}
