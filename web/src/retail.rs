//! The retail tab: a B2C basket as the agent types it (the order's fields and one row per
//! item), read into the core's [`RetailOrder`] and quoted by [`order::retail::quote`]:
//! the core chooses the service, packs the parcels, folds the shipping into the prices,
//! and judges the offer. This module only parses the text and shows the answer.

use crossquote::b2c::{Decision, ProfitBasis, ProfitTarget};
use crossquote::grid::PriceRounding;
use crossquote::logistics::Parcel;
use crossquote::order::retail::{self as desk, RetailItem, RetailOrder, RetailQuote};
use crossquote::order::{Allocation, OrderError};
use crossquote::profile::Profile;
use crossquote::{Decimal, Percent};
use yew::prelude::*;

use crate::i18n::t;
use crate::model::{self, num, optional, row_path, whole, Lang, Problems};
use crate::view::{
    self, breakdown_chart, breakdown_table, cell_input, general_problems, say, select, text_input,
};

/// The service choice meaning "the cheapest that can carry the basket".
pub const CHEAPEST: &str = desk::CHEAPEST;

form! {
    /// The retail order's own fields, as typed.
    pub struct RetailForm {
        /// Platform id from the profile.
        platform: "platform" = "aliexpress",
        /// Destination country (alpha-2).
        country: "country" = "US",
        /// Service id, or "cheapest".
        service: "service" = CHEAPEST,
        /// Margin on price, %.
        margin: "margin" = "20",
        /// Planned promotion discount, % (empty for none).
        promotion: "promotion" = "",
        /// Price ending: "" (cents), ".99", ".95", ".90" or "whole".
        ending: "ending" = "",
        /// How the basket's shipping is shared: weight, volume, value or quantity.
        allocation: "allocation" = "weight",
        /// The least margin a discount or an offer may leave, %.
        floor: "floor" = "10",
        /// "unit": the buyer's price per unit (one per item, separated by `;`);
        /// "total": for the whole order.
        offer_kind: "offer-kind" = "unit",
        /// The buyer's offer (empty for none).
        offer: "offer" = "",
    }
}

form! {
    /// One item of the basket, as typed (element ids `item-{row}-{field}`).
    pub struct ItemForm {
        /// What the buyer calls it.
        name: "name" = "",
        /// Purchase cost per unit, seller currency.
        cost: "cost" = "36.00",
        /// Packaging per unit, seller currency.
        packaging: "packaging" = "0",
        /// Other costs per unit (first-leg share, labels, inspection …), seller currency.
        other: "other" = "0",
        /// One piece packed: weight, kg.
        weight: "weight" = "0.35",
        /// Length, cm.
        length: "length" = "20",
        /// Width, cm.
        width: "width" = "15",
        /// Height, cm.
        height: "height" = "5",
        /// Pieces.
        quantity: "quantity" = "1",
    }
}

/// The element id of an item's field.
pub fn item_id(row: usize, field: &str) -> String {
    format!("item-{row}-{field}")
}

/// An allocation basis by name.
pub fn allocation(name: &str) -> Option<Allocation> {
    serde_json::from_value(serde_json::Value::from(name)).ok()
}

/// The order the forms describe, or every problem of the text at its element id.
pub fn order(f: &RetailForm, items: &[ItemForm]) -> Result<RetailOrder, Problems> {
    let mut p = Problems::new();
    let margin = num(&mut p, "margin", &f.margin);
    let promotion = optional(&mut p, "promotion", &f.promotion);
    let floor = num(&mut p, "floor", &f.floor);
    let price_rounding = PriceRounding::named(&f.ending);
    if price_rounding.is_none() {
        p.push((Some("ending".into()), format!("`{}` is not a price ending", f.ending)));
    }
    let basis = allocation(&f.allocation);
    if basis.is_none() {
        p.push((
            Some("allocation".into()),
            format!("`{}` is not an allocation basis", f.allocation),
        ));
    }
    let items: Vec<RetailItem> = items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let id = |k: &str| item_id(i, k);
            RetailItem {
                name: it.name.trim().to_owned(),
                cost: num(&mut p, &id("cost"), &it.cost),
                packaging: num(&mut p, &id("packaging"), &it.packaging),
                other: num(&mut p, &id("other"), &it.other),
                parcel: Parcel {
                    weight_kg: num(&mut p, &id("weight"), &it.weight),
                    length_cm: num(&mut p, &id("length"), &it.length),
                    width_cm: num(&mut p, &id("width"), &it.width),
                    height_cm: num(&mut p, &id("height"), &it.height),
                },
                quantity: whole(&mut p, &id("quantity"), &it.quantity),
            }
        })
        .collect();
    let offer = model::offer(&mut p, "offer", &f.offer_kind, &f.offer);
    if !p.is_empty() {
        return Err(p);
    }
    Ok(RetailOrder {
        platform: f.platform.clone(),
        country: f.country.clone(),
        items,
        service: f.service.clone(),
        remote: false,
        profit: ProfitTarget { basis: ProfitBasis::Margin, percent: Percent::new(margin) },
        promotion: promotion.map(Percent::new),
        coupons: Vec::new(),
        price_rounding: price_rounding.unwrap_or_default(),
        fx: Default::default(),
        allocation: basis.unwrap_or_default(),
        floor_margin: Percent::new(floor),
        offer,
    })
}

/// The element for a path of the order document.
fn element(path: &str) -> Option<String> {
    if let Some((row, field)) = row_path(path, "items") {
        let key = match field {
            "cost" | "packaging" | "other" | "quantity" | "name" => field,
            "parcel.weight_kg" => "weight",
            "parcel.length_cm" => "length",
            "parcel.width_cm" => "width",
            "parcel.height_cm" => "height",
            _ => return None,
        };
        return Some(item_id(row, key));
    }
    Some(
        match path {
            "platform" | "country" | "service" | "promotion" => path,
            p if p.starts_with("profit") => "margin",
            "floor_margin" => "floor",
            p if p.starts_with("offer") => "offer",
            _ => return None,
        }
        .to_owned(),
    )
}

/// The core's answer as problems by element.
pub fn problems(e: OrderError) -> Problems {
    match e {
        OrderError::Invalid(list) => model::by_field(list.0, element),
        OrderError::NoPrice { line, message } => {
            let id = row_path(&line, "items").map(|(row, _)| item_id(row, "cost"));
            vec![(id, message)]
        }
        other => vec![(None, other.to_string())],
    }
}

/// The order quoted on the profile, or every problem by element.
pub fn compute(
    f: &RetailForm,
    items: &[ItemForm],
    profile: &Profile,
) -> Result<(RetailOrder, RetailQuote), Problems> {
    let o = order(f, items)?;
    let q = desk::quote(&o, profile).map_err(problems)?;
    Ok((o, q))
}

/// What the retail tab can ask of the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// An order field or an item's field, by element id, and its new text.
    Field(String, String),
    /// Add an item (a copy of the last one, one piece).
    Add,
    /// Remove the item at this row.
    Remove(usize),
}

/// Applies an edit to the forms; `false` when it changes nothing.
pub fn apply(f: &mut RetailForm, items: &mut Vec<ItemForm>, edit: Edit) -> bool {
    match edit {
        Edit::Field(id, v) => {
            let slot = match row_path_id(&id, "item-") {
                Some((row, key)) => items.get_mut(row).and_then(|it| it.field_mut(key)),
                None => f.field_mut(&id),
            };
            match slot {
                Some(s) => {
                    *s = v;
                    true
                }
                None => false,
            }
        }
        Edit::Add => {
            let next = items
                .last()
                .map(|l| ItemForm { name: String::new(), quantity: "1".into(), ..l.clone() })
                .unwrap_or_default();
            items.push(next);
            true
        }
        Edit::Remove(row) if row < items.len() && items.len() > 1 => {
            items.remove(row);
            true
        }
        Edit::Remove(_) => false,
    }
}

/// `item-3-cost` as (3, `cost`) for `prefix` `item-`.
pub fn row_path_id<'a>(id: &'a str, prefix: &str) -> Option<(usize, &'a str)> {
    let (row, key) = id.strip_prefix(prefix)?.split_once('-')?;
    Some((row.parse().ok()?, key))
}

fn decision(lang: Lang, d: Decision) -> &'static str {
    t(
        lang,
        match d {
            Decision::Accept => "offer-accept",
            Decision::Counter => "offer-counter",
            Decision::Decline => "offer-decline",
        },
    )
}

fn item_row(
    lang: Lang,
    row: usize,
    it: &ItemForm,
    problems: &Problems,
    edit: &Callback<Edit>,
    many: bool,
) -> Html {
    let on = edit.reform(|(id, v): (String, String)| Edit::Field(id, v));
    let cell = |key: &str, value: &str| {
        cell_input(lang, &item_id(row, key), key, value, problems, on.clone())
    };
    let remove = edit.reform(move |_: MouseEvent| Edit::Remove(row));
    html! {
        <fieldset class="item" id={format!("item-{row}")}>
            <legend>{ format!("{} {}", t(lang, "item-n"), row.saturating_add(1)) }</legend>
            { cell("name", &it.name) }
            { cell("quantity", &it.quantity) }
            { cell("cost", &it.cost) }
            { cell("packaging", &it.packaging) }
            { cell("other", &it.other) }
            { cell("weight", &it.weight) }
            { cell("length", &it.length) }
            { cell("width", &it.width) }
            { cell("height", &it.height) }
            if many {
                <button type="button" class="remove" id={format!("item-{row}-remove")} onclick={remove}>{ t(lang, "remove-item") }</button>
            }
        </fieldset>
    }
}

/// An item's fields with their problems and the edit callback: a component, so that a
/// keystroke in one item re-renders that item's fields only.
#[derive(Properties, PartialEq)]
pub struct ItemRowProps {
    /// Interface language.
    pub lang: Lang,
    /// The item's row.
    pub row: usize,
    /// Its fields.
    pub form: ItemForm,
    /// The problems at its fields.
    pub problems: Problems,
    /// Whether there are several items (each can be removed).
    pub many: bool,
    /// Edits (a stable callback).
    pub edit: Callback<Edit>,
}

/// One item's fields.
#[function_component(ItemRow)]
pub fn item_row_view(p: &ItemRowProps) -> Html {
    item_row(p.lang, p.row, &p.form, &p.problems, &p.edit, p.many)
}

/// The retail tab.
pub fn view(
    lang: Lang,
    f: &RetailForm,
    items: &[ItemForm],
    profile: &Profile,
    edit: Callback<Edit>,
) -> Html {
    let result = compute(f, items, profile);
    let none = Problems::new();
    let problems = result.as_ref().err().unwrap_or(&none);
    let platforms = profile.platforms.iter().map(|p| (p.id.clone(), p.name.clone())).collect();
    let countries = profile
        .markets
        .iter()
        .map(|m| (m.country.clone(), format!("{} ({})", m.name, m.currency)))
        .collect();
    let mut services = vec![(CHEAPEST.to_owned(), t(lang, "cheapest").to_owned())];
    services.extend(profile.services.iter().map(|s| (s.id.clone(), s.name.clone())));
    let endings = crossquote::grid::NAMED_ENDINGS
        .iter()
        .map(|e| {
            let label = match *e {
                "" => t(lang, "ending-none"),
                "whole" => t(lang, "ending-whole"),
                other => other,
            };
            ((*e).to_owned(), label.to_owned())
        })
        .collect();
    let bases = ["weight", "volume", "value", "quantity"]
        .iter()
        .map(|b| ((*b).to_owned(), t(lang, &format!("by-{b}")).to_owned()))
        .collect();
    let kinds = vec![
        ("unit".to_owned(), t(lang, "offer-unit").to_owned()),
        ("total".to_owned(), t(lang, "offer-total").to_owned()),
    ];
    let d = edit.reform(|(id, v): (String, String)| Edit::Field(id, v));
    let add = edit.reform(|_: MouseEvent| Edit::Add);
    let many = items.len() > 1;
    let form = html! {
        <form class="quote-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            { select(lang, "platform", &f.platform, platforms, problems, d.clone()) }
            { select(lang, "country", &f.country, countries, problems, d.clone()) }
            <div class="items" id="items">
                { for items.iter().enumerate().map(|(i, it)| {
                    let mine: Problems = problems.iter().filter(|(id, _)| id.as_deref().is_some_and(|x| x.starts_with(&format!("item-{i}-")))).cloned().collect();
                    html! { <ItemRow key={i} lang={lang} row={i} form={it.clone()} problems={mine} many={many} edit={edit.clone()} /> }
                }) }
                <button type="button" id="add-item" onclick={add}>{ t(lang, "add-item") }</button>
            </div>
            { select(lang, "service", &f.service, services, problems, d.clone()) }
            { select(lang, "allocation", &f.allocation, bases, problems, d.clone()) }
            { text_input(lang, "margin", &f.margin, problems, d.clone()) }
            { text_input(lang, "promotion", &f.promotion, problems, d.clone()) }
            { select(lang, "ending", &f.ending, endings, problems, d.clone()) }
            <fieldset class="offer">
                <legend>{ t(lang, "buyer-offer") }</legend>
                { select(lang, "offer-kind", &f.offer_kind, kinds, problems, d.clone()) }
                { text_input(lang, "offer", &f.offer, problems, d.clone()) }
                { text_input(lang, "floor", &f.floor, problems, d) }
            </fieldset>
        </form>
    };
    let output = match &result {
        Err(p) => general_problems(p, lang),
        Ok((o, q)) => quote_view(lang, o, q, profile),
    };
    html! { <div class="layout">{ form }{ output }</div> }
}

fn quote_view(lang: Lang, o: &RetailOrder, q: &RetailQuote, profile: &Profile) -> Html {
    let market = profile.market(&o.country);
    let fmt = |a: Decimal| market.map_or_else(|| view::money(a, q.currency), |m| m.format_money(a));
    let pct = |p: Option<Percent>| p.map_or("–".to_owned(), |p| p.to_string());
    let first = q.lines.first();
    let s = &q.shipping;
    html! {
        <section class="result" aria-live="polite">
            if let Some(l) = first {
                <p class="price">{ t(lang, "price") }{ ": " }<output id="sale-price">{ fmt(l.quote.sale_price.amount) }</output>
                    if q.lines.len() > 1 || l.quantity > 1 { <span class="muted">{ format!(" ({})", t(lang, "first-item")) }</span> }
                </p>
            }
            <div class="scroll"><table id="order-lines">
                <thead><tr>
                    <th>{ t(lang, "item") }</th><th class="num">{ t(lang, "qty") }</th>
                    <th class="num">{ t(lang, "unit-price") }</th><th class="num">{ t(lang, "shipping-share") }</th>
                    <th class="num">{ t(lang, "amount") }</th>
                </tr></thead>
                <tbody>
                    { for q.lines.iter().enumerate().map(|(i, l)| html! {
                        <tr>
                            <td>{ if l.name.is_empty() { format!("{} {}", t(lang, "item-n"), i.saturating_add(1)) } else { l.name.clone() } }</td>
                            <td class="num">{ l.quantity.to_string() }</td>
                            <td class="num" id={format!("line-{i}-price")}>{ fmt(l.quote.sale_price.amount) }</td>
                            <td class="num">{ view::money(l.shipping_share.amount, l.shipping_share.currency) }</td>
                            <td class="num" id={format!("line-{i}-amount")}>{ fmt(l.amount.amount) }</td>
                        </tr>
                    }) }
                </tbody>
                <tfoot><tr>
                    <th>{ t(lang, "total") }</th><th class="num" id="order-pieces">{ q.pieces.to_string() }</th><th></th><th></th>
                    <th class="num"><output id="order-total">{ fmt(q.total.amount) }</output></th>
                </tr></tfoot>
            </table></div>
            if q.list_total != q.total {
                <p>{ t(lang, "list-price") }{ ": " }<span id="list-price">{ fmt(q.list_total.amount) }</span></p>
            }
            if let Some(plan) = &q.instalments {
                <p class="instalments" id="instalments">{ plan.line.clone() }</p>
            }
            <p id="vat-note" class="muted">{ vat_note(lang, q, market) }</p>
            <p>
                { t(lang, "margin-out") }{ " " }<span id="margin-out">{ pct(q.margin) }</span>
                { " · " }{ t(lang, "break-even") }{ " " }<span id="break-even">{ fmt(q.break_even_total.amount) }</span>
            </p>
            <p id="max-discount">
                { format!("{} {}: ", t(lang, "max-discount"), q.max_discount.floor) }
                <span id="max-discount-value">{ q.max_discount.discount.to_string() }</span>
                { format!(" → {} ({} {})", fmt(q.max_discount.total.amount), t(lang, "margin-out"), pct(q.max_discount.margin)) }
            </p>
            if let Some(v) = &q.offer {
                <div id="offer-verdict" class={classes!("verdict", format!("{:?}", v.decision).to_lowercase())}>
                    <p><strong id="offer-decision">{ decision(lang, v.decision) }</strong>
                        { format!(" · {} {} · {} {}", t(lang, "offer-invoices"), fmt(v.total.amount), t(lang, "margin-out"), pct(v.margin)) }</p>
                    if v.decision != Decision::Accept {
                        <p>{ t(lang, "floor-price") }{ ": " }<span id="offer-floor">{
                            v.floor.unit_prices.iter().map(|m| fmt(m.amount)).collect::<Vec<_>>().join(" / ")
                        }</span>{ format!(" = {}", fmt(v.floor.total.amount)) }</p>
                    }
                </div>
            }
            { for q.price_warnings.iter().map(|w| html! { <p class="error">{ say(lang, w) }</p> }) }
            <p id="shipping-used">
                { t(lang, "free-shipping") }{ ": " }{ s.quote.name.clone() }
                { format!(" · {} {} · {}–{} {} · {} {} · {}: {}", s.quote.total, s.quote.currency, s.quote.transit_days.min, s.quote.transit_days.max, t(lang, "days"), t(lang, "parcels-n"), s.parcels.len(), t(lang, "allocation"), say(lang, &q.allocation)) }
            </p>
            <ol id="parcels" class="parcels">
                { for s.parcels.iter().map(|pp| {
                    let what = pp.contents.iter().map(|(i, n)| {
                        let name = q.lines.get(*i).map(|l| l.name.clone()).filter(|n| !n.is_empty())
                            .unwrap_or_else(|| format!("{} {}", t(lang, "item-n"), i.saturating_add(1)));
                        format!("{name} × {n}")
                    }).collect::<Vec<_>>().join(", ");
                    let b = &pp.parcel;
                    // A packed bag's sides can be long decimals: shown up to 0.1 cm.
                    let cm = |x: Decimal| crossquote::Rounding::Ceiling.round(x, 1).normalize();
                    html! { <li>{ format!("{what} · {} kg · {}×{}×{} cm", b.weight_kg.normalize(), cm(b.length_cm), cm(b.width_cm), cm(b.height_cm)) }</li> }
                }) }
            </ol>
            if let Some(why) = &s.split_because {
                <p class="muted" id="split-because">{ t(lang, "split-because") }{ " " }{ say(lang, why) }</p>
            }
            { options_table(lang, q) }
            { breakdown_chart(&q.breakdown) }
            <div class="tables">
                { breakdown_table("breakdown", format!("{} ({})", t(lang, "breakdown"), q.breakdown.currency), &q.breakdown, lang) }
                { breakdown_table("seller-breakdown", t(lang, "in-seller-order").to_owned(), &q.seller_breakdown, lang) }
            </div>
        </section>
    }
}

/// Who pays the destination's VAT and duties, in the interface language: the core's note
/// in English, the same facts in Chinese.
fn vat_note(lang: Lang, q: &RetailQuote, market: Option<&crossquote::market::Market>) -> String {
    use crossquote::market::VatRule;
    let Some(m) = market.filter(|_| lang == Lang::Zh) else { return q.vat.note.clone() };
    match &m.vat {
        VatRule::CollectAtSale { scheme, rate, threshold } if q.vat.collected_at_sale => format!(
            "{scheme}: 结账时代收 {} 增值税 {rate} (单票货值不超过 {} {})",
            m.name, threshold.amount, threshold.currency
        ),
        VatRule::CollectAtSale { scheme, threshold, .. } => format!(
            "超过 {scheme} 限额 {} {}: 买家到货时缴纳进口增值税和关税",
            threshold.amount, threshold.currency
        ),
        VatRule::BuyerPaysDuties => format!("买家在 {} 缴纳进口关税和税费; 卖家负责出口", m.name),
    }
}

/// Every service that can carry the basket, side by side, and why the others cannot.
fn options_table(lang: Lang, q: &RetailQuote) -> Html {
    html! {
        <div class="scroll"><table id="shipping-options">
            <caption>{ t(lang, "shipping-options") }</caption>
            <thead><tr>
                <th>{ t(lang, "service") }</th><th class="num">{ t(lang, "parcels") }</th>
                <th class="num">{ t(lang, "chargeable-kg") }</th><th class="num">{ t(lang, "cost-col") }</th>
                <th class="num">{ t(lang, "days") }</th>
            </tr></thead>
            <tbody>
                { for q.options.iter().map(|o| html! {
                    <tr class={(o.quote.service == q.shipping.quote.service).then_some("quoted")}>
                        <td>{ o.quote.name.clone() }</td>
                        <td class="num">{ o.parcels.len().to_string() }</td>
                        <td class="num">{ o.quote.chargeable_kg.to_string() }</td>
                        <td class="num">{ view::money(o.quote.total, o.quote.currency) }</td>
                        <td class="num">{ format!("{}–{}", o.quote.transit_days.min, o.quote.transit_days.max) }</td>
                    </tr>
                }) }
                { for q.refused.iter().map(|r| html! {
                    <tr class="refused"><td>{ r.service.clone() }</td><td colspan="4" class="muted">{ say(lang, &r.reason) }</td></tr>
                }) }
            </tbody>
        </table></div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile() -> Profile {
        crossquote::defaults::default_profile().unwrap()
    }

    /// The forms read into exactly the order document the CLI quotes: the same numbers.
    #[test]
    fn the_forms_are_the_order_the_cli_quotes() {
        let p = profile();
        let f = RetailForm {
            country: "BR".into(),
            floor: "8".into(),
            offer_kind: "total".into(),
            offer: "50.00".into(),
            ..RetailForm::default()
        };
        let items = vec![
            ItemForm {
                name: "Phone case".into(),
                cost: "8.50".into(),
                packaging: "0.80".into(),
                weight: "0.12".into(),
                length: "18".into(),
                width: "10".into(),
                height: "3".into(),
                quantity: "3".into(),
                ..ItemForm::default()
            },
            ItemForm {
                name: "Charging cable".into(),
                cost: "5.20".into(),
                packaging: "0.50".into(),
                weight: "0.08".into(),
                length: "12".into(),
                width: "8".into(),
                height: "3".into(),
                quantity: "2".into(),
                ..ItemForm::default()
            },
        ];
        let (o, q) = compute(&f, &items, &p).unwrap();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas/examples/order-b2c.json");
        let doc: RetailOrder =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(o, doc);
        assert_eq!(q, desk::quote(&doc, &p).unwrap());
    }

    #[test]
    fn problems_are_at_the_items_fields_all_at_once() {
        let p = profile();
        let items = vec![
            ItemForm::default(),
            ItemForm { cost: "abc".into(), quantity: "0".into(), ..ItemForm::default() },
            ItemForm { weight: "0".into(), ..ItemForm::default() },
        ];
        let e = compute(&RetailForm::default(), &items, &p).unwrap_err();
        let ids: Vec<_> = e.iter().map(|(id, _)| id.clone()).collect();
        assert_eq!(ids, [Some("item-1-cost".to_owned()), Some("item-1-quantity".to_owned())]);
        // An ending the core does not name is said, not read as cents.
        let e =
            compute(&RetailForm { ending: ".98".into(), ..RetailForm::default() }, &items[..1], &p)
                .unwrap_err();
        assert_eq!(e, [(Some("ending".to_owned()), "`.98` is not a price ending".to_owned())]);
        // Once the text reads, the core's checks come back at the same elements.
        let items =
            vec![ItemForm::default(), ItemForm { weight: "0".into(), ..ItemForm::default() }];
        let e = compute(&RetailForm { floor: "100".into(), ..RetailForm::default() }, &items, &p)
            .unwrap_err();
        let ids: Vec<_> = e.iter().map(|(id, _)| id.clone()).collect();
        assert_eq!(ids, [Some("item-1-weight".to_owned()), Some("floor".to_owned())]);
    }

    #[test]
    fn items_are_added_and_removed_but_never_the_last() {
        let mut f = RetailForm::default();
        let mut items =
            vec![ItemForm { cost: "9".into(), quantity: "4".into(), ..ItemForm::default() }];
        assert!(apply(&mut f, &mut items, Edit::Add));
        assert_eq!(
            (items.len(), items[1].cost.as_str(), items[1].quantity.as_str()),
            (2, "9", "1")
        );
        assert!(apply(&mut f, &mut items, Edit::Field("item-1-quantity".into(), "3".into())));
        assert!(apply(&mut f, &mut items, Edit::Field("country".into(), "BR".into())));
        assert_eq!((items[1].quantity.as_str(), f.country.as_str()), ("3", "BR"));
        assert!(!apply(&mut f, &mut items, Edit::Field("item-7-cost".into(), "1".into())));
        assert!(!apply(&mut f, &mut items, Edit::Field("item-1-nope".into(), "1".into())));
        assert!(apply(&mut f, &mut items, Edit::Remove(0)));
        assert_eq!(items[0].quantity, "3");
        assert!(!apply(&mut f, &mut items, Edit::Remove(0)));
    }
}
