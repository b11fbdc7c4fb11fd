//! The reply tab: what the agent answers (a scenario and its few decisions: a discount, a
//! lot, the days a reminder holds) on the orders of the retail and wholesale tabs. The
//! numbers, the quantities and the buyer's country come from the orders through
//! [`order::reply`] (the retail order for a retail reply, the wholesale order for the
//! quotation letter, whose payment terms and validity are the proforma's); this module
//! parses the decisions and shows the reply.

use crossquote::order::reply::{self as desk, Ask, Drafted};
use crossquote::profile::Profile;
use crossquote::reply::{self, Buyer, Channel, Layout, ReplyRequest};
use crossquote::{Date, Percent};
use yew::prelude::*;

use crate::i18n::t;
use crate::model::{num, whole, Lang, Problems};
use crate::retail::{self, ItemForm, RetailForm};
use crate::view::{general_problems, say, select, text_input};
use crate::wholesale::{self, LineForm, WholesaleForm};

form! {
    /// The reply form, as typed: the agent's decisions; the numbers come from the orders.
    pub struct ReplyForm {
        /// Scenario key (see [`REPLY_SCENARIOS`]).
        scenario: "r-scenario" = "bargain_quantity",
        /// Reply language; empty for the market's.
        language: "r-language" = "",
        /// "letter" or "im".
        channel: "r-channel" = "letter",
        /// "block", "indented" or "semi_block".
        layout: "r-layout" = "block",
        /// The buyer's name.
        name: "r-name" = "Anna",
        /// How the buyer greeted us.
        greeting: "r-greeting" = "Hi",
        /// "first" or "returning".
        buyer: "r-buyer" = "first",
        /// The item (retail) or line (letter) the reply's unit prices are for, from 0.
        item: "r-item" = "0",
        /// The least quantity of a quantity discount.
        quantity: "r-quantity" = "3",
        /// Discount %.
        discount: "r-discount" = "5",
        /// Days a reminder's offer holds.
        days: "r-days" = "3",
        /// Pieces in stock.
        stock: "r-stock" = "12",
        /// Pieces in a lot.
        lot: "r-lot" = "10",
        /// Lead time, days.
        lead: "r-lead" = "25",
        /// Our signature.
        seller: "r-seller" = "Lily",
    }
}

/// The reply scenarios the app offers, by key.
pub const REPLY_SCENARIOS: [&str; 10] = [
    "bargain_quantity",
    "no_discount_gift",
    "counter_offer",
    "shipping_free",
    "unpaid_reminder",
    "lots",
    "payment_methods",
    "import_duties",
    "instalments",
    "wholesale_letter",
];

/// A written reply and the buyer's local time.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplyResult {
    /// The reply and its Chinese rendering.
    pub replies: reply::Replies,
    /// The buyer's local time now.
    pub buyer_time: reply::BuyerTime,
    /// What the reply's price leaves as margin on the order it speaks of.
    pub margin: Option<Percent>,
}

/// The orders the reply speaks of.
pub struct Orders<'a> {
    /// The retail order's fields.
    pub retail: &'a RetailForm,
    /// Its items.
    pub items: &'a [ItemForm],
    /// The wholesale order's fields.
    pub wholesale: &'a WholesaleForm,
    /// Its lines.
    pub lines: &'a [LineForm],
}

/// The paths of [`order::reply`]'s problems at the reply form's elements.
fn element(path: &str) -> Option<String> {
    Some(
        match path {
            "reply.discount" => "r-discount",
            "reply.min_quantity" => "r-quantity",
            "reply.days" => "r-days",
            "reply.lot_size" => "r-lot",
            "reply.lead_time" => "r-lead",
            "reply.item" | "reply.line" => "r-item",
            _ => return None,
        }
        .to_owned(),
    )
}

fn drafted(
    r: &ReplyForm,
    orders: &Orders<'_>,
    profile: &Profile,
    today: Date,
) -> Result<Drafted, Problems> {
    let mut p = Problems::new();
    let item = r.item.trim().parse::<usize>().unwrap_or_else(|_| {
        p.push((Some("r-item".into()), format!("`{}` is not an item", r.item)));
        0
    });
    if r.scenario == "wholesale_letter" {
        let lead = whole(&mut p, "r-lead", &r.lead);
        let (o, q) =
            wholesale::compute(orders.wholesale, orders.lines, profile, today).map_err(|_| {
                vec![(None, "the wholesale quote has problems: fix it first".to_owned())]
            })?;
        if !p.is_empty() {
            return Err(p);
        }
        return desk::letter(&o, &q, item, lead).map_err(from_desk);
    }
    let ask = match r.scenario.as_str() {
        "bargain_quantity" => Ask::BargainQuantity {
            min_quantity: whole(&mut p, "r-quantity", &r.quantity),
            discount: Percent::new(num(&mut p, "r-discount", &r.discount)),
        },
        "no_discount_gift" => Ask::NoDiscountGift,
        "counter_offer" => Ask::CounterOffer,
        "shipping_free" => Ask::ShippingFree,
        "unpaid_reminder" => Ask::UnpaidReminder {
            days: whole(&mut p, "r-days", &r.days),
            discount: Percent::new(num(&mut p, "r-discount", &r.discount)),
            stock: whole(&mut p, "r-stock", &r.stock),
        },
        "lots" => Ask::Lots { lot_size: whole(&mut p, "r-lot", &r.lot) },
        "payment_methods" => Ask::PaymentMethods,
        "import_duties" => Ask::ImportDuties,
        "instalments" => Ask::Instalments,
        other => {
            p.push((Some("r-scenario".into()), format!("unknown scenario `{other}`")));
            Ask::NoDiscountGift
        }
    };
    if !p.is_empty() {
        return Err(p);
    }
    let (o, q) = retail::compute(orders.retail, orders.items, profile)
        .map_err(|_| vec![(None, "the retail quote has problems: fix it first".to_owned())])?;
    desk::retail(&o, &q, profile, item, &ask).map_err(from_desk)
}

/// The desk's problems at the reply form's elements; the orders' own fields (on their
/// tabs) are said with their paths.
fn from_desk(e: crossquote::order::OrderError) -> Problems {
    match e {
        crossquote::order::OrderError::Invalid(list) => crate::model::by_field(list.0, element),
        other => vec![(None, other.to_string())],
    }
}

/// The reply for the forms; `today` dates the letter, `utc_minutes` is the seller's
/// clock (minutes since midnight UTC).
pub fn compute(
    r: &ReplyForm,
    orders: &Orders<'_>,
    profile: &Profile,
    today: Date,
    utc_minutes: u32,
) -> Result<ReplyResult, Problems> {
    let d = drafted(r, orders, profile, today)?;
    let market = profile
        .market(&d.country)
        .ok_or_else(|| vec![(None, format!("no market for `{}` in the profile", d.country))])?;
    let req = ReplyRequest {
        scenario: d.scenario,
        country: d.country.clone(),
        language: (!r.language.is_empty()).then(|| r.language.clone()),
        channel: if r.channel == "im" { Channel::Im } else { Channel::Letter },
        layout: match r.layout.as_str() {
            "indented" => Layout::Indented,
            "semi_block" => Layout::SemiBlock,
            _ => Layout::Block,
        },
        buyer: Buyer {
            name: r.name.clone(),
            greeting: r.greeting.clone(),
            returning: r.buyer == "returning",
        },
        seller: r.seller.clone(),
    };
    let templates = profile
        .templates()
        .map_err(|e| e.into_iter().map(|x| (None, x.to_string())).collect::<Problems>())?;
    let replies = reply::write(&req, &templates, profile)
        .map_err(|e| vec![(Some("r-scenario".to_owned()), e.to_string())])?;
    Ok(ReplyResult {
        replies,
        buyer_time: reply::buyer_time(market, utc_minutes),
        margin: d.margin,
    })
}

/// The reply text with its numbers marked, for highlighting.
fn marked(r: &reply::Reply) -> Html {
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

/// The reply tab.
pub fn view(
    lang: Lang,
    f: &ReplyForm,
    orders: &Orders<'_>,
    profile: &Profile,
    copied: Option<bool>,
    dispatch: Callback<(String, String)>,
    copy: Callback<String>,
) -> Html {
    let result = match crate::view::today() {
        Some(today) => compute(f, orders, profile, today, crate::view::utc_minutes_now()),
        None => Err(vec![(None, "the browser's clock gives no date".to_owned())]),
    };
    let none = Problems::new();
    let problems = result.as_ref().err().unwrap_or(&none);
    let opts = |xs: &[(&str, &str)]| {
        xs.iter().map(|(v, l)| ((*v).to_owned(), t(lang, l).to_owned())).collect::<Vec<_>>()
    };
    let scenarios =
        REPLY_SCENARIOS.iter().map(|k| ((*k).to_owned(), t(lang, k).to_owned())).collect();
    let items: Vec<(String, String)> = if f.scenario == "wholesale_letter" {
        orders
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                (i.to_string(), format!("{} {} {}", t(lang, "line"), i.saturating_add(1), l.sku))
            })
            .collect()
    } else {
        orders
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| {
                (
                    i.to_string(),
                    format!("{} {} {}", t(lang, "item-n"), i.saturating_add(1), it.name),
                )
            })
            .collect()
    };
    let d = dispatch;
    let shows = |keys: &[&str]| keys.contains(&f.scenario.as_str());
    let form = html! {
        <form class="quote-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            { select(lang, "r-scenario", &f.scenario, scenarios, problems, d.clone()) }
            { select(lang, "r-item", &f.item, items, problems, d.clone()) }
            { text_input(lang, "r-name", &f.name, problems, d.clone()) }
            { text_input(lang, "r-greeting", &f.greeting, problems, d.clone()) }
            { select(lang, "r-buyer", &f.buyer, opts(&[("first", "buyer-first"), ("returning", "buyer-returning")]), problems, d.clone()) }
            { select(lang, "r-language", &f.language, opts(&[("", "language-market"), ("en", "English"), ("ru", "Русский"), ("pt-BR", "Português (BR)"), ("es", "Español"), ("fr", "Français")]), problems, d.clone()) }
            { select(lang, "r-channel", &f.channel, opts(&[("letter", "channel-letter"), ("im", "channel-im")]), problems, d.clone()) }
            { select(lang, "r-layout", &f.layout, opts(&[("block", "layout-block"), ("indented", "layout-indented"), ("semi_block", "layout-semi-block")]), problems, d.clone()) }
            if shows(&["bargain_quantity"]) { { text_input(lang, "r-quantity", &f.quantity, problems, d.clone()) } }
            if shows(&["bargain_quantity", "unpaid_reminder"]) { { text_input(lang, "r-discount", &f.discount, problems, d.clone()) } }
            if shows(&["unpaid_reminder"]) {
                { text_input(lang, "r-days", &f.days, problems, d.clone()) }
                { text_input(lang, "r-stock", &f.stock, problems, d.clone()) }
            }
            if shows(&["lots"]) { { text_input(lang, "r-lot", &f.lot, problems, d.clone()) } }
            if shows(&["wholesale_letter"]) { { text_input(lang, "r-lead", &f.lead, problems, d.clone()) } }
            { text_input(lang, "r-seller", &f.seller, problems, d) }
            <p class="muted">{ t(lang, if f.scenario == "wholesale_letter" { "reply-from-wholesale" } else { "reply-from-retail" }) }</p>
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
                                match copied { Some(true) => t(lang, "copied"), Some(false) => t(lang, "copy-failed"), None => "" }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn profile() -> Profile {
        crossquote::defaults::default_profile().unwrap()
    }

    fn day() -> Date {
        "2026-12-01".parse().unwrap()
    }

    fn orders<'a>(
        retail: &'a RetailForm,
        items: &'a [ItemForm],
        w: &'a WholesaleForm,
        lines: &'a [LineForm],
    ) -> Orders<'a> {
        Orders { retail, items, wholesale: w, lines }
    }

    #[test]
    fn every_reply_scenario_writes_from_the_default_forms() {
        let p = profile();
        let (rf, items, wf, lines) = (
            RetailForm::default(),
            vec![ItemForm::default()],
            WholesaleForm::default(),
            vec![LineForm::default()],
        );
        for s in REPLY_SCENARIOS {
            let f = ReplyForm { scenario: s.into(), ..ReplyForm::default() };
            let rf = match s {
                "counter_offer" => RetailForm { offer: "14.00".into(), ..rf.clone() },
                "instalments" => RetailForm { country: "BR".into(), ..rf.clone() },
                _ => rf.clone(),
            };
            let r = compute(&f, &orders(&rf, &items, &wf, &lines), &p, day(), 600);
            assert!(r.is_ok(), "{s}: {r:?}");
        }
    }

    /// The reply's country is the order's; its price the order's item at the discount.
    #[test]
    fn the_reply_takes_the_orders_country_and_numbers() {
        let p = profile();
        let rf = RetailForm { country: "RU".into(), ..RetailForm::default() };
        let items = vec![ItemForm::default()];
        let (wf, lines) = (WholesaleForm::default(), vec![LineForm::default()]);
        let f = ReplyForm { discount: "3".into(), ..ReplyForm::default() };
        let r = compute(&f, &orders(&rf, &items, &wf, &lines), &p, day(), 600).unwrap();
        assert_eq!(r.replies.reply.language, "ru");
        let (o, q) = retail::compute(&rf, &items, &p).unwrap();
        let d = desk::retail(
            &o,
            &q,
            &p,
            0,
            &Ask::BargainQuantity { min_quantity: 3, discount: Percent::new(3.into()) },
        )
        .unwrap();
        let crossquote::reply::Scenario::BargainQuantity { unit_price, .. } = d.scenario else {
            panic!()
        };
        let shown = p.market("RU").unwrap().format_money(unit_price.amount);
        assert!(r.replies.reply.text.contains(&shown), "{shown} in {}", r.replies.reply.text);
        // A discount the floor does not allow is refused at the discount, with the most.
        let f = ReplyForm { discount: "60".into(), ..ReplyForm::default() };
        let e = compute(&f, &orders(&rf, &items, &wf, &lines), &p, day(), 600).unwrap_err();
        assert_eq!(e[0].0.as_deref(), Some("r-discount"));
        assert!(e[0].1.contains("the most it allows is"), "{e:?}");
    }

    /// The letter's payment terms are the wholesale order's, in the reply's language.
    #[test]
    fn the_letter_says_the_proformas_payment_terms() {
        let p = profile();
        let (rf, items) = (RetailForm::default(), vec![ItemForm::default()]);
        let wf = WholesaleForm {
            payment_kind: "lc_usance".into(),
            usance_days: "90".into(),
            buyer_country: "US".into(),
            ..WholesaleForm::default()
        };
        let lines = vec![LineForm::default()];
        let f = ReplyForm { scenario: "wholesale_letter".into(), ..ReplyForm::default() };
        let r = compute(&f, &orders(&rf, &items, &wf, &lines), &p, day(), 600).unwrap();
        assert!(
            r.replies.reply.text.contains("irrevocable L/C at 90 days after sight"),
            "{}",
            r.replies.reply.text
        );
        assert!(r.replies.reply.text.contains("31 Dec 2026"), "{}", r.replies.reply.text);
    }
}
