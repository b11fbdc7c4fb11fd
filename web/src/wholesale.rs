//! The wholesale tab: a B2B order as the agent types it (the order's terms and one row
//! per product line), read into the core's [`WholesaleOrder`] and quoted by
//! [`order::wholesale::quote`]: the core consolidates the cartons, works out the freight,
//! allocates the shared costs, prices each line's tier table and fills the proforma's
//! data; [`crossquote::document::proforma`] words the proforma in the buyer's document
//! language. This module only parses the text and shows the answer, with the proforma
//! that prints on its own (in the document language, whatever the interface's).

use crossquote::b2b::freight::WmTariff;
use crossquote::b2b::tiers::TierRow;
use crossquote::b2b::{Destination, Incoterm, Insurance, PurchaseCost, ShipmentFee};
use crossquote::b2c::Decision;
use crossquote::breakdown::Label;
use crossquote::document::ProformaDocument;
use crossquote::order::wholesale::{
    self as desk, Buyer, CartonSpec, Freight, PaymentTerms, TierBreak, WholesaleLine,
    WholesaleOrder, WholesaleQuote,
};
use crossquote::order::OrderError;
use crossquote::profile::Profile;
use crossquote::reply::Templates;
use crossquote::{Currency, Date, Decimal, Money, Percent};
use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::t;
use crate::model::{self, num, optional, optional_whole, row_path, whole, Lang, Problems};
use crate::retail::{allocation, row_path_id};
use crate::view::{
    self, breakdown_chart, breakdown_table, cell_input, general_problems, money, say, select,
    text_input,
};

/// The name of the wholesale form's per-shipment domestic fees line (a fixed label, so
/// the view translates it like the core's own).
pub const DOMESTIC_FEES: &str = "Domestic fees";

/// The Incoterms the form offers.
pub const TERMS: [&str; 8] = ["EXW", "FCA", "FOB", "CFR", "CPT", "CIF", "CIP", "DAP"];

form! {
    /// The wholesale order's own fields, as typed: the terms, the buyer, the shipment.
    pub struct WholesaleForm {
        /// Incoterm code.
        term: "w-term" = "CIF",
        /// Its named place.
        place: "w-place" = "Santos",
        /// Quote currency code.
        currency: "w-currency" = "USD",
        /// The buyer on the proforma.
        buyer: "w-buyer" = "",
        /// The buyer's address, lines separated by newlines or `/`.
        buyer_address: "w-buyer-address" = "",
        /// The buyer's country (alpha-2): the letter's language and conventions.
        buyer_country: "w-buyer-country" = "BR",
        /// The language the proforma is printed in (a reply language's code).
        document_language: "w-document-language" = "en",
        /// "tt", "lc_sight" or "lc_usance".
        payment_kind: "w-payment-kind" = "tt",
        /// T/T deposit, %.
        deposit: "w-deposit" = "30",
        /// L/C usance: days after sight.
        usance_days: "w-usance-days" = "60",
        /// L/C usance: the bank's annual discount rate, %.
        usance_rate: "w-usance-rate" = "6",
        /// Days the prices hold.
        valid: "w-valid" = "30",
        /// The PI number; empty for the seller's prefix, the date and the sequence.
        reference: "w-reference" = "",
        /// The day's sequence number in a generated PI number.
        sequence: "w-sequence" = "1",
        /// Domestic fees per shipment, seller currency.
        fees: "w-fees" = "2500",
        /// "amount", "wm" (per freight ton, W/M 1:1) or "fcl" (containers at a box rate).
        freight_kind: "w-freight-kind" = "amount",
        /// Freight for the shipment, quote currency.
        freight: "w-freight" = "1500",
        /// Ocean freight per freight ton, quote currency.
        wm_rate: "w-wm-rate" = "",
        /// Container type for FCL.
        container: "w-container" = "20GP",
        /// Freight per container, quote currency.
        box_rate: "w-box-rate" = "",
        /// How freight and fees are shared: volume, weight, value or quantity.
        allocation: "w-allocation" = "volume",
        /// Insurance rate %.
        insurance: "w-insurance" = "0.8",
        /// Profit %.
        profit: "w-profit" = "10",
        /// Bank charges %.
        bank: "w-bank" = "0.5",
        /// Commission %.
        commission: "w-commission" = "0",
        /// Least margin for tiers, discounts and offers, %.
        min_margin: "w-min-margin" = "4",
        /// "unit" (one price per line, separated by `;`) or "total".
        offer_kind: "w-offer-kind" = "unit",
        /// The buyer's offer (empty for none).
        offer: "w-offer" = "",
    }
}

form! {
    /// One product line, as typed (element ids `line-{row}-{field}`).
    pub struct LineForm {
        /// The seller's SKU.
        sku: "sku" = "",
        /// The description the proforma prints.
        description: "description" = "",
        /// HS code.
        hs_code: "hs_code" = "",
        /// Unit cost incl. VAT, seller currency.
        cost: "cost" = "113.00",
        /// VAT %.
        vat: "vat" = "13",
        /// Rebate %.
        rebate: "rebate" = "9",
        /// Units.
        quantity: "quantity" = "500",
        /// Minimum order quantity (empty for none).
        moq: "moq" = "",
        /// Units per lot (empty for none).
        lot: "lot" = "",
        /// Pieces per export carton.
        carton_pieces: "carton_pieces" = "20",
        /// Gross weight of a full carton, kg.
        carton_kg: "carton_kg" = "12.5",
        /// Carton outside length, cm (or empty, with the carton's volume).
        carton_length: "carton_length" = "60",
        /// cm.
        carton_width: "carton_width" = "40",
        /// cm.
        carton_height: "carton_height" = "35",
        /// Or the carton's volume, m³.
        carton_cbm: "carton_cbm" = "",
        /// Tier breaks: least quantities separated by commas, each priced at the profit
        /// target there, or with a discount off the first tier ("500, 1000:3").
        tiers: "tiers" = "100, 500, 1000, 5000",
    }
}

/// The element id of a line's field.
pub fn line_id(row: usize, field: &str) -> String {
    format!("line-{row}-{field}")
}

/// Tier breaks as typed: `500` (the profit target at 500) or `500:3` (3% off the first
/// tier), separated by commas.
fn tiers(p: &mut Problems, id: &str, text: &str) -> Vec<TierBreak> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (q, d) = match part.split_once(':') {
            Some((q, d)) => (q.trim(), Some(d.trim().trim_end_matches('%').trim())),
            None => (part, None),
        };
        let min_qty = q.parse::<u32>().ok().filter(|n| *n > 0);
        let discount = d.map(crossquote::serde_dec::parse);
        match (min_qty, discount) {
            (Some(min_qty), None) => out.push(TierBreak { min_qty, discount: None }),
            (Some(min_qty), Some(Ok(d))) => {
                out.push(TierBreak { min_qty, discount: Some(Percent::new(d)) })
            }
            _ => p.push((
                Some(id.to_owned()),
                format!("`{part}` is not a quantity or quantity:discount, e.g. 500 or 500:3"),
            )),
        }
    }
    out
}

fn line(p: &mut Problems, row: usize, l: &LineForm) -> WholesaleLine {
    let id = |k: &str| line_id(row, k);
    let sides = [&l.carton_length, &l.carton_width, &l.carton_height];
    let size_cm = if sides.iter().all(|s| s.trim().is_empty()) {
        None
    } else {
        Some([
            num(p, &id("carton_length"), &l.carton_length),
            num(p, &id("carton_width"), &l.carton_width),
            num(p, &id("carton_height"), &l.carton_height),
        ])
    };
    WholesaleLine {
        sku: l.sku.trim().to_owned(),
        description: l.description.trim().to_owned(),
        hs_code: l.hs_code.trim().to_owned(),
        cost: PurchaseCost {
            unit_cost: num(p, &id("cost"), &l.cost),
            vat_rate: Percent::new(num(p, &id("vat"), &l.vat)),
            rebate_rate: Percent::new(num(p, &id("rebate"), &l.rebate)),
        },
        carton: CartonSpec {
            pieces: whole(p, &id("carton_pieces"), &l.carton_pieces),
            gross_kg: num(p, &id("carton_kg"), &l.carton_kg),
            size_cm,
            cbm: optional(p, &id("carton_cbm"), &l.carton_cbm),
        },
        quantity: whole(p, &id("quantity"), &l.quantity),
        moq: optional_whole(p, &id("moq"), &l.moq),
        lot: optional_whole(p, &id("lot"), &l.lot),
        profit: None,
        tiers: tiers(p, &id("tiers"), &l.tiers),
    }
}

/// The order the forms describe, dated `today`, or every problem of the text at its
/// element id.
pub fn order(
    f: &WholesaleForm,
    lines: &[LineForm],
    today: Date,
) -> Result<WholesaleOrder, Problems> {
    let mut p = Problems::new();
    let pct = |p: &mut Problems, id: &str, text: &str| Percent::new(num(p, id, text));
    let term: Option<Incoterm> =
        serde_json::from_value(serde_json::Value::from(f.term.as_str())).ok();
    if term.is_none() {
        p.push((Some("w-term".into()), format!("`{}` is not an Incoterm", f.term)));
    }
    let currency = match Currency::from_code(f.currency.trim()) {
        Ok(c) => Some(c),
        Err(e) => {
            p.push((Some("w-currency".into()), e.to_string()));
            None
        }
    };
    // A stand-in currency so that checking goes on and reports every problem.
    let Some(cur) = currency.or_else(|| Currency::from_code("USD").ok()) else { return Err(p) };
    let payment = match f.payment_kind.as_str() {
        "tt" => PaymentTerms::Tt { deposit: pct(&mut p, "w-deposit", &f.deposit) },
        "lc_sight" => PaymentTerms::LcSight,
        "lc_usance" => PaymentTerms::LcUsance {
            days: whole(&mut p, "w-usance-days", &f.usance_days),
            annual_rate: pct(&mut p, "w-usance-rate", &f.usance_rate),
            basis: Default::default(),
        },
        other => {
            p.push((Some("w-payment-kind".into()), format!("`{other}` is not a payment term")));
            PaymentTerms::default()
        }
    };
    let validity_days = whole(&mut p, "w-valid", &f.valid);
    let sequence = whole(&mut p, "w-sequence", &f.sequence);
    let fees = num(&mut p, "w-fees", &f.fees);
    let freight = match f.freight_kind.as_str() {
        "amount" => {
            Freight::Amount { amount: Money::new(num(&mut p, "w-freight", &f.freight), cur) }
        }
        "wm" => Freight::Wm {
            tariff: WmTariff {
                rate: Money::new(num(&mut p, "w-wm-rate", &f.wm_rate), cur),
                cbm_per_tonne: Decimal::ONE,
                surcharges: Vec::new(),
                min_freight_tons: Some(Decimal::ONE),
            },
        },
        "fcl" => Freight::Fcl {
            container: f.container.clone(),
            box_rate: Money::new(num(&mut p, "w-box-rate", &f.box_rate), cur),
        },
        other => {
            p.push((Some("w-freight-kind".into()), format!("`{other}` is not a kind of freight")));
            Freight::Amount { amount: Money::new(Decimal::ZERO, cur) }
        }
    };
    let basis = allocation(&f.allocation);
    if basis.is_none() {
        p.push((
            Some("w-allocation".into()),
            format!("`{}` is not an allocation basis", f.allocation),
        ));
    }
    let insurance = Insurance {
        rate: pct(&mut p, "w-insurance", &f.insurance),
        cover: Percent::new(Decimal::from(110)),
    };
    let profit = pct(&mut p, "w-profit", &f.profit);
    let bank_charges = pct(&mut p, "w-bank", &f.bank);
    let commission = pct(&mut p, "w-commission", &f.commission);
    let min_margin = pct(&mut p, "w-min-margin", &f.min_margin);
    let lines: Vec<WholesaleLine> =
        lines.iter().enumerate().map(|(i, l)| line(&mut p, i, l)).collect();
    let offer = model::offer(&mut p, "w-offer", &f.offer_kind, &f.offer);
    let (Some(term), Some(quote_currency), true) = (term, currency, p.is_empty()) else {
        return Err(p);
    };
    let address = f
        .buyer_address
        .split(['/', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    Ok(WholesaleOrder {
        buyer: Buyer {
            name: f.buyer.trim().to_owned(),
            address,
            country: f.buyer_country.trim().to_owned(),
            document_language: Some(f.document_language.trim().to_owned())
                .filter(|l| !l.is_empty()),
        },
        term,
        place: f.place.trim().to_owned(),
        quote_currency,
        payment,
        date: Some(today),
        validity_days,
        reference: Some(f.reference.trim().to_owned()).filter(|r| !r.is_empty()),
        sequence,
        lines,
        shipment_fees: vec![ShipmentFee {
            name: Label::Fixed(DOMESTIC_FEES),
            amount: fees,
            stage: Default::default(),
        }],
        freight: Some(freight),
        insurance: Some(insurance),
        destination: term.includes_destination().then(Destination::default),
        allocation: basis.unwrap_or_default(),
        profit,
        bank_charges,
        commission,
        handling: Percent::ZERO,
        loan: None,
        fx: Default::default(),
        price_rounding: Default::default(),
        min_margin,
        offer,
    })
}

/// The element for a path of the order document.
fn element(path: &str) -> Option<String> {
    if let Some((row, field)) = row_path(path, "lines") {
        let key = match field {
            "cost.unit_cost" => "cost",
            "cost.vat_rate" => "vat",
            "cost.rebate_rate" => "rebate",
            "carton.pieces" => "carton_pieces",
            "carton.gross_kg" => "carton_kg",
            "carton.size_cm[0]" => "carton_length",
            "carton.size_cm[1]" => "carton_width",
            "carton.size_cm[2]" => "carton_height",
            "carton.cbm" | "carton" => "carton_cbm",
            "quantity" | "moq" | "lot" | "sku" | "description" | "hs_code" => field,
            f if f.starts_with("tiers") => "tiers",
            "" => "quantity",
            _ => return None,
        };
        return Some(line_id(row, key));
    }
    Some(
        match path {
            "term" => "w-term",
            "place" => "w-place",
            "quote_currency" => "w-currency",
            "buyer.country" => "w-buyer-country",
            "buyer.name" => "w-buyer",
            "buyer.document_language" => "w-document-language",
            "payment.deposit" => "w-deposit",
            "payment.days" => "w-usance-days",
            "payment.annual_rate" => "w-usance-rate",
            "validity_days" => "w-valid",
            "reference" => "w-reference",
            "sequence" => "w-sequence",
            p if p.starts_with("shipment_fees") => "w-fees",
            "freight.container" => "w-container",
            "freight.box_rate" => "w-box-rate",
            p if p.starts_with("freight.tariff") => "w-wm-rate",
            p if p.starts_with("freight") => "w-freight",
            p if p.starts_with("insurance") => "w-insurance",
            "profit" => "w-profit",
            "bank_charges" => "w-bank",
            "commission" => "w-commission",
            "min_margin" => "w-min-margin",
            p if p.starts_with("offer") => "w-offer",
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
            let id = row_path(&format!("{line}."), "lines").map(|(row, _)| line_id(row, "cost"));
            vec![(id, message)]
        }
        other => vec![(None, other.to_string())],
    }
}

/// The order quoted on the profile, or every problem by element.
pub fn compute(
    f: &WholesaleForm,
    lines: &[LineForm],
    profile: &Profile,
    today: Date,
) -> Result<(WholesaleOrder, WholesaleQuote), Problems> {
    compute_with(f, lines, profile, today, &mut desk::TierMemo::default())
}

/// [`compute`], keeping the tier tables in `memo` for the next keystroke (one memo per
/// profile).
pub fn compute_with(
    f: &WholesaleForm,
    lines: &[LineForm],
    profile: &Profile,
    today: Date,
    memo: &mut desk::TierMemo,
) -> Result<(WholesaleOrder, WholesaleQuote), Problems> {
    let o = order(f, lines, today)?;
    let q = desk::quote_with(&o, profile, memo).map_err(problems)?;
    Ok((o, q))
}

/// What the wholesale tab can ask of the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// An order field or a line's field, by element id, and its new text.
    Field(String, String),
    /// Add a line (a copy of the last one's carton and terms, no SKU).
    Add,
    /// Remove the line at this row.
    Remove(usize),
    /// Move the line at this row up one.
    Up(usize),
}

/// Applies an edit to the forms; `false` when it changes nothing.
pub fn apply(f: &mut WholesaleForm, lines: &mut Vec<LineForm>, edit: Edit) -> bool {
    match edit {
        Edit::Field(id, v) => {
            let slot = match row_path_id(&id, "line-") {
                Some((row, key)) => lines.get_mut(row).and_then(|l| l.field_mut(key)),
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
            let next = lines
                .last()
                .map(|l| LineForm {
                    sku: String::new(),
                    description: String::new(),
                    hs_code: String::new(),
                    ..l.clone()
                })
                .unwrap_or_default();
            lines.push(next);
            true
        }
        Edit::Remove(row) if row < lines.len() && lines.len() > 1 => {
            lines.remove(row);
            true
        }
        Edit::Up(row) if row > 0 && row < lines.len() => {
            lines.swap(row, row.saturating_sub(1));
            true
        }
        Edit::Remove(_) | Edit::Up(_) => false,
    }
}

/// Whether `quantity` falls in the row's quantity range.
pub fn tier_holds(row: &TierRow, quantity: u32) -> bool {
    row.min_qty <= quantity && row.max_qty.is_none_or(|m| quantity <= m)
}

/// A tier row's quantity range as shown.
pub fn tier_range(row: &TierRow) -> String {
    match row.max_qty {
        Some(m) => format!("{}–{m}", row.min_qty),
        None => format!("{}+", row.min_qty),
    }
}

fn line_row(
    lang: Lang,
    row: usize,
    l: &LineForm,
    problems: &Problems,
    edit: &Callback<Edit>,
    count: usize,
) -> Html {
    let on = edit.reform(|(id, v): (String, String)| Edit::Field(id, v));
    let cell = |key: &str, value: &str| {
        cell_input(lang, &line_id(row, key), &format!("l-{key}"), value, problems, on.clone())
    };
    let remove = edit.reform(move |_: MouseEvent| Edit::Remove(row));
    let up = edit.reform(move |_: MouseEvent| Edit::Up(row));
    html! {
        <fieldset class="line" id={format!("line-{row}")}>
            <legend>{ format!("{} {}", t(lang, "line"), row.saturating_add(1)) }</legend>
            { cell("sku", &l.sku) }
            { cell("description", &l.description) }
            { cell("hs_code", &l.hs_code) }
            { cell("quantity", &l.quantity) }
            { cell("cost", &l.cost) }
            { cell("vat", &l.vat) }
            { cell("rebate", &l.rebate) }
            { cell("moq", &l.moq) }
            { cell("lot", &l.lot) }
            { cell("carton_pieces", &l.carton_pieces) }
            { cell("carton_kg", &l.carton_kg) }
            { cell("carton_length", &l.carton_length) }
            { cell("carton_width", &l.carton_width) }
            { cell("carton_height", &l.carton_height) }
            { cell("carton_cbm", &l.carton_cbm) }
            { cell("tiers", &l.tiers) }
            <div class="row-actions">
                if row > 0 {
                    <button type="button" id={format!("line-{row}-up")} onclick={up}>{ t(lang, "move-up") }</button>
                }
                if count > 1 {
                    <button type="button" class="remove" id={format!("line-{row}-remove")} onclick={remove}>{ t(lang, "remove-line") }</button>
                }
            </div>
        </fieldset>
    }
}

/// A line's fields with their problems and the edit callback: a component, so that a
/// keystroke in one line re-renders that line's fields only.
#[derive(Properties, PartialEq)]
pub struct LineRowProps {
    /// Interface language.
    pub lang: Lang,
    /// The line's row.
    pub row: usize,
    /// Its fields.
    pub form: LineForm,
    /// The problems at its fields.
    pub problems: Problems,
    /// How many lines the order has.
    pub count: usize,
    /// Edits (a stable callback).
    pub edit: Callback<Edit>,
}

/// One product line's fields.
#[function_component(LineRow)]
pub fn line_row_view(p: &LineRowProps) -> Html {
    line_row(p.lang, p.row, &p.form, &p.problems, &p.edit, p.count)
}

/// The problems at the fields of line `row`.
fn problems_of(problems: &Problems, prefix: &str) -> Problems {
    problems
        .iter()
        .filter(|(id, _)| id.as_deref().is_some_and(|i| i.starts_with(prefix)))
        .cloned()
        .collect()
}

/// The wholesale tab's inputs.
#[derive(Properties)]
pub struct WholesaleProps {
    /// Interface language.
    pub lang: Lang,
    /// The order's fields.
    pub form: WholesaleForm,
    /// Its lines.
    pub lines: Vec<LineForm>,
    /// The seller profile.
    pub profile: Rc<Profile>,
    /// Edits (a stable callback).
    pub edit: Callback<Edit>,
}

impl PartialEq for WholesaleProps {
    fn eq(&self, o: &Self) -> bool {
        self.lang == o.lang
            && self.form == o.form
            && self.lines == o.lines
            && Rc::ptr_eq(&self.profile, &o.profile)
            && self.edit == o.edit
    }
}

/// The wholesale tab: the order quoted as it is typed, the tier tables of unchanged lines
/// kept between keystrokes (for the profile they were priced on).
#[function_component(WholesaleTab)]
pub fn wholesale_tab(props: &WholesaleProps) -> Html {
    let memo = use_mut_ref(Memo::default);
    let (lang, f, lines, edit) = (props.lang, &props.form, &props.lines, props.edit.clone());
    let profile: &Profile = &props.profile;
    let templates = {
        let mut m = memo.borrow_mut();
        // The memo holds the profile it was filled on, so a new one starts it afresh.
        if !m.profile.as_ref().is_some_and(|p| Rc::ptr_eq(p, &props.profile)) {
            *m = Memo::new(&props.profile);
        }
        m.templates.clone()
    };
    let result = match view::today() {
        Some(today) => compute_with(f, lines, profile, today, &mut memo.borrow_mut().tiers),
        None => Err(vec![(None, "the browser's clock gives no date".to_owned())]),
    };
    let document = match (&result, &templates) {
        (Ok((_, q)), Ok(t)) => Some(crossquote::document::proforma(q, t).map_err(|e| match e {
            crossquote::document::DocumentError::Fields(list) => model::by_field(list.0, element),
            other => vec![(None, other.to_string())],
        })),
        (Ok(_), Err(e)) => Some(Err(vec![(None, e.clone())])),
        (Err(_), _) => None,
    };
    let none = Problems::new();
    let problems = result.as_ref().err().unwrap_or(&none);
    let opts =
        |xs: &[&str]| xs.iter().map(|x| ((*x).to_owned(), (*x).to_owned())).collect::<Vec<_>>();
    let named = |xs: &[(&str, &str)]| {
        xs.iter().map(|(v, k)| ((*v).to_owned(), t(lang, k).to_owned())).collect::<Vec<_>>()
    };
    let countries = profile.markets.iter().map(|m| (m.country.clone(), m.name.clone())).collect();
    let languages = templates.as_ref().map(|t| t.document_languages()).unwrap_or_default();
    let containers = profile.containers().into_iter().map(|c| (c.name.clone(), c.name)).collect();
    let d = edit.reform(|(id, v): (String, String)| Edit::Field(id, v));
    let add = edit.reform(|_: MouseEvent| Edit::Add);
    let form = html! {
        <form class="quote-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            { select(lang, "w-term", &f.term, opts(&TERMS), problems, d.clone()) }
            { text_input(lang, "w-place", &f.place, problems, d.clone()) }
            { select(lang, "w-currency", &f.currency, opts(&["USD", "EUR", "GBP", "AUD", "CAD"]), problems, d.clone()) }
            <fieldset class="buyer">
                <legend>{ t(lang, "buyer") }</legend>
                { text_input(lang, "w-buyer", &f.buyer, problems, d.clone()) }
                { text_input(lang, "w-buyer-address", &f.buyer_address, problems, d.clone()) }
                { select(lang, "w-buyer-country", &f.buyer_country, countries, problems, d.clone()) }
                { select(lang, "w-document-language", &f.document_language, languages, problems, d.clone()) }
            </fieldset>
            <div class="lines" id="lines">
                { for lines.iter().enumerate().map(|(i, l)| html! {
                    <LineRow key={i} lang={lang} row={i} form={l.clone()} problems={problems_of(problems, &format!("line-{i}-"))} count={lines.len()} edit={edit.clone()} />
                }) }
                <button type="button" id="add-line" onclick={add}>{ t(lang, "add-line") }</button>
            </div>
            <fieldset class="shipment">
                <legend>{ t(lang, "shipment") }</legend>
                { text_input(lang, "w-fees", &f.fees, problems, d.clone()) }
                { select(lang, "w-freight-kind", &f.freight_kind, named(&[("amount", "freight-amount"), ("wm", "freight-wm"), ("fcl", "freight-fcl")]), problems, d.clone()) }
                if f.freight_kind == "amount" { { text_input(lang, "w-freight", &f.freight, problems, d.clone()) } }
                if f.freight_kind == "wm" { { text_input(lang, "w-wm-rate", &f.wm_rate, problems, d.clone()) } }
                if f.freight_kind == "fcl" {
                    { select(lang, "w-container", &f.container, containers, problems, d.clone()) }
                    { text_input(lang, "w-box-rate", &f.box_rate, problems, d.clone()) }
                }
                { select(lang, "w-allocation", &f.allocation, named(&[("volume", "by-volume"), ("weight", "by-weight"), ("value", "by-value"), ("quantity", "by-quantity")]), problems, d.clone()) }
                { text_input(lang, "w-insurance", &f.insurance, problems, d.clone()) }
            </fieldset>
            { text_input(lang, "w-profit", &f.profit, problems, d.clone()) }
            { text_input(lang, "w-bank", &f.bank, problems, d.clone()) }
            { text_input(lang, "w-commission", &f.commission, problems, d.clone()) }
            { text_input(lang, "w-min-margin", &f.min_margin, problems, d.clone()) }
            <fieldset class="payment">
                <legend>{ t(lang, "terms") }</legend>
                { select(lang, "w-payment-kind", &f.payment_kind, named(&[("tt", "pay-tt"), ("lc_sight", "pay-lc-sight"), ("lc_usance", "pay-lc-usance")]), problems, d.clone()) }
                if f.payment_kind == "tt" { { text_input(lang, "w-deposit", &f.deposit, problems, d.clone()) } }
                if f.payment_kind == "lc_usance" {
                    { text_input(lang, "w-usance-days", &f.usance_days, problems, d.clone()) }
                    { text_input(lang, "w-usance-rate", &f.usance_rate, problems, d.clone()) }
                }
                { text_input(lang, "w-valid", &f.valid, problems, d.clone()) }
                { text_input(lang, "w-reference", &f.reference, problems, d.clone()) }
                { text_input(lang, "w-sequence", &f.sequence, problems, d.clone()) }
            </fieldset>
            <fieldset class="offer">
                <legend>{ t(lang, "buyer-offer") }</legend>
                { select(lang, "w-offer-kind", &f.offer_kind, named(&[("unit", "offer-unit"), ("total", "offer-total")]), problems, d.clone()) }
                { text_input(lang, "w-offer", &f.offer, problems, d) }
            </fieldset>
        </form>
    };
    let output = match &result {
        Err(p) => general_problems(p, lang),
        Ok((_, q)) => quote_view(lang, q, document.as_ref()),
    };
    html! { <div class="layout">{ form }{ output }</div> }
}

/// What the tab keeps between renders, for the profile it was filled on: the tier tables
/// and the profile's texts (the proforma's words).
struct Memo {
    profile: Option<Rc<Profile>>,
    tiers: desk::TierMemo,
    templates: Result<Rc<Templates>, String>,
}

impl Memo {
    fn new(profile: &Rc<Profile>) -> Memo {
        let templates = profile
            .templates()
            .map(Rc::new)
            .map_err(|e| e.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "));
        Memo { profile: Some(Rc::clone(profile)), tiers: desk::TierMemo::default(), templates }
    }
}

impl Default for Memo {
    fn default() -> Memo {
        Memo {
            profile: None,
            tiers: desk::TierMemo::default(),
            templates: Err("the profile's texts are not loaded".to_owned()),
        }
    }
}

fn quote_view(
    lang: Lang,
    q: &WholesaleQuote,
    document: Option<&Result<ProformaDocument, Problems>>,
) -> Html {
    let printable = match document {
        Some(Ok(doc)) => proforma(doc),
        Some(Err(p)) => general_problems(p, lang),
        None => Html::default(),
    };

    let cur = q.currency;
    let pct = |p: Option<Percent>| p.map_or("–".to_owned(), |p| p.to_string());
    let r = &q.results;
    html! {
        <section class="result" aria-live="polite">
            <p class="price">{ format!("{} ", q.label) }<output id="w-total">{ money(q.total.amount, cur) }</output></p>
            if let Some(first) = q.lines.first() {
                <p>{ t(lang, "first-line") }{ " " }<output id="w-price">{ money(first.unit_price.amount, cur) }</output></p>
            }
            <p>
                { t(lang, "fx-cost") }{ " " }<span id="w-fx-cost">{ r.fx_cost.to_string() }</span>
                { " · " }{ t(lang, "profit-rate") }{ " " }<span id="w-profit-rate">{ pct(r.profit_rate) }</span>
                { " · " }{ t(lang, "margin-out") }{ " " }<span id="w-margin">{ pct(q.margin) }</span>
            </p>
            <p class="muted" id="w-results">
                { format!("{} {} · {} {} · {} {} · {} {}",
                    t(lang, "total-cost"), money(r.total_cost.amount, r.total_cost.currency),
                    t(lang, "fob-net"), money(r.fob_net_income.amount, r.fob_net_income.currency),
                    t(lang, "rebate-income"), money(r.rebate_income.amount, r.rebate_income.currency),
                    t(lang, "profit"), money(r.profit.amount, r.profit.currency)) }
            </p>
            <p id="w-max-discount">
                { format!("{} {}: ", t(lang, "max-discount"), q.max_discount.floor) }
                <span>{ q.max_discount.discount.to_string() }</span>
                { format!(" → {}", money(q.max_discount.total.amount, cur)) }
            </p>
            if let Some(v) = &q.offer {
                <p id="w-offer-verdict"><strong>{ t(lang, match v.decision { Decision::Accept => "offer-accept", Decision::Counter => "offer-counter", Decision::Decline => "offer-decline" }) }</strong>
                    { format!(" · {} {} · {} {} · {} {}", t(lang, "offer-invoices"), money(v.total.amount, cur), t(lang, "margin-out"), pct(v.margin), t(lang, "floor-price"), money(v.floor.total.amount, cur)) }</p>
            }
            { for q.notes.iter().map(|n| html! { <p class="muted note">{ say(lang, n) }</p> }) }
            { packing_view(lang, q) }
            { for q.lines.iter().enumerate().map(|(i, l)| html! {
                <TierTable key={i} lang={lang} index={i} name={line_name(i, &l.sku, &l.description)} quantity={l.quantity}
                    tiers={l.tiers.clone()} warnings={l.tier_warnings.clone()} currency={cur} />
            }) }
            { breakdown_chart(&q.breakdown) }
            <div class="tables">{ breakdown_table("w-breakdown", format!("{} ({})", t(lang, "breakdown"), cur), &q.breakdown, lang) }</div>
            <button id="print" class="no-print" onclick={Callback::from(|_| {
                if let Some(w) = web_sys::window() {
                    let _ = w.print();
                }
            })}>{ t(lang, "print") }</button>
            { printable }
        </section>
    }
}

/// The packing list: cartons, gross weight and CBM per line and in all, and the freight
/// working (W/M or the containers the cargo fills).
fn packing_view(lang: Lang, q: &WholesaleQuote) -> Html {
    let s = &q.shipment;
    html! {
        <section id="w-packing" class="packing">
            <div class="scroll"><table id="packing-list">
                <caption>{ t(lang, "packing") }</caption>
                <thead><tr>
                    <th>{ t(lang, "item") }</th><th class="num">{ t(lang, "qty") }</th><th class="num">{ t(lang, "cartons") }</th>
                    <th class="num">{ t(lang, "gross") }{ " kg" }</th><th class="num">{ "CBM" }</th>
                    <th class="num">{ t(lang, "freight-share") }</th>
                </tr></thead>
                <tbody>
                    { for q.lines.iter().enumerate().map(|(i, l)| html! {
                        <tr>
                            <td>{ line_name(i, &l.sku, &l.description) }</td>
                            <td class="num">{ l.quantity.to_string() }</td>
                            <td class="num">{ format!("{} × {}{}", l.packing.cartons, l.packing.pieces_per_carton, l.packing.last_carton.map(|n| format!(" ({} {n})", t(lang, "last-carton"))).unwrap_or_default()) }</td>
                            <td class="num">{ l.packing.gross_kg.to_string() }</td>
                            <td class="num">{ l.packing.cbm.to_string() }</td>
                            <td class="num">{ l.freight_share.map(|m| money(m.amount, m.currency)).unwrap_or_else(|| "–".into()) }</td>
                        </tr>
                    }) }
                </tbody>
                <tfoot><tr>
                    <th>{ t(lang, "total") }</th><th></th><th class="num" id="w-cartons">{ s.cartons.to_string() }</th>
                    <th class="num" id="w-gross">{ s.gross_kg.to_string() }</th><th class="num" id="w-cbm">{ s.cbm.to_string() }</th>
                    <th class="num" id="w-freight-total">{ s.freight.map(|m| money(m.amount, m.currency)).unwrap_or_else(|| "–".into()) }</th>
                </tr></tfoot>
            </table></div>
            <p class="muted">{ format!("{}: {}", t(lang, "w-allocation"), say(lang, &s.allocation)) }</p>
            if let Some(w) = &s.wm {
                <p id="w-wm-freight">{ format!("{}: {} {} ({}) = {}", t(lang, "wm-freight"), w.freight_tons, t(lang, "freight-tons"), w.basis, money(w.total.amount, w.total.currency)) }</p>
            }
            if let Some(c) = &s.containers {
                <p id="w-fill">{ format!("{} × {} · {} {} · {} {} ({} {})", c.count, c.container, t(lang, "volume"), c.volume_fill, t(lang, "weight-limit"), c.weight_fill, t(lang, "limited-by"), t(lang, if c.limited_by == "weight" { "weight-limit" } else { "volume" })) }</p>
            }
        </section>
    }
}

fn line_name(i: usize, sku: &str, description: &str) -> String {
    match (sku.is_empty(), description.is_empty()) {
        (true, true) => format!("#{}", i.saturating_add(1)),
        (false, true) => sku.to_owned(),
        (true, false) => description.to_owned(),
        (false, false) => format!("{sku} {description}"),
    }
}

/// A line's tier table: a component, so that it re-renders only when its rows change.
#[derive(Properties, PartialEq)]
pub struct TierTableProps {
    /// Interface language.
    pub lang: Lang,
    /// The line's row.
    pub index: usize,
    /// Its name as shown.
    pub name: String,
    /// The quantity ordered (its tier is marked).
    pub quantity: u32,
    /// The rows.
    pub tiers: Vec<desk::LineTier>,
    /// The table's warnings.
    pub warnings: Vec<String>,
    /// The prices' currency.
    pub currency: Currency,
}

/// A line's tier table, the quoted quantity's tier marked.
#[function_component(TierTable)]
pub fn tier_table(p: &TierTableProps) -> Html {
    let (lang, cur) = (p.lang, p.currency);
    if p.tiers.is_empty() {
        return html! {};
    }
    html! {
        <>
            <div class="scroll"><table id={format!("tier-table-{}", p.index)} class="tier-table">
                <caption>{ format!("{} · {}", t(lang, "tier-table"), p.name) }</caption>
                <thead><tr><th>{ t(lang, "qty") }</th><th class="num">{ t(lang, "unit-price") }</th><th class="num">{ t(lang, "margin-out") }</th><th>{ t(lang, "tier-rule") }</th></tr></thead>
                <tbody>
                    { for p.tiers.iter().map(|tr| html! {
                        <tr class={tier_holds(&tr.row, p.quantity).then_some("quoted")}>
                            <td>{ tier_range(&tr.row) }</td>
                            <td class="num">{ money(tr.row.unit_price, cur) }</td>
                            <td class="num">{ tr.row.margin.map_or("–".to_owned(), |m| m.to_string()) }</td>
                            <td class="muted">{ say(lang, &tr.rule) }</td>
                        </tr>
                    }) }
                </tbody>
            </table></div>
            { for p.warnings.iter().map(|w| html! { <p class="error">{ say(lang, w) }</p> }) }
        </>
    }
}

/// Where a document entry shows, for the page's tests and styles.
fn entry_id(key: &str) -> String {
    let short = match key {
        "valid_until" => "valid",
        "terms_of_delivery" => "terms",
        other => other,
    };
    format!("proforma-{short}")
}

/// Lines of a document value, one per printed line.
fn printed(lines: &[String]) -> Html {
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| html! { <>if i > 0 { <br /> }{ l.clone() }</> })
        .collect::<Html>()
}

/// The proforma invoice as the core wrote it ([`crossquote::document::proforma`]), in
/// the buyer's document language: on screen below the quote and, printed, alone (print
/// CSS hides the rest). It carries no internal figure (costs, margins, rules); every word
/// and number is the document's.
fn proforma(doc: &ProformaDocument) -> Html {
    let cols = doc.columns.len().saturating_sub(1);
    html! {
        <article id="proforma" class="proforma" lang={doc.language.clone()} aria-label={doc.title.clone()}>
            <header class="letterhead">
                if let Some(head) = &doc.letterhead {
                    <p class="company" id="proforma-seller">{ head.company.clone() }</p>
                    <p class="address">{ printed(&head.address) }</p>
                    <p>{ head.contact.clone() }</p>
                }
                <h2>{ doc.title.clone() }</h2>
            </header>
            <dl class="parties">
                { for doc.heading.iter().map(|e| html! {
                    <><dt>{ e.label.clone() }</dt><dd id={entry_id(&e.key)}>{ printed(&e.lines) }</dd></>
                }) }
            </dl>
            <table class="items" id="proforma-lines">
                <thead><tr>
                    { for doc.columns.iter().map(|c| html! { <th class={c.numeric.then_some("num")}>{ c.label.clone() }</th> }) }
                </tr></thead>
                <tbody>
                    { for doc.rows.iter().map(|row| html! {
                        <tr>{ for row.iter().zip(&doc.columns).map(|(cell, c)| html! {
                            <td class={c.numeric.then_some("num")}>{ cell.clone() }</td>
                        }) }</tr>
                    }) }
                </tbody>
                <tfoot><tr>
                    <th colspan={cols.to_string()}>{ doc.total.label.clone() }</th>
                    <th class="num" id="proforma-total">{ printed(&doc.total.lines) }</th>
                </tr></tfoot>
            </table>
            <dl class="parties terms">
                { for doc.terms.iter().map(|e| html! {
                    <><dt>{ e.label.clone() }</dt><dd id={entry_id(&e.key)}>{ printed(&e.lines) }</dd></>
                }) }
            </dl>
            if !doc.signature.is_empty() {
                <p class="signature">{ printed(&doc.signature) }</p>
            }
        </article>
    }
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

    /// The forms read into exactly the order document the CLI quotes.
    #[test]
    fn the_forms_are_the_order_the_cli_quotes() {
        let p = profile();
        // The B2B example with the buyer's documents in Portuguese.
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas/examples/proforma.json");
        let doc: WholesaleOrder =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let f = WholesaleForm {
            buyer: "Importadora Exemplo Ltda.".into(),
            buyer_address: "Rua Exemplo 100 / Santos SP 11010-000".into(),
            document_language: "pt-BR".into(),
            payment_kind: "lc_sight".into(),
            freight_kind: "wm".into(),
            wm_rate: "65".into(),
            insurance: "0.3".into(),
            profit: "12".into(),
            bank: "0.3".into(),
            min_margin: "5".into(),
            fees: "2100".into(),
            ..WholesaleForm::default()
        };
        let lines = vec![
            LineForm {
                sku: "A-100".into(),
                description: "Stainless steel water bottle 500 ml".into(),
                hs_code: "9617.00".into(),
                cost: "22.60".into(),
                rebate: "13".into(),
                quantity: "2000".into(),
                moq: "500".into(),
                carton_pieces: "40".into(),
                carton_kg: "14.5".into(),
                carton_length: "52".into(),
                carton_width: "42".into(),
                carton_height: "30".into(),
                tiers: "500, 1000, 2000".into(),
                ..LineForm::default()
            },
            LineForm {
                sku: "B-200".into(),
                description: "Silicone bottle sleeve".into(),
                hs_code: "3926.90".into(),
                cost: "3.39".into(),
                quantity: "800".into(),
                lot: "200".into(),
                carton_pieces: "200".into(),
                carton_kg: "11".into(),
                carton_length: "50".into(),
                carton_width: "40".into(),
                carton_height: "35".into(),
                tiers: String::new(),
                ..LineForm::default()
            },
        ];
        let (o, q) = compute(&f, &lines, &p, day()).unwrap();
        // The example's two fees are one here: the same total, the same prices.
        let one_fee = WholesaleOrder { shipment_fees: o.shipment_fees.clone(), ..doc.clone() };
        assert_eq!(o, one_fee);
        let expected = desk::quote(&doc, &p).unwrap();
        assert_eq!(q.total, expected.total);
        assert_eq!(q.total.amount.to_string(), "7476.00");
        let document = crossquote::document::proforma(&q, &p.templates().unwrap()).unwrap();
        assert_eq!(
            document,
            crossquote::document::proforma(&expected, &p.templates().unwrap()).unwrap()
        );
        assert_eq!(document.title, "FATURA PROFORMA");
        assert_eq!(document.heading[0].lines, ["ST-20261201-001"]);
        assert_eq!(document.total.lines, ["USD 7.476,00"]);
        let pf = q.proforma.unwrap();
        assert_eq!(pf.terms_of_delivery, "CIF Santos");
    }

    #[test]
    fn a_language_without_texts_is_said_at_its_select() {
        let f = WholesaleForm { document_language: "de".into(), ..WholesaleForm::default() };
        let e = compute(&f, &[LineForm::default()], &profile(), day()).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].0.as_deref(), Some("w-document-language"));
        assert!(e[0].1.starts_with("no document texts in `de`"), "{}", e[0].1);
    }

    #[test]
    fn problems_are_at_the_lines_fields_all_at_once() {
        let p = profile();
        let lines = vec![
            LineForm::default(),
            LineForm { carton_kg: "heavy".into(), tiers: "500:x".into(), ..LineForm::default() },
        ];
        let e = compute(
            &WholesaleForm { deposit: "abc".into(), ..WholesaleForm::default() },
            &lines,
            &p,
            day(),
        )
        .unwrap_err();
        let ids: Vec<_> = e.iter().filter_map(|(id, _)| id.clone()).collect();
        assert_eq!(ids, ["w-deposit", "line-1-carton_kg", "line-1-tiers"]);
        let lines = vec![
            LineForm::default(),
            LineForm {
                quantity: "510".into(),
                lot: "20".into(),
                carton_kg: "0".into(),
                ..LineForm::default()
            },
        ];
        let e = compute(&WholesaleForm::default(), &lines, &p, day()).unwrap_err();
        let ids: Vec<_> = e.iter().filter_map(|(id, _)| id.clone()).collect();
        assert_eq!(ids, ["line-1-carton_kg", "line-1-quantity"], "{e:?}");
    }

    #[test]
    fn lines_are_added_moved_and_removed() {
        let mut f = WholesaleForm::default();
        let mut lines =
            vec![LineForm { sku: "A".into(), carton_pieces: "40".into(), ..LineForm::default() }];
        assert!(apply(&mut f, &mut lines, Edit::Add));
        assert_eq!((lines[1].sku.as_str(), lines[1].carton_pieces.as_str()), ("", "40"));
        assert!(apply(&mut f, &mut lines, Edit::Field("line-1-sku".into(), "B".into())));
        assert!(apply(&mut f, &mut lines, Edit::Up(1)));
        assert_eq!((lines[0].sku.as_str(), lines[1].sku.as_str()), ("B", "A"));
        assert!(!apply(&mut f, &mut lines, Edit::Up(0)));
        assert!(apply(&mut f, &mut lines, Edit::Remove(0)));
        assert!(!apply(&mut f, &mut lines, Edit::Remove(0)));
        assert_eq!(lines[0].sku, "A");
    }
}
