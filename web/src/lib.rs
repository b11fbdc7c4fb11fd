//! The crossquote browser app: retail and wholesale quotes over the core, computed as the
//! agent types, with the built-in profile, in English or Chinese, kept between visits.
//!
//! `model` holds the state and the pure computations (tested natively); this file holds
//! the components, which only display what `model` computes. One state ([`AppState`]),
//! one action enum ([`Action`]), a reducer that stores text; storage lives in an effect.
//! `main.rs` only mounts [`App`].

pub mod i18n;
pub mod model;

use std::rc::Rc;

use crossquote::breakdown::{Breakdown, LineKind};
use crossquote::profile::Profile;
use crossquote::Decimal;
use gloo::storage::{LocalStorage, Storage};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use i18n::t;
use model::{Lang, Problems, Restored, Stored, Tab};

/// Browser-storage key of the saved state.
pub const STORAGE_KEY: &str = "crossquote.state";
/// Browser-storage key where unusable saved state is kept.
pub const BACKUP_KEY: &str = "crossquote.state.backup";
/// Browser-storage key of the seller's own profile (absent: the built-in one).
pub const PROFILE_KEY: &str = "crossquote.profile";
/// Browser-storage key where a saved profile that no longer loads is kept.
pub const PROFILE_BACKUP_KEY: &str = "crossquote.profile.backup";

/// The seller profile in use and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileState {
    /// The profile.
    pub profile: Rc<Profile>,
    /// Its JSON text.
    pub text: String,
    /// The seller's own (saved) rather than the built-in one.
    pub own: bool,
    /// Why a saved profile was set aside, until dismissed.
    pub notice: Option<String>,
}

/// The built-in profile.
fn builtin_profile() -> Result<ProfileState, String> {
    let text = crossquote::defaults::DEFAULT_PROFILE_JSON;
    match model::check_profile(text) {
        Ok(p) => Ok(ProfileState {
            profile: Rc::new(p),
            text: text.to_owned(),
            own: false,
            notice: None,
        }),
        Err(e) => Err(format!("The built-in profile failed to load: {}", e.join("; "))),
    }
}

/// The saved profile, or the built-in one (a saved profile that no longer loads is copied
/// to [`PROFILE_BACKUP_KEY`] and reported).
pub fn load_profile() -> Result<ProfileState, String> {
    let raw: Option<String> = LocalStorage::raw().get_item(PROFILE_KEY).ok().flatten();
    match model::restore_profile(raw.as_deref()) {
        model::RestoredProfile::Builtin => builtin_profile(),
        model::RestoredProfile::Saved(p, text) => {
            Ok(ProfileState { profile: Rc::new(*p), text, own: true, notice: None })
        }
        model::RestoredProfile::Unusable { backup, reason } => {
            let _ = LocalStorage::raw().set_item(PROFILE_BACKUP_KEY, &backup);
            let _ = LocalStorage::raw().remove_item(PROFILE_KEY);
            builtin_profile().map(|s| ProfileState { notice: Some(reason), ..s })
        }
    }
}

/// The app state: what is stored, plus a notice for the agent.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// Inputs, language and tab.
    pub stored: Stored,
    /// A message about the saved data, until dismissed.
    pub notice: Option<String>,
    /// Whether the last copy to the clipboard worked.
    pub copied: Option<bool>,
}

/// Everything the agent can do.
pub enum Action {
    /// A retail field's new text, by element id.
    Retail(&'static str, String),
    /// A wholesale field's new text, by element id.
    Wholesale(&'static str, String),
    /// A reply field's new text, by element id.
    Reply(&'static str, String),
    /// A price-sheet setting's new text, by element id.
    Sheet(&'static str, String),
    /// The clipboard answered.
    Copied(bool),
    /// Switch language.
    Lang(Lang),
    /// Switch tab.
    Tab(Tab),
    /// Close the notice.
    Dismiss,
}

impl Reducible for AppState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let s = &mut next.stored;
        match action {
            Action::Retail(id, v) => match s.retail.field_mut(id) {
                Some(slot) => *slot = v,
                None => return self,
            },
            Action::Wholesale(id, v) => match s.wholesale.field_mut(id) {
                Some(slot) => *slot = v,
                None => return self,
            },
            Action::Reply(id, v) => match s.reply.field_mut(id) {
                Some(slot) => {
                    *slot = v;
                    next.copied = None;
                }
                None => return self,
            },
            Action::Sheet(id, v) => match s.sheet.field_mut(id) {
                Some(slot) => *slot = v,
                None => return self,
            },
            Action::Copied(ok) => next.copied = Some(ok),
            Action::Lang(l) => s.lang = l,
            Action::Tab(tab) => s.tab = tab,
            Action::Dismiss => next.notice = None,
        }
        Rc::new(next)
    }
}

/// Reads the saved state from browser storage; unusable data is copied to [`BACKUP_KEY`]
/// and reported, never dropped silently.
pub fn load_state(lang_hint: Lang) -> AppState {
    let raw: Option<String> = LocalStorage::raw().get_item(STORAGE_KEY).ok().flatten();
    match model::restore(raw.as_deref()) {
        Restored::Fresh => AppState {
            stored: Stored { lang: lang_hint, ..Stored::fresh() },
            notice: None,
            copied: None,
        },
        Restored::Loaded(stored) => AppState { stored: *stored, notice: None, copied: None },
        Restored::Unusable { backup, reason } => {
            let _ = LocalStorage::raw().set_item(BACKUP_KEY, &backup);
            AppState { stored: Stored::fresh(), notice: Some(reason), copied: None }
        }
    }
}

fn money(amount: Decimal, currency: crossquote::Currency) -> String {
    format!("{amount} {currency}")
}

/// A problem, warning or note from the core in the interface language.
fn say(lang: Lang, message: &str) -> String {
    i18n::message(lang, message).into_owned()
}

fn problem_for<'a>(problems: &'a Problems, id: &str) -> Option<&'a String> {
    problems.iter().find(|(f, _)| *f == Some(id)).map(|(_, m)| m)
}

/// A labelled text input bound to a field id.
fn text_input(
    lang: Lang,
    id: &'static str,
    value: &str,
    problems: &Problems,
    onchange: Callback<(&'static str, String)>,
) -> Html {
    let error = problem_for(problems, id);
    let err_id = format!("{id}-error");
    let oninput = Callback::from(move |e: InputEvent| {
        onchange.emit((id, e.target_unchecked_into::<HtmlInputElement>().value()))
    });
    html! {
        <div class={classes!("field", error.map(|_| "invalid"))}>
            <label for={id}>{ t(lang, id) }</label>
            <input id={id} type="text" inputmode="decimal" value={value.to_owned()} {oninput}
                aria-invalid={error.is_some().to_string()} aria-describedby={err_id.clone()} />
            <span class="error" id={err_id}>{ error.map(|m| say(lang, m)).unwrap_or_default() }</span>
        </div>
    }
}

/// A labelled select bound to a field id; `options` are (value, label).
fn select(
    lang: Lang,
    id: &'static str,
    value: &str,
    options: Vec<(String, String)>,
    problems: &Problems,
    onchange: Callback<(&'static str, String)>,
) -> Html {
    let error = problem_for(problems, id);
    let err_id = format!("{id}-error");
    let changed = Callback::from(move |e: Event| {
        onchange.emit((id, e.target_unchecked_into::<HtmlSelectElement>().value()))
    });
    html! {
        <div class={classes!("field", error.map(|_| "invalid"))}>
            <label for={id}>{ t(lang, id) }</label>
            <select id={id} onchange={changed} aria-describedby={err_id.clone()}>
                { for options.into_iter().map(|(v, label)| html! { <option value={v.clone()} selected={v == value}>{ label }</option> }) }
            </select>
            <span class="error" id={err_id}>{ error.map(|m| say(lang, m)).unwrap_or_default() }</span>
        </div>
    }
}

/// The breakdown as a stacked bar (SVG): one segment per positive line, widths in
/// percent of the total, computed with decimals.
fn breakdown_chart(b: &Breakdown) -> Html {
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
        (Lang::Zh, Label::Fixed(text)) => i18n::line_name(text).unwrap_or(text),
        (_, label) => label.as_str(),
    }
}

fn breakdown_table(id: &'static str, caption: String, b: &Breakdown, lang: Lang) -> Html {
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

fn general_problems(problems: &Problems, lang: Lang) -> Html {
    html! {
        <section class="result">
            <p class="price muted">{ t(lang, "fix-fields") }</p>
            { for problems.iter().filter(|(f, _)| f.is_none()).map(|(_, m)| html! { <p class="error">{ say(lang, m) }</p> }) }
        </section>
    }
}

fn retail_view(
    state: &AppState,
    profile: &Profile,
    dispatch: Callback<(&'static str, String)>,
) -> Html {
    let lang = state.stored.lang;
    let f = &state.stored.retail;
    let result = model::compute_retail(f, profile);
    let none = Problems::new();
    let problems = result.as_ref().err().unwrap_or(&none);
    let platforms = profile.platforms.iter().map(|p| (p.id.clone(), p.name.clone())).collect();
    let countries = profile
        .markets
        .iter()
        .map(|m| (m.country.clone(), format!("{} ({})", m.name, m.currency)))
        .collect();
    let mut services = vec![(model::CHEAPEST.to_owned(), t(lang, "cheapest").to_owned())];
    services.extend(profile.services.iter().map(|s| (s.id.clone(), s.name.clone())));
    let endings = vec![
        (String::new(), t(lang, "ending-none").to_owned()),
        (".99".into(), ".99".into()),
        (".95".into(), ".95".into()),
        (".90".into(), ".90".into()),
        ("whole".into(), t(lang, "ending-whole").to_owned()),
    ];
    let d = dispatch;
    let form = html! {
        <form class="quote-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            { select(lang, "platform", &f.platform, platforms, problems, d.clone()) }
            { select(lang, "country", &f.country, countries, problems, d.clone()) }
            { text_input(lang, "cost", &f.cost, problems, d.clone()) }
            { text_input(lang, "packaging", &f.packaging, problems, d.clone()) }
            { text_input(lang, "other", &f.other, problems, d.clone()) }
            <fieldset class="dims">
                { text_input(lang, "weight", &f.weight, problems, d.clone()) }
                { text_input(lang, "length", &f.length, problems, d.clone()) }
                { text_input(lang, "width", &f.width, problems, d.clone()) }
                { text_input(lang, "height", &f.height, problems, d.clone()) }
            </fieldset>
            { select(lang, "service", &f.service, services, problems, d.clone()) }
            { text_input(lang, "margin", &f.margin, problems, d.clone()) }
            { text_input(lang, "promotion", &f.promotion, problems, d.clone()) }
            { select(lang, "ending", &f.ending, endings, problems, d) }
        </form>
    };
    let output = match &result {
        Err(p) => general_problems(p, lang),
        Ok(r) => {
            let q = &r.quote;
            let e = &q.at_price;
            let pct =
                |p: Option<crossquote::Percent>| p.map_or("–".to_owned(), |p| p.to_string());
            html! {
                <section class="result" aria-live="polite">
                    <p class="price">{ t(lang, "price") }{ ": " }<output id="sale-price">{ r.market.format_money(q.sale_price.amount) }</output></p>
                    if q.list_price != q.sale_price {
                        <p>{ t(lang, "list-price") }{ ": " }<span id="list-price">{ r.market.format_money(q.list_price.amount) }</span></p>
                    }
                    if let Some(plan) = &r.instalments {
                        <p class="instalments" id="instalments">{ plan.line.clone() }</p>
                    }
                    <p id="vat-note" class="muted">{ r.vat_note(lang) }</p>
                    <p>
                        { t(lang, "margin-out") }{ " " }<span id="margin-out">{ pct(e.margin) }</span>
                        { " · " }{ t(lang, "markup") }{ " " }{ pct(e.markup) }
                        { " · " }{ t(lang, "break-even") }{ " " }<span id="break-even">{ r.market.format_money(q.break_even_price.amount) }</span>
                    </p>
                    <p id="shipping-used">
                        { t(lang, "free-shipping") }{ ": " }{ r.shipping.name.clone() }
                        { format!(" · {} {} · {}–{} {}", r.shipping.total, r.shipping.currency, r.shipping.transit_days.min, r.shipping.transit_days.max, t(lang, "days")) }
                    </p>
                    { breakdown_chart(&e.breakdown) }
                    <div class="tables">
                        { breakdown_table("breakdown", format!("{} ({})", t(lang, "breakdown"), e.breakdown.currency), &e.breakdown, lang) }
                        { breakdown_table("seller-breakdown", format!("{} {}", t(lang, "in-seller"), q.exchange_rate), &e.seller_breakdown, lang) }
                    </div>
                </section>
            }
        }
    };
    html! { <div class="layout">{ form }{ output }</div> }
}

/// Today's date (UTC), from the browser's clock.
fn today() -> Option<crossquote::Date> {
    let d = js_sys::Date::new_0();
    let (y, m, day) = (d.get_utc_full_year(), d.get_utc_month(), d.get_utc_date());
    crossquote::Date::new(
        u16::try_from(y).ok()?,
        u8::try_from(m.checked_add(1)?).ok()?,
        u8::try_from(day).ok()?,
    )
}

/// A proforma-invoice page for the wholesale quote; shown on screen below the quote and,
/// when printed, alone (print CSS hides everything else).
fn proforma(
    r: &model::WholesaleResult,
    terms: &model::ProformaTerms,
    profile: &Profile,
    lang: Lang,
) -> Html {
    let q = &r.quote;
    let cur = q.unit_price.currency;
    let buyer = if terms.buyer.is_empty() { "—".to_owned() } else { terms.buyer.clone() };
    html! {
        <article id="proforma" class="proforma" aria-label={t(lang, "proforma")}>
            <h2>{ t(lang, "proforma") }</h2>
            <dl class="parties">
                <dt>{ t(lang, "seller") }</dt><dd id="proforma-seller">{ profile.name.clone() }</dd>
                <dt>{ t(lang, "buyer") }</dt><dd id="proforma-buyer">{ buyer }</dd>
                <dt>{ t(lang, "date") }</dt><dd id="proforma-date">{ terms.date.to_string() }</dd>
                <dt>{ t(lang, "valid-until") }</dt><dd id="proforma-valid">{ terms.valid_until.to_string() }</dd>
            </dl>
            <table class="items">
                <thead><tr>
                    <th>{ t(lang, "item") }</th><th class="num">{ t(lang, "qty") }</th>
                    <th class="num">{ format!("{} ({} {})", t(lang, "unit-price"), q.label, cur) }</th>
                    <th class="num">{ t(lang, "amount") }</th>
                </tr></thead>
                <tbody><tr>
                    <td>{ t(lang, "goods") }</td><td class="num">{ q.quantity.to_string() }</td>
                    <td class="num">{ q.unit_price.amount.to_string() }</td><td class="num" id="proforma-total">{ money(q.total.amount, cur) }</td>
                </tr></tbody>
            </table>
            if !r.rows.is_empty() {
                <p><strong>{ t(lang, "tier-table") }</strong></p>
                <ul>{ for r.rows.iter().map(|row| html! {
                    <li>{ model::tier_range(row) }{ ": " }{ money(row.unit_price, cur) }</li>
                }) }</ul>
            }
            if let Some(k) = &r.packing {
                <p>{ t(lang, "packing") }{ ": " }<span id="proforma-packing">{ k.summary(lang) }</span></p>
            }
            <p>{ t(lang, "terms") }{ ": " }<span id="proforma-terms">{ format!("{} · {}", q.label, terms.payment) }</span></p>
            <p class="muted">{ say(lang, &q.rounding) }</p>
        </article>
    }
}

/// The order's cartons, weight and volume, the W/M freight when it set the freight, and
/// what a full container of each standard size holds.
fn packing_view(k: &model::Packing, cur: crossquote::Currency, lang: Lang) -> Html {
    html! {
        <section id="w-packing" class="packing">
            <p><strong>{ t(lang, "packing") }</strong>{ ": " }<span id="w-packing-summary">{ k.summary(lang) }</span></p>
            if let Some(w) = &k.freight {
                <p id="w-wm-freight">
                    { format!("{}: {} {} ({}) = {}", t(lang, "wm-freight"), w.freight_tons, t(lang, "freight-tons"), w.basis, money(w.total.amount, cur)) }
                </p>
            }
            <table id="w-fill">
                <caption>{ t(lang, "container-fill") }</caption>
                <thead><tr>
                    <th>{ t(lang, "container") }</th><th class="num">{ t(lang, "cartons") }</th>
                    <th class="num">{ t(lang, "pieces") }</th>
                </tr></thead>
                <tbody>
                    { for k.fills.iter().map(|(name, fill)| match fill {
                        Ok(x) => html! {
                            <tr>
                                <td>{ format!("{name} ({} {})", t(lang, "limited-by"), t(lang, if x.limited_by == "weight" { "weight-limit" } else { "volume" })) }</td>
                                <td class="num">{ x.cartons.to_string() }</td>
                                <td class="num">{ x.pieces.to_string() }</td>
                            </tr>
                        },
                        Err(e) => html! { <tr><td>{ name.clone() }</td><td colspan="2" class="error">{ e.clone() }</td></tr> },
                    }) }
                </tbody>
            </table>
        </section>
    }
}

fn wholesale_view(
    state: &AppState,
    profile: &Profile,
    dispatch: Callback<(&'static str, String)>,
) -> Html {
    let lang = state.stored.lang;
    let f = &state.stored.wholesale;
    let result = model::compute_wholesale(f, profile);
    let pf = today().map(|d| model::proforma_terms(f, d));
    let mut all: Problems = result.as_ref().err().cloned().unwrap_or_default();
    if let Some(Err(p)) = &pf {
        all.extend(p.iter().cloned());
    }
    let problems = &all;
    let terms = ["EXW", "FCA", "FOB", "CFR", "CPT", "CIF", "CIP", "DAP"]
        .iter()
        .map(|x| ((*x).to_owned(), (*x).to_owned()))
        .collect();
    let currencies = ["USD", "EUR", "GBP", "AUD", "CAD"]
        .iter()
        .map(|x| ((*x).to_owned(), (*x).to_owned()))
        .collect();
    let d = dispatch;
    let form = html! {
        <form class="quote-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            { select(lang, "w-term", &f.term, terms, problems, d.clone()) }
            { text_input(lang, "w-quantity", &f.quantity, problems, d.clone()) }
            { select(lang, "w-currency", &f.currency, currencies, problems, d.clone()) }
            { text_input(lang, "w-cost", &f.cost, problems, d.clone()) }
            { text_input(lang, "w-vat", &f.vat, problems, d.clone()) }
            { text_input(lang, "w-rebate", &f.rebate, problems, d.clone()) }
            { text_input(lang, "w-fees", &f.fees, problems, d.clone()) }
            { text_input(lang, "w-freight", &f.freight, problems, d.clone()) }
            <fieldset class="carton">
                <legend>{ t(lang, "packing") }</legend>
                { text_input(lang, "w-carton-pieces", &f.carton_pieces, problems, d.clone()) }
                { text_input(lang, "w-carton-kg", &f.carton_kg, problems, d.clone()) }
                { text_input(lang, "w-carton-length", &f.carton_length, problems, d.clone()) }
                { text_input(lang, "w-carton-width", &f.carton_width, problems, d.clone()) }
                { text_input(lang, "w-carton-height", &f.carton_height, problems, d.clone()) }
                { text_input(lang, "w-wm-rate", &f.wm_rate, problems, d.clone()) }
            </fieldset>
            { text_input(lang, "w-insurance", &f.insurance, problems, d.clone()) }
            { text_input(lang, "w-profit", &f.profit, problems, d.clone()) }
            { text_input(lang, "w-bank", &f.bank, problems, d.clone()) }
            { text_input(lang, "w-commission", &f.commission, problems, d.clone()) }
            { text_input(lang, "w-tiers", &f.tiers, problems, d.clone()) }
            { text_input(lang, "w-min-margin", &f.min_margin, problems, d.clone()) }
            { text_input(lang, "w-buyer", &f.buyer, problems, d.clone()) }
            { text_input(lang, "w-payment", &f.payment, problems, d.clone()) }
            { text_input(lang, "w-valid", &f.valid, problems, d) }
        </form>
    };
    let output = match &result {
        Err(p) => general_problems(p, lang),
        Ok(r) => {
            let q = &r.quote;
            let cur = q.unit_price.currency;
            html! {
                <section class="result" aria-live="polite">
                    <p class="price">{ format!("{} ", q.label) }<output id="w-price">{ money(q.unit_price.amount, cur) }</output></p>
                    <p>{ format!("× {} = {}", q.quantity, money(q.total.amount, cur)) }</p>
                    <p>
                        { t(lang, "fx-cost") }{ " " }<span id="w-fx-cost">{ q.results.fx_cost.to_string() }</span>
                        { " · " }{ t(lang, "profit-rate") }{ " " }<span id="w-profit-rate">{ q.results.profit_rate.map_or("–".to_owned(), |p| p.to_string()) }</span>
                    </p>
                    <p class="muted">{ say(lang, &q.rounding) }</p>
                    if let Some(k) = &r.packing {
                        { packing_view(k, cur, lang) }
                    }
                    if !r.rows.is_empty() {
                        <table id="tier-table">
                            <caption>{ t(lang, "tier-table") }</caption>
                            <thead><tr><th>{ t(lang, "qty") }</th><th class="num">{ t(lang, "unit-price") }</th><th class="num">{ t(lang, "margin-out") }</th></tr></thead>
                            <tbody>
                                { for r.rows.iter().map(|row| html! {
                                    <tr class={model::tier_holds(row, q.quantity).then_some("quoted")}>
                                        <td>{ model::tier_range(row) }</td>
                                        <td class="num">{ money(row.unit_price, cur) }</td>
                                        <td class="num">{ row.margin.map_or("–".to_owned(), |m| m.to_string()) }</td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                        <p class="muted">{ t(lang, "tier-note") }</p>
                    }
                    { tier_chart(&r.rows, cur, lang) }
                    { for r.warnings.iter().map(|w| html! { <p class="error">{ say(lang, w) }</p> }) }
                    { breakdown_chart(&q.breakdown) }
                    <div class="tables">{ breakdown_table("w-breakdown", format!("{} ({})", t(lang, "breakdown"), cur), &q.breakdown, lang) }</div>
                    <button id="print" class="no-print" onclick={Callback::from(|_| {
                        if let Some(w) = web_sys::window() {
                            let _ = w.print();
                        }
                    })}>{ t(lang, "print") }</button>
                    if let Some(Ok(pf)) = &pf {
                        { proforma(r, pf, profile, lang) }
                    }
                </section>
            }
        }
    };
    html! { <div class="layout">{ form }{ output }</div> }
}

/// Unit price (bars) and margin (a line) against quantity, one column per tier.
fn tier_chart(
    rows: &[crossquote::b2b::tiers::TierRow],
    cur: crossquote::Currency,
    lang: Lang,
) -> Html {
    let bars = model::tier_bars(rows);
    if bars.len() < 2 {
        return html! {};
    }
    // viewBox units: each tier 40 wide; heights 0–100 drawn from y = 110 up.
    let base = Decimal::from(110);
    let x = |i: usize| Decimal::from(i.saturating_mul(40));
    let margin_points: Vec<String> = bars
        .iter()
        .enumerate()
        .filter_map(|(i, b)| {
            let h = b.margin_height?;
            Some(format!("{},{}", x(i).checked_add(Decimal::from(20))?, base.checked_sub(h)?))
        })
        .collect();
    let width = x(bars.len());
    html! {
        <figure class="tier-chart">
            <svg id="tier-chart" viewBox={format!("0 0 {width} 112")} width="100%" height="140" role="img"
                 aria-label={t(lang, "tier-chart").to_owned()} preserveAspectRatio="none">
                { for bars.iter().enumerate().map(|(i, b)| {
                    let top = base.checked_sub(b.price_height).unwrap_or(base);
                    html! {
                        <g>
                            <rect class="tier-bar" x={x(i).checked_add(Decimal::from(8)).unwrap_or_default().to_string()} y={top.to_string()} width="24" height={b.price_height.to_string()}>
                                <title>{ format!("{}: {} · {}", b.label, money(b.unit_price, cur), b.margin.map_or("–".to_owned(), |m| m.to_string())) }</title>
                            </rect>
                        </g>
                    }
                }) }
                if margin_points.len() > 1 {
                    <polyline class="tier-margin" points={margin_points.join(" ")} />
                }
            </svg>
            <div class="tier-labels">{ for bars.iter().map(|b| html! { <span>{ b.label.clone() }</span> }) }</div>
            <figcaption class="muted"><span class="key bar"></span>{ t(lang, "unit-price") }{ " " }<span class="key line"></span>{ t(lang, "margin-out") }</figcaption>
        </figure>
    }
}

/// The reply text with its numbers marked, for highlighting.
fn marked(r: &crossquote::reply::Reply) -> Html {
    let mut parts = Vec::new();
    let mut at = 0usize;
    let mut numbers: Vec<_> = r.numbers.iter().collect();
    numbers.sort_by_key(|n| n.start);
    for n in numbers {
        if n.start < at || n.end > r.text.len() {
            continue;
        }
        parts.push(html! { { r.text.get(at..n.start).unwrap_or_default().to_owned() } });
        parts.push(html! { <mark title={n.source.clone()}>{ n.text.clone() }</mark> });
        at = n.end;
    }
    parts.push(html! { { r.text.get(at..).unwrap_or_default().to_owned() } });
    parts.into_iter().collect()
}

/// The seller's clock, minutes since midnight UTC (the one place the app reads a clock).
fn utc_minutes_now() -> u32 {
    let d = js_sys::Date::new_0();
    d.get_utc_hours().saturating_mul(60).saturating_add(d.get_utc_minutes())
}

fn reply_view(
    state: &AppState,
    profile: &Profile,
    dispatch: Callback<(&'static str, String)>,
    copy: Callback<String>,
) -> Html {
    let lang = state.stored.lang;
    let f = &state.stored.reply;
    let result = model::compute_reply(
        f,
        &state.stored.retail,
        &state.stored.wholesale,
        profile,
        utc_minutes_now(),
    );
    let none = Problems::new();
    let problems = result.as_ref().err().unwrap_or(&none);
    let opts = |xs: &[(&str, &str)]| {
        xs.iter().map(|(v, l)| ((*v).to_owned(), t(lang, l).to_owned())).collect::<Vec<_>>()
    };
    let scenarios =
        model::REPLY_SCENARIOS.iter().map(|k| ((*k).to_owned(), t(lang, k).to_owned())).collect();
    let d = dispatch;
    let form = html! {
        <form class="quote-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            { select(lang, "r-scenario", &f.scenario, scenarios, problems, d.clone()) }
            { text_input(lang, "r-name", &f.name, problems, d.clone()) }
            { text_input(lang, "r-greeting", &f.greeting, problems, d.clone()) }
            { select(lang, "r-buyer", &f.buyer, opts(&[("first", "buyer-first"), ("returning", "buyer-returning")]), problems, d.clone()) }
            { select(lang, "r-language", &f.language, opts(&[("", "language-market"), ("en", "English"), ("ru", "Русский"), ("pt-BR", "Português (BR)"), ("es", "Español"), ("fr", "Français")]), problems, d.clone()) }
            { select(lang, "r-channel", &f.channel, opts(&[("letter", "channel-letter"), ("im", "channel-im")]), problems, d.clone()) }
            { select(lang, "r-layout", &f.layout, opts(&[("block", "layout-block"), ("indented", "layout-indented"), ("semi_block", "layout-semi-block")]), problems, d.clone()) }
            { text_input(lang, "r-quantity", &f.quantity, problems, d.clone()) }
            { text_input(lang, "r-discount", &f.discount, problems, d.clone()) }
            { text_input(lang, "r-offer", &f.offer, problems, d.clone()) }
            { text_input(lang, "r-floor", &f.floor, problems, d.clone()) }
            { text_input(lang, "r-days", &f.days, problems, d.clone()) }
            { text_input(lang, "r-stock", &f.stock, problems, d.clone()) }
            { text_input(lang, "r-lot", &f.lot, problems, d.clone()) }
            { text_input(lang, "r-lead", &f.lead, problems, d.clone()) }
            { text_input(lang, "r-valid", &f.valid, problems, d.clone()) }
            { text_input(lang, "r-seller", &f.seller, problems, d) }
        </form>
    };
    let output = match &result {
        Err(p) => general_problems(p, lang),
        Ok(r) => {
            let bt = &r.buyer_time;
            let text = r.replies.reply.text.clone();
            let onclick = Callback::from(move |_| copy.emit(text.clone()));
            html! {
                <section class="result" aria-live="polite">
                    <p id="buyer-time">
                        { t(lang, "buyer-time") }{ " " }{ bt.local.clone() }{ " · " }
                        { t(lang, if bt.awake { "buyer-awake" } else { "buyer-asleep" }) }
                    </p>
                    if let Some(m) = r.margin {
                        <p>{ t(lang, "margin-out") }{ " " }<span id="reply-margin">{ m.to_string() }</span></p>
                    }
                    { for r.replies.reply.warnings.iter().map(|w| html! { <p class="error">{ say(lang, w) }</p> }) }
                    <div class="replies">
                        <div>
                            <pre id="reply-text" lang={r.replies.reply.language.clone()}>{ marked(&r.replies.reply) }</pre>
                            <button id="copy" {onclick}>{ t(lang, "copy") }</button>
                            <span id="copied" role="status">{
                                match state.copied { Some(true) => t(lang, "copied"), Some(false) => t(lang, "copy-failed"), None => "" }
                            }</span>
                        </div>
                        <div>
                            <p class="muted">{ t(lang, "agent-check") }</p>
                            <pre id="reply-zh" lang="zh-CN">{ marked(&r.replies.agent) }</pre>
                        </div>
                    </div>
                </section>
            }
        }
    };
    html! { <div class="layout">{ form }{ output }</div> }
}

/// Lines of the sheet shown per preview page.
const PAGE: usize = 20;
/// Catalog records priced between two repaints of the progress bar.
const SLICE: usize = 2_000;

/// The price-sheet tab's inputs.
#[derive(Properties)]
pub struct SheetProps {
    /// Interface language.
    pub lang: Lang,
    /// The stored settings.
    pub form: model::SheetForm,
    /// The seller profile.
    pub profile: Rc<Profile>,
    /// A setting changed (element id, text).
    pub onchange: Callback<(&'static str, String)>,
}

impl PartialEq for SheetProps {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang
            && self.form == other.form
            && Rc::ptr_eq(&self.profile, &other.profile)
    }
}

/// A finished sheet with its download links (the object URLs live as long as it does).
struct MadeSheet {
    out: model::SheetOutput,
    csv_url: gloo::file::ObjectUrl,
    rejected_url: gloo::file::ObjectUrl,
    /// The sheet's lines after the header, for the preview.
    lines: Vec<String>,
    /// The rejected rows' cells after the header.
    rejected: Vec<Vec<String>>,
}

impl MadeSheet {
    fn new(out: model::SheetOutput) -> MadeSheet {
        let url = |text: &str| {
            gloo::file::ObjectUrl::from(gloo::file::Blob::new_with_options(
                text,
                Some("text/csv;charset=utf-8"),
            ))
        };
        let lines = out.csv.lines().skip(1).map(str::to_owned).collect();
        let rejected = csv::Reader::from_reader(out.rejected.as_bytes())
            .records()
            .filter_map(Result::ok)
            .map(|r| r.iter().map(str::to_owned).collect())
            .collect();
        MadeSheet { csv_url: url(&out.csv), rejected_url: url(&out.rejected), out, lines, rejected }
    }
}

/// Offers `contents` as a download named `name`. Its object URL is kept in `slot` (until
/// the next offer) so that it lives while the browser fetches it.
fn offer_download(
    contents: impl gloo::file::BlobContents,
    mime: &str,
    name: &str,
    slot: &std::cell::RefCell<Option<gloo::file::ObjectUrl>>,
) {
    use wasm_bindgen::JsCast;
    let url = gloo::file::ObjectUrl::from(gloo::file::Blob::new_with_options(contents, Some(mime)));
    if let Ok(a) = gloo::utils::document().create_element("a") {
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", name);
        if let Some(a) = a.dyn_ref::<web_sys::HtmlElement>() {
            a.click();
        }
    }
    *slot.borrow_mut() = Some(url);
}

/// The first file an input or a drop carries.
fn first_file(files: Option<web_sys::FileList>) -> Option<web_sys::File> {
    files.and_then(|l| l.get(0))
}

/// Reads `file` as text and hands it to `then`; the read is kept in `slot` (until the
/// next one), since dropping it cancels it.
fn read_text(
    file: web_sys::File,
    slot: &std::cell::RefCell<Option<gloo::file::callbacks::FileReader>>,
    then: impl FnOnce(String) + 'static,
) {
    let task = gloo::file::callbacks::read_as_text(&file.into(), move |text| {
        if let Ok(text) = text {
            then(text);
        }
    });
    *slot.borrow_mut() = Some(task);
}

/// Prices the catalog in slices, showing progress between them, then shows the sheet.
fn make_sheet(
    form: model::SheetForm,
    profile: Rc<Profile>,
    catalog: String,
    progress: UseStateHandle<Option<(usize, usize)>>,
    made: UseStateHandle<Option<Rc<MadeSheet>>>,
    problems: UseStateHandle<Problems>,
    page: UseStateHandle<usize>,
) {
    wasm_bindgen_futures::spawn_local(async move {
        let mut job = match model::SheetJob::new(&form, &profile, &catalog) {
            Ok(job) => job,
            Err(p) => {
                problems.set(p);
                made.set(None);
                return;
            }
        };
        problems.set(Problems::new());
        while !job.step(SLICE) {
            progress.set(Some(job.progress()));
            gloo::timers::future::TimeoutFuture::new(0).await;
        }
        progress.set(None);
        page.set(0);
        made.set(Some(Rc::new(MadeSheet::new(job.finish()))));
    });
}

/// The price-sheet tab: settings, the catalog, and the sheet with its rejected rows.
#[function_component(SheetView)]
pub fn sheet_view(props: &SheetProps) -> Html {
    let lang = props.lang;
    let f = &props.form;
    let catalog = use_state(String::new);
    let progress = use_state(|| None::<(usize, usize)>);
    let made = use_state(|| None::<Rc<MadeSheet>>);
    let problems = use_state(Problems::new);
    let page = use_state(|| 0usize);
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let xlsx_url = use_mut_ref(|| None::<gloo::file::ObjectUrl>);
    let load_file = {
        let (catalog, reader) = (catalog.clone(), reader.clone());
        move |file: Option<web_sys::File>| {
            let catalog = catalog.clone();
            if let Some(file) = file {
                read_text(file, &reader, move |text| catalog.set(text));
            }
        }
    };
    let on_file = {
        let load = load_file.clone();
        Callback::from(move |e: Event| {
            load(first_file(e.target_unchecked_into::<HtmlInputElement>().files()))
        })
    };
    let on_drop = Callback::from(move |e: DragEvent| {
        e.prevent_default();
        load_file(first_file(e.data_transfer().and_then(|d| d.files())));
    });
    let on_paste = {
        let catalog = catalog.clone();
        Callback::from(move |e: InputEvent| {
            catalog.set(e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value())
        })
    };
    let on_make = {
        let (form, profile, catalog) = (f.clone(), props.profile.clone(), catalog.clone());
        let (progress, made, problems, page) =
            (progress.clone(), made.clone(), problems.clone(), page.clone());
        Callback::from(move |_| {
            make_sheet(
                form.clone(),
                profile.clone(),
                (*catalog).clone(),
                progress.clone(),
                made.clone(),
                problems.clone(),
                page.clone(),
            )
        })
    };
    // The workbook is made when asked for, not with every sheet.
    let on_xlsx = {
        let (made, problems) = (made.clone(), problems.clone());
        Callback::from(move |_| {
            let Some(m) = &*made else { return };
            match model::sheet_xlsx(&m.out.csv) {
                Ok(bytes) => offer_download(
                    &bytes[..],
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "price-sheet.xlsx",
                    &xlsx_url,
                ),
                Err(e) => problems.set(vec![(None, e)]),
            }
        })
    };
    let p = &*problems;
    let d = props.onchange.clone();
    let profile = &props.profile;
    let services: Vec<(String, String)> =
        profile.services.iter().map(|s| (s.id.clone(), s.name.clone())).collect();
    let mut platforms = vec![(String::new(), t(lang, "s-platform-none").to_owned())];
    platforms.extend(profile.platforms.iter().map(|x| (x.id.clone(), x.name.clone())));
    let currencies = ["USD", "EUR", "GBP", "AUD", "CAD", "JPY", "BRL", "RUB", "CNY"]
        .iter()
        .map(|x| ((*x).to_owned(), (*x).to_owned()))
        .collect();
    let precisions = vec![
        ("exact".to_owned(), t(lang, "s-precision-exact").to_owned()),
        ("python".to_owned(), t(lang, "s-precision-python").to_owned()),
    ];
    let catalog_error = problem_for(p, "s-catalog");
    let form = html! {
        <form class="quote-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <fieldset id="s-service" class={classes!("services", problem_for(p, "s-service").map(|_| "invalid"))} aria-describedby="s-service-error">
                <legend>{ t(lang, "s-service") }</legend>
                { for services.into_iter().map(|(id, name)| {
                    let on = model::service_chosen(&f.service, &id);
                    let (d, list, profile, box_id) = (d.clone(), f.service.clone(), props.profile.clone(), format!("s-service-{id}"));
                    let toggle = Callback::from(move |e: Event| {
                        let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
                        d.emit(("s-service", model::toggle_service(&list, &id, checked, &profile)));
                    });
                    html! {
                        <label class="check" for={box_id.clone()}>
                            <input type="checkbox" id={box_id} checked={on} onchange={toggle} />{ " " }{ name }
                        </label>
                    }
                }) }
                <span class="error" id="s-service-error">{ problem_for(p, "s-service").map(|m| say(lang, m)).unwrap_or_default() }</span>
            </fieldset>
            { select(lang, "s-currency", &f.currency, currencies, p, d.clone()) }
            { select(lang, "s-platform", &f.platform, platforms, p, d.clone()) }
            { text_input(lang, "s-fees", &f.fees, p, d.clone()) }
            { text_input(lang, "s-tiers", &f.tiers, p, d.clone()) }
            { text_input(lang, "s-zones", &f.zones, p, d.clone()) }
            { text_input(lang, "s-quantities", &f.quantities, p, d.clone()) }
            { select(lang, "s-precision", &f.precision, precisions, p, d) }
            <div class={classes!("field", catalog_error.map(|_| "invalid"))}>
                <label for="s-catalog">{ t(lang, "s-catalog") }</label>
                <textarea id="s-catalog" rows="6" spellcheck="false" value={(*catalog).clone()}
                    oninput={on_paste} ondrop={on_drop} ondragover={Callback::from(|e: DragEvent| e.prevent_default())}
                    aria-describedby="s-catalog-error" />
                <span class="error" id="s-catalog-error">{ catalog_error.map(|m| say(lang, m)).unwrap_or_default() }</span>
            </div>
            <div class="field">
                <label for="s-file">{ t(lang, "s-file") }</label>
                <input id="s-file" type="file" accept=".csv,text/csv" onchange={on_file} />
            </div>
            <button id="s-make" type="button" onclick={on_make} disabled={progress.is_some()}>{ t(lang, "s-make") }</button>
        </form>
    };
    let status = match *progress {
        Some((done, all)) => html! {
            <p>{ t(lang, "s-working") }{ " " }<progress id="s-progress" value={done.to_string()} max={all.to_string()} />{ format!(" {done} / {all}") }</p>
        },
        None => html! {},
    };
    let output = match &*made {
        None => {
            html! { { for p.iter().filter(|(f, _)| f.is_none()).map(|(_, m)| html! { <p class="error">{ say(lang, m) }</p> }) } }
        }
        Some(m) => {
            let c = m.out.tally;
            let pages = m.lines.len().div_ceil(PAGE).max(1);
            let at = (*page).min(pages.saturating_sub(1));
            let shown = m.lines.iter().skip(at.saturating_mul(PAGE)).take(PAGE);
            let header: Vec<String> = m
                .out
                .csv
                .lines()
                .next()
                .unwrap_or_default()
                .split(',')
                .map(str::to_owned)
                .collect();
            let cells = |line: &str| -> Vec<String> {
                csv::ReaderBuilder::new()
                    .has_headers(false)
                    .from_reader(line.as_bytes())
                    .records()
                    .next()
                    .and_then(Result::ok)
                    .map(|r| r.iter().map(str::to_owned).collect())
                    .unwrap_or_default()
            };
            let go = |to: usize| {
                let page = page.clone();
                Callback::from(move |_| page.set(to))
            };
            html! {
                <>
                    <p id="s-summary">{ format!("{} {} · {} {} · {} {}", c.rows, t(lang, "s-rows"), c.lines, t(lang, "s-lines"), c.rejected_rows.saturating_add(c.rejected_lines), t(lang, "s-rejected-count")) }</p>
                    <p>
                        <a id="s-download-csv" class="button" href={m.csv_url.to_string()} download="price-sheet.csv">{ t(lang, "s-download-csv") }</a>
                        { " " }
                        <button id="s-download-xlsx" type="button" onclick={on_xlsx}>{ t(lang, "s-download-xlsx") }</button>
                        { " " }
                        <a id="s-download-rejected" class="button" href={m.rejected_url.to_string()} download="price-sheet.rejected.csv">{ t(lang, "s-download-rejected") }</a>
                    </p>
                    if !m.out.ignored.is_empty() {
                        <p class="muted">{ t(lang, "s-ignored") }{ ": " }{ m.out.ignored.join(", ") }</p>
                    }
                    <div class="scroll">
                        <table id="s-preview">
                            <thead><tr>{ for header.iter().map(|h| html! { <th>{ h.clone() }</th> }) }</tr></thead>
                            <tbody>{ for shown.map(|l| html! { <tr>{ for cells(l).into_iter().map(|c| html! { <td>{ c }</td> }) }</tr> }) }</tbody>
                        </table>
                    </div>
                    <p class="pager">
                        <button id="s-prev" type="button" disabled={at == 0} onclick={go(at.saturating_sub(1))}>{ t(lang, "s-prev") }</button>
                        <span id="s-page">{ format!(" {} / {} ", at.saturating_add(1), pages) }</span>
                        <button id="s-next" type="button" disabled={at.saturating_add(1) >= pages} onclick={go(at.saturating_add(1))}>{ t(lang, "s-next") }</button>
                    </p>
                    if !m.rejected.is_empty() {
                        <table id="s-rejected">
                            <caption>{ t(lang, "s-rejected") }</caption>
                            <thead><tr><th>{ t(lang, "row") }</th><th>{ "SKU" }</th><th>{ t(lang, "reason") }</th></tr></thead>
                            <tbody>{ for m.rejected.iter().take(200).map(|r| html! {
                                <tr><td>{ r.first().cloned().unwrap_or_default() }</td><td>{ r.get(1).cloned().unwrap_or_default() }</td><td>{ r.get(4).cloned().unwrap_or_default() }</td></tr>
                            }) }</tbody>
                        </table>
                    }
                </>
            }
        }
    };
    html! { <div class="layout">{ form }<section class="result" aria-live="polite">{ status }{ output }</section></div> }
}

/// The settings tab's inputs.
#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    /// Interface language.
    pub lang: Lang,
    /// The profile in use.
    pub state: ProfileState,
    /// A checked profile to use and keep (the profile, its text).
    pub on_apply: Callback<(Rc<Profile>, String)>,
    /// Back to the built-in profile.
    pub on_reset: Callback<()>,
}

/// Settings: the seller profile as JSON (checked by the core, problems by line), its
/// exchange rates, ECB import, JSON import and export, and reset to the built-in one.
#[function_component(SettingsView)]
pub fn settings_view(props: &SettingsProps) -> Html {
    let lang = props.lang;
    let draft = use_state(|| props.state.text.clone());
    let problems = use_state(Vec::<String>::new);
    let note = use_state(String::new);
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let export_url = use_mut_ref(|| None::<gloo::file::ObjectUrl>);
    {
        // A new profile in use (applied or reset) becomes the draft.
        let (draft, text) = (draft.clone(), props.state.text.clone());
        use_effect_with(text, move |text| draft.set(text.clone()));
    }
    let read_file = {
        let reader = reader.clone();
        move |e: Event, then: Box<dyn FnOnce(String)>| {
            if let Some(file) = first_file(e.target_unchecked_into::<HtmlInputElement>().files()) {
                read_text(file, &reader, then);
            }
        }
    };
    let on_import = {
        let (draft, problems, note, read) =
            (draft.clone(), problems.clone(), note.clone(), read_file.clone());
        Callback::from(move |e: Event| {
            let (draft, problems, note) = (draft.clone(), problems.clone(), note.clone());
            read(
                e,
                Box::new(move |text| {
                    problems.set(model::check_profile(&text).err().unwrap_or_default());
                    note.set(String::new());
                    draft.set(text);
                }),
            );
        })
    };
    let on_ecb = {
        let (draft, problems, note) = (draft.clone(), problems.clone(), note.clone());
        Callback::from(move |e: Event| {
            let (draft, problems, note) = (draft.clone(), problems.clone(), note.clone());
            read_file(
                e,
                Box::new(move |xml| match model::with_ecb_rates(&draft, &xml) {
                    Ok((text, n)) => {
                        problems.set(model::check_profile(&text).err().unwrap_or_default());
                        note.set(n);
                        draft.set(text);
                    }
                    Err(m) => problems.set(vec![m]),
                }),
            );
        })
    };
    let on_edit = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            draft.set(e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value())
        })
    };
    let on_apply = {
        let (draft, problems, note, apply) =
            (draft.clone(), problems.clone(), note.clone(), props.on_apply.clone());
        Callback::from(move |_| match model::check_profile(&draft) {
            Ok(p) => {
                problems.set(Vec::new());
                note.set(String::new());
                apply.emit((Rc::new(p), (*draft).clone()));
            }
            Err(e) => problems.set(e),
        })
    };
    let on_export = {
        let text = props.state.text.clone();
        Callback::from(move |_| {
            offer_download(
                text.as_str(),
                "application/json",
                "crossquote-profile.json",
                &export_url,
            )
        })
    };
    let on_reset = {
        let reset = props.on_reset.clone();
        Callback::from(move |_| reset.emit(()))
    };
    let rates = &props.state.profile.rates;
    let opt = |d: Option<Decimal>| d.map_or("–".to_owned(), |d| d.to_string());
    html! {
        <div class="layout">
            <form class="quote-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <p id="p-source">{ t(lang, if props.state.own { "p-own" } else { "p-builtin" }) }</p>
                <div class="field">
                    <label for="p-import">{ t(lang, "p-import") }</label>
                    <input id="p-import" type="file" accept=".json,application/json" onchange={on_import} />
                </div>
                <div class="field">
                    <label for="p-ecb">{ t(lang, "p-ecb") }</label>
                    <input id="p-ecb" type="file" accept=".xml,text/xml,application/xml" onchange={on_ecb} />
                </div>
                <p>
                    <button id="p-export" type="button" onclick={on_export}>{ t(lang, "p-export") }</button>{ " " }
                    <button id="p-reset" type="button" onclick={on_reset} disabled={!props.state.own}>{ t(lang, "p-reset") }</button>
                </p>
                <table id="p-rates">
                    <caption>{ format!("{} · {}", t(lang, "p-rates"), rates.as_of) }</caption>
                    <thead><tr><th>{ t(lang, "p-pair") }</th><th class="num">{ t(lang, "p-mid") }</th><th class="num">{ t(lang, "p-buying") }</th><th class="num">{ t(lang, "p-selling") }</th></tr></thead>
                    <tbody>{ for rates.pairs.iter().map(|p| html! {
                        <tr><td>{ format!("{}/{}", p.from, p.to) }</td><td class="num">{ p.mid.to_string() }</td><td class="num">{ opt(p.bank_buying) }</td><td class="num">{ opt(p.bank_selling) }</td></tr>
                    }) }</tbody>
                </table>
            </form>
            <section class="result">
                <div class="field">
                    <label for="p-json">{ t(lang, "p-json") }</label>
                    <textarea id="p-json" rows="24" spellcheck="false" value={(*draft).clone()} oninput={on_edit} aria-describedby="p-problems" />
                </div>
                if !note.is_empty() {
                    <p id="p-note" role="status">{ (*note).clone() }</p>
                }
                <ul id="p-problems" class="error">{ for problems.iter().map(|m| html! { <li>{ m.clone() }</li> }) }</ul>
                <button id="p-apply" type="button" onclick={on_apply}>{ t(lang, "p-apply") }</button>
            </section>
        </div>
    }
}

/// The app.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| load_state(Lang::En));
    // Marks the first render in the page's performance timeline (bench/web-budgets.sh).
    use_effect_with((), |()| {
        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
            let _ = p.mark("crossquote-first-render");
        }
    });
    let profile_state = use_state(load_profile);
    {
        let stored = state.stored.clone();
        use_effect_with(stored, |stored| {
            if let Ok(text) = serde_json::to_string(stored) {
                let _ = LocalStorage::raw().set_item(STORAGE_KEY, &text);
            }
        });
    }
    let current: ProfileState = match &*profile_state {
        Ok(p) => p.clone(),
        Err(message) => return html! { <p class="error">{ message.clone() }</p> },
    };
    let shared: Rc<Profile> = Rc::clone(&current.profile);
    let on_apply = {
        let ps = profile_state.clone();
        Callback::from(move |(profile, text): (Rc<Profile>, String)| {
            let _ = LocalStorage::raw().set_item(PROFILE_KEY, &text);
            ps.set(Ok(ProfileState { profile, text, own: true, notice: None }));
        })
    };
    let on_reset = {
        let ps = profile_state.clone();
        Callback::from(move |()| {
            let _ = LocalStorage::raw().remove_item(PROFILE_KEY);
            ps.set(builtin_profile());
        })
    };
    let dismiss_profile = {
        let ps = profile_state.clone();
        let cur = current.clone();
        Callback::from(move |_| ps.set(Ok(ProfileState { notice: None, ..cur.clone() })))
    };
    let profile: &Profile = &shared;
    let lang = state.stored.lang;
    let tab = state.stored.tab;
    let retail = {
        let s = state.clone();
        Callback::from(move |(id, v): (&'static str, String)| s.dispatch(Action::Retail(id, v)))
    };
    let wholesale = {
        let s = state.clone();
        Callback::from(move |(id, v): (&'static str, String)| s.dispatch(Action::Wholesale(id, v)))
    };
    let reply = {
        let s = state.clone();
        Callback::from(move |(id, v): (&'static str, String)| s.dispatch(Action::Reply(id, v)))
    };
    let sheet = {
        let s = state.clone();
        Callback::from(move |(id, v): (&'static str, String)| s.dispatch(Action::Sheet(id, v)))
    };
    let copy = {
        let s = state.clone();
        Callback::from(move |text: String| {
            let s = s.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let ok = match web_sys::window() {
                    Some(w) => wasm_bindgen_futures::JsFuture::from(
                        w.navigator().clipboard().write_text(&text),
                    )
                    .await
                    .is_ok(),
                    None => false,
                };
                s.dispatch(Action::Copied(ok));
            });
        })
    };
    let switch_lang = {
        let s = state.clone();
        let other = if lang == Lang::En { Lang::Zh } else { Lang::En };
        Callback::from(move |_| s.dispatch(Action::Lang(other)))
    };
    let tab_button = |id: &'static str, which: Tab| {
        let s = state.clone();
        html! {
            <button id={id} role="tab" aria-selected={(tab == which).to_string()} class={classes!("tab", (tab == which).then_some("active"))}
                onclick={Callback::from(move |_| s.dispatch(Action::Tab(which)))}>{ t(lang, id) }</button>
        }
    };
    let dismiss = {
        let s = state.clone();
        Callback::from(move |_| s.dispatch(Action::Dismiss))
    };
    html! {
        <main lang={if lang == Lang::Zh { "zh-CN" } else { "en" }}>
            <header>
                <h1>{ t(lang, "title") }</h1>
                <button id="lang" class="lang" onclick={switch_lang}>{ t(lang, "lang") }</button>
                <p class="muted">{ format!("{} · {} {}", profile.name, profile.rates.as_of, profile.rates.source.clone().unwrap_or_default()) }</p>
            </header>
            if let Some(n) = &state.notice {
                <div id="notice" class="notice" role="alert">
                    { t(lang, "notice-restored") }{ " " }{ n.clone() }
                    <button onclick={dismiss}>{ t(lang, "dismiss") }</button>
                </div>
            }
            if let Some(n) = &current.notice {
                <div id="profile-notice" class="notice" role="alert">
                    { n.clone() }{ " " }
                    <button onclick={dismiss_profile}>{ t(lang, "dismiss") }</button>
                </div>
            }
            <nav role="tablist">{ tab_button("tab-retail", Tab::Retail) }{ tab_button("tab-wholesale", Tab::Wholesale) }{ tab_button("tab-reply", Tab::Reply) }{ tab_button("tab-sheet", Tab::Sheet) }{ tab_button("tab-settings", Tab::Settings) }</nav>
            {
                match tab {
                    Tab::Retail => retail_view(&state, profile, retail),
                    Tab::Wholesale => wholesale_view(&state, profile, wholesale),
                    Tab::Reply => reply_view(&state, profile, reply, copy),
                    Tab::Settings => html! { <SettingsView lang={lang} state={current.clone()} on_apply={on_apply} on_reset={on_reset} /> },
                    Tab::Sheet => html! { <SheetView lang={lang} form={state.stored.sheet.clone()} profile={shared.clone()} onchange={sheet} /> },
                }
            }
        </main>
    }
}
