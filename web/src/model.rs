//! The app's state and what it computes, as plain data: forms of text fields, the pure
//! functions that turn them into quotes with the core, and the stored (versioned) form of
//! the state. Everything here is tested natively; the components only display it.

use crossquote::b2b::tiers::{Tier, TierContext, TierPrice, TierRow, TierTable};
use crossquote::b2b::{self, B2bQuote, B2bRequest, Incoterm};
use crossquote::b2c::{self, B2cQuote, B2cRequest, ProfitBasis, ProfitTarget, UnitCosts};
use crossquote::fx::RateSide;
use crossquote::grid::PriceRounding;
use crossquote::logistics::{self, Parcel, Pricing, ShippingQuote};
use crossquote::market::{InstalmentPlan, Market, VatQuote, VatRule};
use crossquote::money::{mul, Precision, Rounding};
use crossquote::profile::Profile;
use crossquote::sheet::record::{strip_bom, Fields, Records};
use crossquote::sheet::{
    Columns, Plan, Services, SheetCounts, SheetFee, SheetSpec, SheetTier, Tally, REJECTED_HEADER,
};
use crossquote::{Currency, Decimal, Money, Percent};
use serde::{Deserialize, Serialize};

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// 中文.
    Zh,
}

/// Which task is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Tab {
    /// A retail (B2C) quote.
    #[default]
    Retail,
    /// A wholesale (B2B) export quote.
    Wholesale,
    /// A reply to the buyer with the quotes' numbers.
    Reply,
    /// A price sheet for a whole catalog.
    Sheet,
    /// The seller profile.
    Settings,
}

/// Declares a form of text fields. Each field is written once, with its element id (the one
/// place ids meet fields: the reducer stores input through `field_mut`, and problems come
/// back by the same ids) and its default; it is kept in browser storage under its own
/// name, as a JSON object of strings (a missing key keeps the default, an unknown one is
/// ignored). One reader of string maps serves every form: a derived reader per form costs
/// the app some 40 KB of wasm.
macro_rules! form {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$doc:meta])* $field:ident: $id:literal = $default:expr, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            $( $(#[$doc])* pub $field: String, )*
        }

        impl $name {
            /// The field behind the input with element id `id`, if any.
            pub fn field_mut(&mut self, id: &str) -> Option<&mut String> {
                Some(match id {
                    $( $id => &mut self.$field, )*
                    _ => return None,
                })
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name { $( $field: $default.into(), )* }
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                serialize_fields(s, &[$( (stringify!($field), self.$field.as_str()), )*])
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let mut stored = std::collections::HashMap::<String, String>::deserialize(d)?;
                let mut form = $name::default();
                $( if let Some(v) = stored.remove(stringify!($field)) { form.$field = v; } )*
                Ok(form)
            }
        }
    };
}

/// A form's fields as a JSON object of strings.
fn serialize_fields<S: serde::Serializer>(
    s: S,
    fields: &[(&str, &str)],
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(fields.len()))?;
    for (k, v) in fields {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

form! {
    /// The retail form, as typed.
    pub struct RetailForm {
        /// Platform id from the profile.
        platform: "platform" = "aliexpress",
        /// Destination country (alpha-2).
        country: "country" = "US",
        /// Purchase cost per unit, seller currency.
        cost: "cost" = "36.00",
        /// Packaging per unit, seller currency.
        packaging: "packaging" = "0",
        /// Other costs per unit (first-leg share, labels, inspection …), seller currency.
        other: "other" = "0",
        /// Parcel weight, kg.
        weight: "weight" = "0.35",
        /// Parcel length, width, height, cm.
        length: "length" = "20",
        /// cm.
        width: "width" = "15",
        /// cm.
        height: "height" = "5",
        /// Service id, or "cheapest".
        service: "service" = CHEAPEST,
        /// Margin on price, %.
        margin: "margin" = "20",
        /// Planned promotion discount, % (empty for none).
        promotion: "promotion" = "",
        /// Price ending: "" (cents), ".99", ".95", ".90" or "whole".
        ending: "ending" = "",
    }
}

/// The service choice meaning "the cheapest that can carry the parcel".
pub const CHEAPEST: &str = "cheapest";

form! {
    /// The wholesale form, as typed.
    pub struct WholesaleForm {
        /// Incoterm code.
        term: "w-term" = "CIF",
        /// Units.
        quantity: "w-quantity" = "500",
        /// Quote currency code.
        currency: "w-currency" = "USD",
        /// Unit cost incl. VAT, seller currency.
        cost: "w-cost" = "113.00",
        /// VAT %.
        vat: "w-vat" = "13",
        /// Rebate %.
        rebate: "w-rebate" = "9",
        /// Domestic fees per shipment, seller currency.
        fees: "w-fees" = "2500",
        /// Freight per shipment, quote currency (used when there is no W/M rate).
        freight: "w-freight" = "1500",
        /// Pieces per export carton (the carton spec: all five carton fields or none).
        carton_pieces: "w-carton-pieces" = "20",
        /// Gross weight of a full carton, kg.
        carton_kg: "w-carton-kg" = "12.5",
        /// Carton outside length, cm.
        carton_length: "w-carton-length" = "60",
        /// Carton outside width, cm.
        carton_width: "w-carton-width" = "40",
        /// Carton outside height, cm.
        carton_height: "w-carton-height" = "35",
        /// Ocean freight per freight ton (W/M 1:1), quote currency; empty: the freight above.
        wm_rate: "w-wm-rate" = "",
        /// Insurance rate %.
        insurance: "w-insurance" = "0.8",
        /// Profit %.
        profit: "w-profit" = "10",
        /// Bank charges %.
        bank: "w-bank" = "0.5",
        /// Commission %.
        commission: "w-commission" = "0",
        /// Tier breaks: "qty:discount%" separated by commas, e.g. "100:0, 500:3, 1000:5".
        tiers: "w-tiers" = "100:0, 500:3, 1000:5, 5000:8",
        /// Least margin for tier prices, %.
        min_margin: "w-min-margin" = "4",
        /// The buyer on the proforma invoice.
        buyer: "w-buyer" = "",
        /// Payment terms on the proforma invoice.
        payment: "w-payment" = "T/T: 30% deposit, 70% before shipment",
        /// Days the proforma invoice's prices hold.
        valid: "w-valid" = "15",
    }
}

/// Everything the app keeps between visits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Stored {
    /// Format version ([`STORED_VERSION`]).
    pub version: u32,
    /// Interface language.
    pub lang: Lang,
    /// Open tab.
    pub tab: Tab,
    /// Retail inputs.
    pub retail: RetailForm,
    /// Wholesale inputs.
    pub wholesale: WholesaleForm,
    /// Reply inputs.
    pub reply: ReplyForm,
    /// Price-sheet settings (the catalog itself is not kept).
    pub sheet: SheetForm,
}

/// The stored format this build writes and reads.
pub const STORED_VERSION: u32 = 1;

/// What reading the stored state found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Restored {
    /// Nothing stored: defaults.
    Fresh,
    /// The stored state.
    Loaded(Box<Stored>),
    /// Stored text that could not be used: keep it as a backup, start from defaults, and
    /// tell the agent why.
    Unusable {
        /// The text as stored, for the backup.
        backup: String,
        /// Why it could not be used.
        reason: String,
    },
}

/// Reads stored text (from browser storage).
pub fn restore(text: Option<&str>) -> Restored {
    let Some(text) = text else { return Restored::Fresh };
    match serde_json::from_str::<Stored>(text) {
        Ok(s) if s.version == STORED_VERSION => Restored::Loaded(Box::new(s)),
        Ok(s) => Restored::Unusable {
            backup: text.to_owned(),
            reason: format!("saved by another version ({})", s.version),
        },
        Err(e) => {
            Restored::Unusable { backup: text.to_owned(), reason: format!("unreadable ({e})") }
        }
    }
}

impl Stored {
    /// The default state at the current version.
    pub fn fresh() -> Stored {
        Stored { version: STORED_VERSION, ..Stored::default() }
    }
}

/// A message for one field (by its element id), or for the whole form (`None`).
pub type Problems = Vec<(Option<&'static str>, String)>;

fn num(problems: &mut Problems, id: &'static str, text: &str) -> Decimal {
    match crossquote::serde_dec::parse(text) {
        Ok(v) => v,
        Err(m) => {
            problems.push((Some(id), m));
            Decimal::ZERO
        }
    }
}

fn optional(problems: &mut Problems, id: &'static str, text: &str) -> Option<Decimal> {
    if text.trim().is_empty() {
        None
    } else {
        Some(num(problems, id, text))
    }
}

/// A retail quote and everything shown around it.
#[derive(Debug, Clone, PartialEq)]
pub struct RetailResult {
    /// The quote.
    pub quote: B2cQuote,
    /// The market.
    pub market: Market,
    /// The shipping service used (folded in as free shipping).
    pub shipping: ShippingQuote,
    /// Every service that could carry the parcel, cheapest first.
    pub options: Vec<ShippingQuote>,
    /// The VAT rule applied to the sale price.
    pub vat: VatQuote,
    /// The instalment offer, where the market has one.
    pub instalments: Option<InstalmentPlan>,
    /// The request behind the quote (for replies: margins at other prices, offers).
    pub request: B2cRequest,
}

impl RetailResult {
    /// Who pays the destination's VAT and duties, in the interface language: the core's
    /// note in English, the same facts in Chinese.
    pub fn vat_note(&self, lang: Lang) -> String {
        let m = &self.market;
        match (lang, &m.vat) {
            (Lang::En, _) => self.vat.note.clone(),
            (Lang::Zh, VatRule::CollectAtSale { scheme, rate, threshold }) => {
                if self.vat.collected_at_sale {
                    format!(
                        "{scheme}: 结账时代收 {} 增值税 {rate} (单票货值不超过 {} {})",
                        m.name, threshold.amount, threshold.currency
                    )
                } else {
                    format!(
                        "超过 {scheme} 限额 {} {}: 买家到货时缴纳进口增值税和关税",
                        threshold.amount, threshold.currency
                    )
                }
            }
            (Lang::Zh, VatRule::BuyerPaysDuties) => {
                format!("买家在 {} 缴纳进口关税和税费; 卖家负责出口", m.name)
            }
        }
    }
}

/// The core's problems placed by the form's ids (`to_id` maps a request path to one).
fn by_field(
    errors: Vec<crossquote::FieldError>,
    to_id: fn(&str) -> Option<&'static str>,
) -> Problems {
    errors.into_iter().map(|fe| (to_id(&fe.field), fe.problem.to_string())).collect()
}

fn retail_field(path: &str) -> Option<&'static str> {
    match path {
        p if p.starts_with("costs.purchase") => Some("cost"),
        p if p.starts_with("costs.packaging") => Some("packaging"),
        p if p.starts_with("costs.other") => Some("other"),
        "profit.percent" | "fees" => Some("margin"),
        "promotion" => Some("promotion"),
        "quote_currency" => Some("country"),
        _ => None,
    }
}

/// The retail quote for a form.
pub fn compute_retail(f: &RetailForm, profile: &Profile) -> Result<RetailResult, Problems> {
    let mut p = Problems::new();
    let cost = num(&mut p, "cost", &f.cost);
    let packaging = num(&mut p, "packaging", &f.packaging);
    let other = num(&mut p, "other", &f.other);
    let parcel = Parcel {
        weight_kg: num(&mut p, "weight", &f.weight),
        length_cm: num(&mut p, "length", &f.length),
        width_cm: num(&mut p, "width", &f.width),
        height_cm: num(&mut p, "height", &f.height),
    };
    let margin = num(&mut p, "margin", &f.margin);
    let promotion = optional(&mut p, "promotion", &f.promotion);
    let market = profile.market(&f.country).cloned();
    if market.is_none() {
        p.push((Some("country"), format!("no market for `{}` in the profile", f.country)));
    }
    let platform = profile.platform(&f.platform).cloned();
    if platform.is_none() {
        p.push((Some("platform"), format!("no platform `{}` in the profile", f.platform)));
    }
    for (id, v) in [
        ("weight", parcel.weight_kg),
        ("length", parcel.length_cm),
        ("width", parcel.width_cm),
        ("height", parcel.height_cm),
    ] {
        if v <= Decimal::ZERO && !p.iter().any(|(f, _)| *f == Some(id)) {
            p.push((Some(id), "must be greater than zero".into()));
        }
    }
    let (Some(market), Some(platform)) = (market, platform) else { return Err(p) };
    if !p.is_empty() {
        return Err(p);
    }
    let (options, refused) = logistics::options(
        &profile.services,
        std::slice::from_ref(&parcel),
        &market.country,
        false,
        Pricing::PerParcel,
    );
    let shipping = if f.service == CHEAPEST {
        options.first().cloned()
    } else {
        options.iter().find(|o| o.service == f.service).cloned()
    };
    let Some(shipping) = shipping else {
        let why = refused
            .iter()
            .find(|e| f.service == CHEAPEST || e.service() == Some(f.service.as_str()))
            .map_or_else(
                || "no service can carry this parcel there".to_owned(),
                ToString::to_string,
            );
        return Err(vec![(Some("service"), why)]);
    };
    let ship = shipping
        .as_b2c_shipping(profile.seller_currency, &profile.rates)
        .map_err(|e| vec![(Some("service"), e.to_string())])?;
    let price_rounding = match f.ending.as_str() {
        ".99" => PriceRounding { step: Some(Decimal::ONE), ending: Decimal::new(99, 2) },
        ".95" => PriceRounding { step: Some(Decimal::ONE), ending: Decimal::new(95, 2) },
        ".90" => PriceRounding { step: Some(Decimal::ONE), ending: Decimal::new(90, 2) },
        "whole" => PriceRounding { step: Some(Decimal::ONE), ending: Decimal::ZERO },
        _ => PriceRounding::default(),
    };
    let req = B2cRequest {
        seller_currency: profile.seller_currency,
        quote_currency: market.currency,
        quantity: 1,
        costs: UnitCosts { purchase: cost, packaging, other, ..UnitCosts::default() },
        shipping: Some(ship),
        fees: platform.fees.clone(),
        fixed_fees: platform.fixed_fees.clone(),
        profit: ProfitTarget { basis: ProfitBasis::Margin, percent: Percent::new(margin) },
        fx: Default::default(),
        promotion: promotion.map(Percent::new),
        coupons: Vec::new(),
        price_rounding,
    };
    let quote = b2c::quote(&req, &profile.rates).map_err(|e| match e {
        b2c::QuoteError::Invalid(errors) => by_field(errors.0, retail_field),
        other => vec![(None, other.to_string())],
    })?;
    let vat = market
        .apply_vat(quote.sale_price, quote.sale_price, &profile.rates)
        .map_err(|e| vec![(None, e.to_string())])?;
    let instalments =
        market.instalment_plan(quote.sale_price).map_err(|e| vec![(None, e.to_string())])?;
    Ok(RetailResult { quote, market, shipping, options, vat, instalments, request: req })
}

/// A wholesale quote with its tier table.
#[derive(Debug, Clone, PartialEq)]
pub struct WholesaleResult {
    /// The quote at the form's quantity.
    pub quote: B2bQuote,
    /// The tier rows (unit price and margin per break).
    pub rows: Vec<TierRow>,
    /// Warnings from the tier table.
    pub warnings: Vec<String>,
    /// How the order packs, when the form has a carton spec.
    pub packing: Option<Packing>,
}

/// How a wholesale order packs: full export cartons (a part-filled last carton counts as a
/// whole one, at a full carton's weight), their gross weight and volume, the ocean freight
/// when a W/M rate is given, and how many cartons each standard container holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Packing {
    /// The carton spec.
    pub carton: b2b::freight::ExportCarton,
    /// Cartons for the order's quantity: ⌈quantity / pieces per carton⌉.
    pub cartons: u64,
    /// Pieces in the last carton when it is not full.
    pub last_carton: Option<u64>,
    /// Gross weight, kg: cartons × a carton's gross weight.
    pub gross_kg: Decimal,
    /// Volume, m³: cartons × length × width × height / 10⁶, exact.
    pub cbm: Decimal,
    /// The W/M tariff (1:1, at least one freight ton) when the form gives a rate.
    pub tariff: Option<b2b::freight::WmTariff>,
    /// Its freight for the order; the quote's freight per shipment is then its total.
    pub freight: Option<b2b::freight::WmFreight>,
    /// Per standard container: cartons and pieces a full one holds, or why none fit.
    pub fills: Vec<(String, Result<b2b::freight::Fill, String>)>,
}

impl Packing {
    /// The W/M freight of `units` pieces in this carton, when the form gives a rate.
    fn freight_for(&self, units: u32) -> Option<Result<b2b::freight::WmFreight, String>> {
        let tariff = self.tariff.as_ref()?;
        Some(match load(&self.carton, units) {
            Some((_, cbm, kg)) => {
                tariff.freight(b2b::freight::Cargo { cbm, kg }).map_err(|e| e.to_string())
            }
            None => Err("the carton spec is too large to work out".to_owned()),
        })
    }

    /// "25 cartons × 20 pcs · G.W. 312.5 kg · 2.1 CBM", and the last carton's pieces when
    /// it is not full.
    pub fn summary(&self, lang: Lang) -> String {
        let t = |k| crate::i18n::t(lang, k);
        let mut s = format!(
            "{} {} {} {} · {} {} kg · {} CBM",
            self.cartons,
            t("cartons-of"),
            self.carton.pieces,
            t("pcs"),
            t("gross"),
            self.gross_kg,
            self.cbm
        );
        if let Some(n) = self.last_carton {
            s.push_str(&format!(" · {} {n} {}", t("last-carton"), t("pcs")));
        }
        s
    }
}

/// The least freight tons a W/M rate is charged for (the usual LCL minimum).
pub const WM_MIN_FREIGHT_TONS: u32 = 1;

/// `units` pieces packed in `carton`: whole cartons (a part-filled last one counts as a
/// full one, at a full one's weight), their volume in m³ and gross weight in kg; `None`
/// when those do not fit a `Decimal`.
fn load(carton: &b2b::freight::ExportCarton, units: u32) -> Option<(u64, Decimal, Decimal)> {
    let cartons = u64::from(units).div_ceil(u64::from(carton.pieces.max(1)));
    let n = Decimal::from(cartons);
    Some((cartons, carton.cbm().ok()?.checked_mul(n)?, carton.gross_kg.checked_mul(n)?))
}

/// The carton spec and W/M rate of a form, as packing for `quantity` units in `currency`;
/// `None` when the form has no carton spec (all five fields empty).
fn packing(
    p: &mut Problems,
    f: &WholesaleForm,
    quantity: Option<u32>,
    currency: Option<Currency>,
) -> Option<Packing> {
    let fields = [
        ("w-carton-pieces", &f.carton_pieces),
        ("w-carton-kg", &f.carton_kg),
        ("w-carton-length", &f.carton_length),
        ("w-carton-width", &f.carton_width),
        ("w-carton-height", &f.carton_height),
    ];
    let rate = optional(p, "w-wm-rate", &f.wm_rate);
    if fields.iter().all(|(_, v)| v.trim().is_empty()) {
        if rate.is_some() {
            p.push((Some("w-wm-rate"), "a W/M rate needs the carton spec".to_owned()));
        }
        return None;
    }
    let before = p.len();
    for (id, _) in fields.iter().filter(|(_, v)| v.trim().is_empty()) {
        p.push((
            Some(*id),
            "a carton spec needs pieces, gross weight, length, width and height".to_owned(),
        ));
    }
    let pieces = f.carton_pieces.trim().parse::<u32>().ok().filter(|n| *n > 0);
    if pieces.is_none() && !f.carton_pieces.trim().is_empty() {
        p.push((
            Some("w-carton-pieces"),
            format!("`{}` is not a whole number of pieces", f.carton_pieces.trim()),
        ));
    }
    let mut positive = |id: &'static str, text: &str| -> Decimal {
        if text.trim().is_empty() {
            return Decimal::ZERO;
        }
        let v = num(p, id, text);
        if v <= Decimal::ZERO {
            p.push((Some(id), format!("must be greater than zero (got {v})")));
        }
        v
    };
    let gross_kg = positive("w-carton-kg", &f.carton_kg);
    let size_cm = [
        positive("w-carton-length", &f.carton_length),
        positive("w-carton-width", &f.carton_width),
        positive("w-carton-height", &f.carton_height),
    ];
    if let Some(r) = rate.filter(|r| *r < Decimal::ZERO) {
        p.push((Some("w-wm-rate"), format!("must not be negative (got {r})")));
    }
    let (Some(pieces), Some(quantity), Some(currency), true) =
        (pieces, quantity, currency, p.len() == before)
    else {
        return None;
    };
    let carton = b2b::freight::ExportCarton { pieces, size_cm, gross_kg };
    let last = quantity.checked_rem(pieces).unwrap_or(0);
    let Some((cartons, cbm, gross)) = load(&carton, quantity) else {
        p.push((Some("w-carton-length"), "the carton spec is too large to work out".to_owned()));
        return None;
    };
    let tariff = rate.map(|r| b2b::freight::WmTariff {
        rate: Money::new(r, currency),
        cbm_per_tonne: Decimal::ONE,
        surcharges: Vec::new(),
        min_freight_tons: Some(Decimal::from(WM_MIN_FREIGHT_TONS)),
    });
    let freight = match &tariff {
        None => None,
        Some(t) => match t.freight(b2b::freight::Cargo { cbm, kg: gross }) {
            Ok(w) => Some(w),
            Err(e) => {
                p.push((Some("w-wm-rate"), e.to_string()));
                return None;
            }
        },
    };
    let fills = b2b::freight::Container::standard()
        .into_iter()
        .map(|c| {
            let fill = b2b::freight::fill(&carton, &c).map_err(|e| e.to_string());
            (c.name, fill)
        })
        .collect();
    Some(Packing {
        carton,
        cartons,
        last_carton: (last != 0).then_some(u64::from(last)),
        gross_kg: gross.normalize(),
        cbm: cbm.normalize(),
        tariff,
        freight,
        fills,
    })
}

fn wholesale_field(path: &str) -> Option<&'static str> {
    match path {
        "quantity" => Some("w-quantity"),
        p if p.starts_with("cost.unit_cost") => Some("w-cost"),
        "cost.vat_rate" => Some("w-vat"),
        "cost.rebate_rate" => Some("w-rebate"),
        p if p.starts_with("freight") => Some("w-freight"),
        p if p.starts_with("insurance") => Some("w-insurance"),
        "profit" => Some("w-profit"),
        "bank_charges" => Some("w-bank"),
        "commission" => Some("w-commission"),
        "quote_currency" => Some("w-currency"),
        _ => None,
    }
}

/// Parses "100:0, 500:3" into (quantity, discount) breaks.
fn parse_tiers(p: &mut Problems, text: &str) -> Vec<(u32, Decimal)> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let parsed = part.split_once(':').and_then(|(q, d)| {
            let q: u32 = q.trim().parse().ok()?;
            let d = crossquote::serde_dec::parse(d.trim().trim_end_matches('%')).ok()?;
            Some((q, d))
        });
        match parsed {
            Some((q, d)) if q > 0 && d >= Decimal::ZERO && d < Decimal::ONE_HUNDRED => {
                out.push((q, d))
            }
            Some((q, _)) if q > 0 => {
                p.push((Some("w-tiers"), format!("`{part}`: a discount is from 0 to under 100%")))
            }
            _ => {
                p.push((Some("w-tiers"), format!("`{part}` is not quantity:discount, e.g. 500:3")))
            }
        }
    }
    out.sort_by_key(|t| t.0);
    out.dedup_by_key(|t| t.0);
    out
}

/// The name of the wholesale form's per-shipment domestic fees line (a fixed label, so
/// the view translates it like the core's own).
pub const DOMESTIC_FEES: &str = "Domestic fees";

/// The wholesale quote and tier table for a form.
pub fn compute_wholesale(
    f: &WholesaleForm,
    profile: &Profile,
) -> Result<WholesaleResult, Problems> {
    let mut p = Problems::new();
    let pct = |p: &mut Problems, id: &'static str, t: &str| Percent::new(num(p, id, t));
    let term: Option<Incoterm> =
        serde_json::from_value(serde_json::Value::from(f.term.as_str())).ok();
    if term.is_none() {
        p.push((Some("w-term"), format!("`{}` is not an Incoterm", f.term)));
    }
    let quantity: Option<u32> = f.quantity.trim().parse().ok().filter(|q| *q > 0);
    if quantity.is_none() {
        p.push((Some("w-quantity"), format!("`{}` is not a whole number of units", f.quantity)));
    }
    let currency = Currency::from_code(f.currency.trim());
    if let Err(e) = &currency {
        p.push((Some("w-currency"), e.to_string()));
    }
    let cost = num(&mut p, "w-cost", &f.cost);
    let (vat, rebate) = (pct(&mut p, "w-vat", &f.vat), pct(&mut p, "w-rebate", &f.rebate));
    let fees = num(&mut p, "w-fees", &f.fees);
    let packing = packing(&mut p, f, quantity, currency.as_ref().ok().copied());
    let freight = match packing.as_ref().and_then(|k| k.freight.as_ref()) {
        Some(w) => w.total.amount,
        None => num(&mut p, "w-freight", &f.freight),
    };
    let insurance = pct(&mut p, "w-insurance", &f.insurance);
    let (profit, bank, commission) = (
        pct(&mut p, "w-profit", &f.profit),
        pct(&mut p, "w-bank", &f.bank),
        pct(&mut p, "w-commission", &f.commission),
    );
    let breaks = parse_tiers(&mut p, &f.tiers);
    let min_margin = optional(&mut p, "w-min-margin", &f.min_margin).map(Percent::new);
    let (Some(term), Some(quantity), Ok(currency)) = (term, quantity, currency) else {
        return Err(p);
    };
    if !p.is_empty() {
        return Err(p);
    }
    let req = B2bRequest {
        seller_currency: profile.seller_currency,
        quote_currency: currency,
        quantity,
        cost: b2b::PurchaseCost { unit_cost: cost, vat_rate: vat, rebate_rate: rebate },
        shipment_fees: vec![b2b::ShipmentFee {
            name: DOMESTIC_FEES.into(),
            amount: fees,
            stage: b2b::Stage::Export,
        }],
        handling: Percent::ZERO,
        loan: None,
        term,
        freight: Some(b2b::FreightCost {
            amount: Money::new(freight, currency),
            per: b2b::Basis::Shipment,
        }),
        insurance: Some(b2b::Insurance {
            rate: insurance,
            cover: Percent::new(Decimal::from(110)),
        }),
        destination: Some(b2b::Destination::default()),
        profit,
        bank_charges: bank,
        commission,
        lc_discount: None,
        fx: b2b::B2bFx::default(),
        price_rounding: PriceRounding::default(),
    };
    let quote = b2b::quote(&req, &profile.rates).map_err(|e| match e {
        b2b::B2bError::Invalid(errors) => by_field(errors.0, wholesale_field),
        other => vec![(None, other.to_string())],
    })?;
    if breaks.is_empty() {
        return Ok(WholesaleResult { quote, rows: Vec::new(), warnings: Vec::new(), packing });
    }
    // The quote is the price of the tier that holds its quantity. The discounts are off
    // the first tier's price, so tier i is `quote × (1 − dᵢ) / (1 − d_quoted)`, rounded up
    // to the minor unit once (the quoted tier is the quote itself). Each tier's margin (and
    // its floor) is judged against its own landed cost at its least quantity: the same
    // request quoted there, less the profit line, so per-shipment fees and freight are
    // spread over that many pieces (with a W/M rate, the freight of that many cartons).
    let price = quote.unit_price.amount;
    let cost_of = |q: &B2bQuote| {
        let profit_line = q.breakdown.amount(crossquote::breakdown::LineKind::Profit);
        q.unit_price.amount.checked_sub(profit_line).unwrap_or(q.unit_price.amount)
    };
    let cost_at = |n: u32| -> Result<Decimal, Problems> {
        if n == quantity {
            return Ok(cost_of(&quote));
        }
        let mut freight = req.freight.clone();
        if let Some(w) = packing.as_ref().and_then(|k| k.freight_for(n)) {
            let w = w.map_err(|e| vec![(Some("w-tiers"), format!("{n} pieces: {e}"))])?;
            freight = Some(b2b::FreightCost { amount: w.total, per: b2b::Basis::Shipment });
        }
        let at = B2bRequest { quantity: n, freight, ..req.clone() };
        let q = b2b::quote(&at, &profile.rates)
            .map_err(|e| vec![(Some("w-tiers"), format!("{n} pieces: {e}"))])?;
        Ok(cost_of(&q))
    };
    let quoted = breaks.iter().rposition(|(q, _)| *q <= quantity);
    let keep = |d: Decimal| Decimal::ONE.checked_sub(Percent::new(d).fraction());
    let keep_quoted = quoted.and_then(|i| keep(breaks[i].1)).unwrap_or(Decimal::ONE);
    let mut tiers = Vec::with_capacity(breaks.len());
    for (i, (q, d)) in breaks.iter().enumerate() {
        let unit = if Some(i) == quoted {
            price
        } else {
            let what = "a tier price";
            mul(price, keep(*d).unwrap_or(Decimal::ONE), what)
                .and_then(|x| {
                    Rounding::Ceiling.div_round(x, keep_quoted, currency.minor_units(), what)
                })
                .map_err(|e| vec![(Some("w-tiers"), e.to_string())])?
        };
        tiers.push(Tier {
            min_qty: *q,
            max_qty: breaks.get(i.saturating_add(1)).map(|n| n.0.saturating_sub(1)),
            price: TierPrice::UnitPrice(unit),
            flat_fee: Decimal::ZERO,
            unit_cost: Some(cost_at(*q)?),
            segment: None,
            valid_from: None,
            valid_to: None,
            priority: 0,
        });
    }
    let table = TierTable {
        currency,
        mode: Default::default(),
        base_price: price,
        unit_cost: cost_of(&quote),
        tiers,
        lot_size: None,
        rounding: PriceRounding::default(),
        min_margin,
        max_margin: None,
        allow_rising: false,
    };
    let (rows, mut warnings) =
        table.rows(&TierContext::default()).map_err(|e| vec![(Some("w-tiers"), e.to_string())])?;
    match rows.iter().find(|r| tier_holds(r, quantity)) {
        None => warnings.push(format!(
            "{quantity} pieces is below the first tier ({} pieces): the tiers are priced from the quote",
            breaks[0].0
        )),
        Some(r) if r.unit_price != price => warnings.push(format!(
            "the margin floor raises the tier of {quantity} pieces to {} (the quote is {price})",
            r.unit_price
        )),
        Some(_) => {}
    }
    Ok(WholesaleResult { quote, rows, warnings, packing })
}

/// What the proforma invoice says besides the quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProformaTerms {
    /// The buyer, as typed.
    pub buyer: String,
    /// Payment terms, as typed.
    pub payment: String,
    /// The invoice's date.
    pub date: crossquote::Date,
    /// The last day its prices hold.
    pub valid_until: crossquote::Date,
}

/// The proforma invoice's terms for a form, issued `today`.
pub fn proforma_terms(
    f: &WholesaleForm,
    today: crossquote::Date,
) -> Result<ProformaTerms, Problems> {
    let days = f.valid.trim().parse::<u32>().ok().filter(|d| (1..=365).contains(d));
    let valid_until = days.and_then(|d| today.plus_days(d)).ok_or_else(|| {
        vec![(Some("w-valid"), format!("`{}` is not a number of days from 1 to 365", f.valid))]
    })?;
    Ok(ProformaTerms {
        buyer: f.buyer.trim().to_owned(),
        payment: f.payment.trim().to_owned(),
        date: today,
        valid_until,
    })
}

form! {
    /// The reply form, as typed. Its numbers come from the retail and wholesale quotes; the
    /// fields here are what the agent decides (quantity, discount, offer …).
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
        /// Pieces (discount threshold, offer quantity, order quantity).
        quantity: "r-quantity" = "3",
        /// Discount %.
        discount: "r-discount" = "5",
        /// The buyer's offer per unit.
        offer: "r-offer" = "",
        /// Least margin the reply may give, %.
        floor: "r-floor" = "10",
        /// Promotion days.
        days: "r-days" = "3",
        /// Pieces in stock.
        stock: "r-stock" = "12",
        /// Pieces in a lot.
        lot: "r-lot" = "10",
        /// Lead time, days.
        lead: "r-lead" = "25",
        /// Quotation valid until (YYYY-MM-DD).
        valid: "r-valid" = "2026-12-31",
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
    pub replies: crossquote::reply::Replies,
    /// The buyer's local time now.
    pub buyer_time: crossquote::reply::BuyerTime,
    /// What the reply's price leaves as margin (bargains, reminders, offers).
    pub margin: Option<Percent>,
}

fn whole(p: &mut Problems, id: &'static str, t: &str) -> u32 {
    match t.trim().parse::<u32>() {
        Ok(v) if v > 0 => v,
        _ => {
            p.push((Some(id), format!("`{t}` is not a whole number above zero")));
            1
        }
    }
}

/// The reply for the forms: numbers from the retail (and for a letter, wholesale) quote;
/// `utc_minutes` is the seller's clock, minutes since midnight UTC.
pub fn compute_reply(
    r: &ReplyForm,
    retail: &RetailForm,
    wholesale: &WholesaleForm,
    profile: &Profile,
    utc_minutes: u32,
) -> Result<ReplyResult, Problems> {
    use crossquote::reply::{self, Buyer, Channel, Layout, ReplyRequest, Scenario};
    let quoted = compute_retail(retail, profile)
        .map_err(|_| vec![(None, "the retail quote has problems: fix it first".to_owned())])?;
    let mut p = Problems::new();
    let sale = quoted.quote.sale_price;
    let rates = &profile.rates;
    let floor = Percent::new(num(&mut p, "r-floor", &r.floor));
    // A discounted price must keep the floor margin, or the reply is not written.
    let discounted = |p: &mut Problems, d: Percent| -> (Money, Option<Percent>) {
        let price = Decimal::ONE
            .checked_sub(d.fraction())
            .and_then(|keep| sale.amount.checked_mul(keep))
            .map(|x| crossquote::Rounding::HalfUp.round(x, sale.currency.minor_units()));
        let Some(price) = price.filter(|x| *x >= Decimal::ZERO) else {
            p.push((Some("r-discount"), format!("{d} is not a discount")));
            return (sale, None);
        };
        let m = b2c::evaluate(&quoted.request, rates, price).ok().and_then(|at| at.margin);
        if m.is_none_or(|m| m < floor) {
            let left = m.map_or("no".to_owned(), |m| m.to_string());
            p.push((
                Some("r-discount"),
                format!("{d} off leaves {left} margin, under the {floor} floor"),
            ));
        }
        (Money::new(price, sale.currency), m)
    };
    let mut margin = None;
    let scenario = match r.scenario.as_str() {
        "bargain_quantity" => {
            let q = whole(&mut p, "r-quantity", &r.quantity);
            let d = Percent::new(num(&mut p, "r-discount", &r.discount));
            let (price, m) = discounted(&mut p, d);
            margin = m;
            Scenario::BargainQuantity { min_quantity: q, discount: d, unit_price: price }
        }
        "no_discount_gift" => Scenario::NoDiscountGift,
        "counter_offer" => {
            let q = whole(&mut p, "r-quantity", &r.quantity);
            let offer = num(&mut p, "r-offer", &r.offer);
            if !p.is_empty() {
                return Err(p);
            }
            let co = b2c::CounterOffer {
                unit_price: offer,
                quantity: q,
                floor_margin: floor,
                max_counter_gap: Percent::new(Decimal::from(20)),
            };
            let v = b2c::counter_offer(&quoted.request, rates, &co)
                .map_err(|e| vec![(Some("r-offer"), e.to_string())])?;
            margin = v.at_offer.margin;
            Scenario::from_verdict(&v, q).map_err(|e| vec![(None, e.to_string())])?
        }
        "shipping_free" => Scenario::ShippingFree {
            unit_price: sale,
            service: quoted.shipping.name.clone(),
            days: format!(
                "{}–{}",
                quoted.shipping.transit_days.min, quoted.shipping.transit_days.max
            ),
        },
        "unpaid_reminder" => {
            let q = whole(&mut p, "r-quantity", &r.quantity);
            let d = Percent::new(num(&mut p, "r-discount", &r.discount));
            let days = whole(&mut p, "r-days", &r.days);
            let stock = whole(&mut p, "r-stock", &r.stock);
            let (price, m) = discounted(&mut p, d);
            margin = m;
            let qd = Decimal::from(q);
            let full = sale.checked_mul(qd).map_err(|e| vec![(None, e.to_string())])?;
            let total = price.checked_mul(qd).map_err(|e| vec![(None, e.to_string())])?;
            Scenario::UnpaidReminder { days, discount: d, total, full_total: full, stock }
        }
        "lots" => {
            let n = whole(&mut p, "r-lot", &r.lot);
            let price =
                sale.checked_mul(Decimal::from(n)).map_err(|e| vec![(None, e.to_string())])?;
            Scenario::Lots { lot_size: n, lot_price: price }
        }
        "payment_methods" => Scenario::PaymentMethods,
        "import_duties" => Scenario::ImportDuties,
        "instalments" => Scenario::Instalments { price: sale },
        "wholesale_letter" => {
            let w = compute_wholesale(wholesale, profile).map_err(|_| {
                vec![(None, "the wholesale quote has problems: fix it first".to_owned())]
            })?;
            let lead = whole(&mut p, "r-lead", &r.lead);
            let Ok(valid) = r.valid.trim().parse::<crossquote::Date>() else {
                p.push((
                    Some("r-valid"),
                    format!("`{}` is not a date of the form YYYY-MM-DD", r.valid),
                ));
                return Err(p);
            };
            let rows = if w.rows.is_empty() {
                vec![TierRow {
                    min_qty: w.quote.quantity,
                    max_qty: None,
                    unit_price: w.quote.unit_price.amount,
                    flat_fee: Decimal::ZERO,
                    margin: None,
                }]
            } else {
                w.rows
            };
            Scenario::letter_from_tiers(
                &w.quote.label,
                w.quote.unit_price.currency,
                &rows,
                "tt_30_70",
                lead,
                valid,
            )
        }
        other => {
            p.push((Some("r-scenario"), format!("unknown scenario `{other}`")));
            return Err(p);
        }
    };
    if !p.is_empty() {
        return Err(p);
    }
    let req = ReplyRequest {
        scenario,
        country: quoted.market.country.clone(),
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
        .map_err(|e| vec![(Some("r-scenario"), e.to_string())])?;
    Ok(ReplyResult { replies, buyer_time: reply::buyer_time(&quoted.market, utc_minutes), margin })
}

/// What browser storage holds for the seller profile.
#[derive(Debug, Clone, PartialEq)]
pub enum RestoredProfile {
    /// Nothing saved: the built-in profile.
    Builtin,
    /// The saved profile and its text.
    Saved(Box<Profile>, String),
    /// Saved text that is not a valid profile (any more): keep it as a backup, use the
    /// built-in profile, and tell the agent why.
    Unusable {
        /// The text as stored.
        backup: String,
        /// Why it could not be used.
        reason: String,
    },
}

/// Reads the saved profile text (from browser storage).
pub fn restore_profile(text: Option<&str>) -> RestoredProfile {
    let Some(text) = text else { return RestoredProfile::Builtin };
    match check_profile(text) {
        Ok(p) => RestoredProfile::Saved(Box::new(p), text.to_owned()),
        Err(problems) => RestoredProfile::Unusable {
            backup: text.to_owned(),
            reason: format!("the saved profile is not valid: {}", problems.join("; ")),
        },
    }
}

/// A profile's text checked by the core: the profile, or each problem with its line.
pub fn check_profile(text: &str) -> Result<Profile, Vec<String>> {
    crossquote::profile::load(text)
        .map_err(|errors| errors.iter().map(ToString::to_string).collect())
}

/// Decimal places of a mid rate worked out from an ECB file (a cross through EUR, rounded
/// half-up): ECB publishes 4–6 significant digits, so 6 places keep them for every pair.
pub const ECB_CROSS_PLACES: u32 = 6;

/// The profile's text with the mid rate of each pair the newest day of an ECB euro
/// reference-rate file covers worked out afresh (through EUR, [`ECB_CROSS_PLACES`],
/// half-up), and the table dated that day. Pairs the file cannot price, and every bank
/// buying and selling rate (the file has none), stay as they were; the note says which.
pub fn with_ecb_rates(profile_text: &str, xml: &str) -> Result<(String, String), String> {
    let tables = crossquote::fx::ecb::parse(xml).map_err(|e| e.to_string())?;
    let Some(ecb) = tables.into_iter().max_by_key(|t| t.as_of) else {
        return Err("the ECB file has no day of rates".to_owned());
    };
    let mut value: serde_json::Value =
        serde_json::from_str(profile_text).map_err(|e| format!("the profile: {e}"))?;
    let Some(rates) = value.get_mut("rates").and_then(|r| r.as_object_mut()) else {
        return Err("the profile has no `rates` table".to_owned());
    };
    let (mut updated, mut kept, mut bank) = (Vec::new(), Vec::new(), Vec::new());
    for pair in rates.get_mut("pairs").and_then(|p| p.as_array_mut()).into_iter().flatten() {
        let code = |k: &str| {
            pair.get(k).and_then(|v| v.as_str()).and_then(|c| Currency::from_code(c).ok())
        };
        let (Some(from), Some(to)) = (code("from"), code("to")) else { continue };
        let name = format!("{from}/{to}");
        let fresh = ecb.exact_rate(from, to, RateSide::Mid).ok().and_then(|r| {
            crossquote::Rounding::HalfUp
                .div_round(r.num, r.den, ECB_CROSS_PLACES, "an ECB cross rate")
                .ok()
        });
        match fresh {
            Some(mid) => {
                if pair.get("bank_buying").is_some() || pair.get("bank_selling").is_some() {
                    bank.push(name.clone());
                }
                pair["mid"] = serde_json::Value::String(mid.to_string());
                updated.push(name);
            }
            None => kept.push(name),
        }
    }
    if updated.is_empty() {
        return Err(format!("the ECB file of {} prices none of the profile's pairs", ecb.as_of));
    }
    rates.insert("as_of".to_owned(), serde_json::Value::String(ecb.as_of.to_string()));
    rates.insert(
        "source".to_owned(),
        serde_json::Value::String(format!(
            "ECB euro reference rates of {} (mid, through EUR)",
            ecb.as_of
        )),
    );
    let text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?;
    let mut note = format!("{}: mid rates of {} updated", ecb.as_of, updated.join(", "));
    if !kept.is_empty() {
        note.push_str(&format!("; not in the file, kept: {}", kept.join(", ")));
    }
    if !bank.is_empty() {
        note.push_str(&format!(
            "; bank buying/selling rates kept (the file has none): {}",
            bank.join(", ")
        ));
    }
    Ok((text, note))
}

/// One tier of the tier chart: its quantity range, and the unit price and margin as
/// heights in percent of the tallest (so the picture needs no floating point).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierBar {
    /// "100–499", "5000+".
    pub label: String,
    /// The unit price.
    pub unit_price: Decimal,
    /// The unit price's height, 0–100, half-up to 2 places.
    pub price_height: Decimal,
    /// The margin.
    pub margin: Option<Percent>,
    /// The margin's height, 0–100 of the largest margin (none when no margin is above 0).
    pub margin_height: Option<Decimal>,
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

/// The tier chart's bars: unit price and margin against quantity.
pub fn tier_bars(rows: &[TierRow]) -> Vec<TierBar> {
    let share = |x: Decimal, top: Decimal| {
        crossquote::money::mul(x, Decimal::ONE_HUNDRED, "a chart")
            .and_then(|a| crossquote::Rounding::HalfUp.div_round(a, top, 2, "a chart"))
            .ok()
            .map(|h| h.max(Decimal::ZERO))
    };
    let top_price = rows.iter().map(|r| r.unit_price).max().unwrap_or_default();
    let top_margin = rows
        .iter()
        .filter_map(|r| r.margin.map(|m| m.points()))
        .max()
        .filter(|m| *m > Decimal::ZERO);
    rows.iter()
        .map(|r| TierBar {
            label: tier_range(r),
            unit_price: r.unit_price,
            price_height: share(r.unit_price, top_price).unwrap_or_default(),
            margin: r.margin,
            margin_height: top_margin.and_then(|t| share(r.margin?.points(), t)),
        })
        .collect()
}

form! {
    /// The price-sheet form, as typed.
    pub struct SheetForm {
        /// Service ids from the profile, separated by commas (several: the sheet has a
        /// `service` column and prices each SKU on each).
        service: "s-service" = "economy-air",
        /// The sheet's currency.
        currency: "s-currency" = "USD",
        /// Platform id whose plain-percentage fees apply, or empty.
        platform: "s-platform" = "aliexpress",
        /// More fees on the price, % separated by commas ("12, 3").
        fees: "s-fees" = "",
        /// Tiers: `name from-qty margin% [cost-factor]`, separated by `;`.
        tiers: "s-tiers" = "B2C 1 35; B2B1 2 28; B2B2 50 22 0.97; B2B3 200 18 0.94; B2B4 1000 15 0.90",
        /// Zones to price, separated by commas; empty for all.
        zones: "s-zones" = "",
        /// Quantities to price, separated by commas; empty for each tier's least.
        quantities: "s-quantities" = "",
        /// "exact", or "python" for 28 significant digits half-even (Python `decimal`).
        precision: "s-precision" = "exact",
    }
}

fn sheet_field(path: &str) -> Option<&'static str> {
    match path {
        p if p.starts_with("service") => Some("s-service"),
        "currency" => Some("s-currency"),
        "platform" => Some("s-platform"),
        p if p.starts_with("fees") => Some("s-fees"),
        p if p.starts_with("tiers") => Some("s-tiers"),
        p if p.starts_with("zones") => Some("s-zones"),
        p if p.starts_with("quantities") => Some("s-quantities"),
        _ => None,
    }
}

fn comma_list(text: &str) -> impl Iterator<Item = &str> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty())
}

/// One tier as typed: `name from-qty margin% [cost-factor]` (`B2B2 50 22 0.97`; a `+`
/// after the quantity, a `%` after the margin and an `x` before the factor are allowed).
fn parse_sheet_tier(text: &str) -> Option<SheetTier> {
    let dec = |t: &str| crossquote::serde_dec::parse(t.trim_end_matches('%')).ok();
    let words: Vec<&str> = text.split_whitespace().collect();
    let [name, qty, margin, rest @ ..] = words.as_slice() else { return None };
    let cost_factor = match rest {
        [] => Decimal::ONE,
        [c] => dec(c.trim_start_matches(['x', '×']))?,
        _ => return None,
    };
    Some(SheetTier {
        name: (*name).to_owned(),
        min_qty: qty.trim_end_matches('+').parse().ok()?,
        cost_factor,
        margin: Percent::new(dec(margin)?),
    })
}

/// Whether the form's service list has `id`.
pub fn service_chosen(list: &str, id: &str) -> bool {
    comma_list(list).any(|s| s == id)
}

/// The form's service list with `id` added (`on`) or taken out, in the profile's order.
pub fn toggle_service(list: &str, id: &str, on: bool, profile: &Profile) -> String {
    let mut chosen: Vec<&str> = comma_list(list).filter(|s| *s != id).collect();
    if on {
        chosen.push(id);
    }
    let order = |s: &&str| profile.services.iter().position(|x| x.id == *s).unwrap_or(usize::MAX);
    chosen.sort_by_key(order);
    chosen.join(", ")
}

/// The sheet spec a form describes.
pub fn sheet_spec(f: &SheetForm) -> Result<SheetSpec, Problems> {
    let mut p = Problems::new();
    let currency = match Currency::from_code(f.currency.trim()) {
        Ok(c) => Some(c),
        Err(e) => {
            p.push((Some("s-currency"), e.to_string()));
            None
        }
    };
    let fees = comma_list(&f.fees)
        .enumerate()
        .map(|(i, t)| SheetFee {
            name: format!("fee {}", i.saturating_add(1)),
            rate: Percent::new(num(&mut p, "s-fees", t.trim_end_matches('%'))),
        })
        .collect();
    let mut tiers = Vec::new();
    for part in f.tiers.split([';', '\n']).map(str::trim).filter(|s| !s.is_empty()) {
        let tier = parse_sheet_tier(part);
        match tier {
            Some(t) => tiers.push(t),
            None => p.push((
                Some("s-tiers"),
                format!(
                    "`{part}` is not `name from-qty margin% [cost-factor]`, e.g. B2B2 50 22 0.97"
                ),
            )),
        }
    }
    if tiers.is_empty() && !p.iter().any(|(f, _)| *f == Some("s-tiers")) {
        p.push((Some("s-tiers"), "at least one tier, e.g. B2C 1 35".to_owned()));
    }
    let mut quantities = Vec::new();
    for t in comma_list(&f.quantities) {
        match t.parse::<u32>() {
            Ok(q) if q > 0 => quantities.push(q),
            _ => p.push((Some("s-quantities"), format!("`{t}` is not a whole number of units"))),
        }
    }
    let ids: Vec<String> = comma_list(&f.service).map(str::to_owned).collect();
    if ids.is_empty() {
        p.push((Some("s-service"), "at least one shipping service".to_owned()));
    }
    let precision = match f.precision.as_str() {
        "python" => Precision::PYTHON_DECIMAL,
        _ => Precision::Exact,
    };
    match (currency, p.is_empty()) {
        (Some(currency), true) => Ok(SheetSpec {
            service: match ids.as_slice() {
                [one] => Services::One(one.clone()),
                _ => Services::Many(ids),
            },
            currency,
            fees,
            platform: Some(f.platform.trim().to_owned()).filter(|x| !x.is_empty()),
            tiers,
            zones: comma_list(&f.zones).map(str::to_owned).collect(),
            quantities,
            precision,
            rate_side: RateSide::default(),
        }),
        _ => Err(p),
    }
}

/// A price sheet being made: the catalog's records read, priced a slice at a time so the
/// page can show progress.
#[derive(Debug)]
pub struct SheetJob {
    plan: Plan,
    columns: Columns,
    /// Each record with its line in the catalog, or the reader's error there.
    records: Vec<(u64, Result<Fields, String>)>,
    next: usize,
    csv: Vec<u8>,
    tally: Tally,
}

/// A finished price sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetOutput {
    /// The sheet as CSV, header first.
    pub csv: String,
    /// Rejected rows and lines as CSV, header first.
    pub rejected: String,
    /// The counts.
    pub tally: SheetCounts,
    /// Header columns not read.
    pub ignored: Vec<String>,
}

/// The sheet as an XLSX workbook: one worksheet, the header in bold, text cells
/// neutralised like the CSV's, numbers as number cells holding the CSV's exact decimal
/// text and shown with their column's decimals. The parts are written here (a workbook
/// library would add more to the page's download than the whole app, see README,
/// "Budgets") and packed with the zip crate, uncompressed.
pub fn sheet_xlsx(csv_text: &str) -> Result<Vec<u8>, String> {
    use std::fmt::Write as _;
    use std::io::Write as _;
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const PKG: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    let head = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;
    let mut sheet = format!("{head}\n<worksheet xmlns=\"{MAIN}\"><sheetData>");
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(csv_text.as_bytes());
    let mut numeric = Vec::new();
    for (r, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| format!("the sheet's line {}: {e}", r.saturating_add(1)))?;
        let row = r.saturating_add(1);
        let _ = write!(sheet, "<row r=\"{row}\">");
        for (c, cell) in rec.iter().enumerate() {
            let at = format!("{}{row}", column_name(c));
            if r == 0 {
                // Name columns are text; the counted and priced ones are numbers.
                numeric.push(!matches!(cell, "sku" | "service" | "zone" | "tier"));
                let _ = write!(
                    sheet,
                    "<c r=\"{at}\" s=\"1\" t=\"inlineStr\"><is><t>{}</t></is></c>",
                    xml_text(cell)
                );
                continue;
            }
            if numeric.get(c).copied().unwrap_or(false) && is_plain_number(cell) {
                let places = cell.split_once('.').map_or(0, |(_, f)| f.len());
                // Styles 2–6: 0 to 4 decimals; more keep the general format.
                let style = if places <= 4 { places.saturating_add(2) } else { 0 };
                let _ = write!(sheet, "<c r=\"{at}\" s=\"{style}\"><v>{cell}</v></c>");
            } else {
                let text = crossquote::sheet::neutralise(cell);
                let _ = write!(
                    sheet,
                    "<c r=\"{at}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
                    xml_text(&text)
                );
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml";
    let parts = [
        ("[Content_Types].xml", format!(
            "{head}\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Override PartName=\"/xl/workbook.xml\" ContentType=\"{sheet_type}.sheet.main+xml\"/>\
             <Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"{sheet_type}.worksheet+xml\"/>\
             <Override PartName=\"/xl/styles.xml\" ContentType=\"{sheet_type}.styles+xml\"/></Types>"
        )),
        ("_rels/.rels", format!(
            "{head}\n<Relationships xmlns=\"{PKG}\"><Relationship Id=\"rId1\" \
             Type=\"{REL}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
        )),
        ("xl/workbook.xml", format!(
            "{head}\n<workbook xmlns=\"{MAIN}\" xmlns:r=\"{REL}\"><sheets>\
             <sheet name=\"price sheet\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
        )),
        ("xl/_rels/workbook.xml.rels", format!(
            "{head}\n<Relationships xmlns=\"{PKG}\">\
             <Relationship Id=\"rId1\" Type=\"{REL}/worksheet\" Target=\"worksheets/sheet1.xml\"/>\
             <Relationship Id=\"rId2\" Type=\"{REL}/styles\" Target=\"styles.xml\"/></Relationships>"
        )),
        ("xl/styles.xml", format!(
            "{head}\n<styleSheet xmlns=\"{MAIN}\"><numFmts count=\"3\">\
             <numFmt numFmtId=\"164\" formatCode=\"0.0\"/><numFmt numFmtId=\"165\" formatCode=\"0.000\"/>\
             <numFmt numFmtId=\"166\" formatCode=\"0.0000\"/></numFmts>\
             <fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font>\
             <font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>\
             <fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>\
             <fill><patternFill patternType=\"gray125\"/></fill></fills>\
             <borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
             <cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>\
             <cellXfs count=\"7\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>\
             <xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>\
             <xf numFmtId=\"1\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>\
             <xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>\
             <xf numFmtId=\"2\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>\
             <xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>\
             <xf numFmtId=\"166\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>\
             </cellXfs></styleSheet>"
        )),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in parts {
        zip.start_file(name, options).map_err(|e| e.to_string())?;
        zip.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    }
    Ok(zip.finish().map_err(|e| e.to_string())?.into_inner())
}

/// A spreadsheet column's letters: 0 → A, 25 → Z, 26 → AA.
fn column_name(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(char::from(b'A'.saturating_add(u8::try_from(index % 26).unwrap_or(0))));
        match (index / 26).checked_sub(1) {
            Some(next) => index = next,
            None => break,
        }
    }
    letters.iter().rev().collect()
}

/// A decimal as the sheet writes it: digits, at most one point, an optional minus.
fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !frac.is_empty()
        && whole.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
}

/// Text escaped for XML character data.
fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 cannot hold at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

impl SheetJob {
    /// Checks the form against the profile and reads the catalog (CSV text, header first).
    pub fn new(f: &SheetForm, profile: &Profile, catalog: &str) -> Result<SheetJob, Problems> {
        let spec = sheet_spec(f)?;
        let plan = Plan::new(profile, &spec).map_err(|e| by_field(e, sheet_field))?;
        let mut rdr = Records::new(strip_bom(catalog.as_bytes()), 1);
        let header = match rdr.next_record() {
            Some((_, Ok(h))) => h.iter().map(String::from_utf8_lossy).collect::<Vec<_>>(),
            Some((row, Err(e))) => {
                return Err(vec![(Some("s-catalog"), format!("header (row {row}): {e}"))])
            }
            None => {
                return Err(vec![(
                    Some("s-catalog"),
                    "the catalog is empty: it needs a header row".to_owned(),
                )])
            }
        };
        let columns = Columns::from_header(header.iter().map(|h| h.as_ref())).map_err(|e| {
            e.problems.into_iter().map(|m| (Some("s-catalog"), m)).collect::<Problems>()
        })?;
        let mut records = Vec::new();
        while let Some((line, rec)) = rdr.next_record() {
            records.push((line, rec.cloned().map_err(|e| e.to_string())));
        }
        let mut csv = plan.header().into_bytes();
        csv.push(b'\n');
        Ok(SheetJob { plan, columns, records, next: 0, csv, tally: Tally::default() })
    }

    /// Prices up to `rows` more records; true when every record is priced.
    pub fn step(&mut self, rows: usize) -> bool {
        let end = self.next.saturating_add(rows).min(self.records.len());
        for (line, record) in self.records.get(self.next..end).unwrap_or_default() {
            match record {
                Ok(rec) => {
                    let cells: Vec<&[u8]> = rec.iter().collect();
                    let csv = &mut self.csv;
                    self.plan.price_record(&self.columns, *line, &cells, &mut self.tally, |l| {
                        l.write_csv(csv)
                    });
                }
                Err(reason) => self.tally.unreadable(*line, reason),
            }
        }
        self.next = end;
        self.next >= self.records.len()
    }

    /// (records priced, records in the catalog).
    pub fn progress(&self) -> (usize, usize) {
        (self.next, self.records.len())
    }

    /// The sheet, once [`SheetJob::step`] said it is done (earlier: what is priced so far).
    pub fn finish(self) -> SheetOutput {
        let mut rejected = format!("{REJECTED_HEADER}\n").into_bytes();
        rejected.extend_from_slice(&self.tally.rejected);
        SheetOutput {
            csv: String::from_utf8_lossy(&self.csv).into_owned(),
            rejected: String::from_utf8_lossy(&rejected).into_owned(),
            tally: self.tally.counts,
            ignored: self.columns.ignored().to_vec(),
        }
    }
}

#[cfg(test)]
#[path = "../../tests/support/xlsx_check.rs"]
mod xlsx_check;

#[cfg(test)]
mod tests {
    use super::*;

    /// Every input id reaches its own field (no two ids share one), and an unknown id none.
    #[test]
    fn each_input_id_has_its_own_field() {
        fn check<F: Default>(
            ids: &[&str],
            field: for<'a> fn(&'a mut F, &str) -> Option<&'a mut String>,
        ) {
            let mut form = F::default();
            for id in ids {
                *field(&mut form, id).unwrap_or_else(|| panic!("{id}")) = (*id).to_owned();
            }
            for id in ids {
                assert_eq!(field(&mut form, id).map(|s| s.clone()).as_deref(), Some(*id));
            }
            assert!(field(&mut form, "nope").is_none());
        }
        check::<RetailForm>(
            &[
                "platform",
                "country",
                "cost",
                "packaging",
                "other",
                "weight",
                "length",
                "width",
                "height",
                "service",
                "margin",
                "promotion",
                "ending",
            ],
            RetailForm::field_mut,
        );
        check::<SheetForm>(
            &[
                "s-service",
                "s-currency",
                "s-platform",
                "s-fees",
                "s-tiers",
                "s-zones",
                "s-quantities",
                "s-precision",
            ],
            SheetForm::field_mut,
        );
        check::<WholesaleForm>(
            &[
                "w-term",
                "w-quantity",
                "w-currency",
                "w-cost",
                "w-vat",
                "w-rebate",
                "w-fees",
                "w-freight",
                "w-carton-pieces",
                "w-carton-kg",
                "w-carton-length",
                "w-carton-width",
                "w-carton-height",
                "w-wm-rate",
                "w-insurance",
                "w-profit",
                "w-bank",
                "w-commission",
                "w-tiers",
                "w-min-margin",
                "w-buyer",
                "w-payment",
                "w-valid",
            ],
            WholesaleForm::field_mut,
        );
        check::<ReplyForm>(
            &[
                "r-scenario",
                "r-language",
                "r-channel",
                "r-layout",
                "r-name",
                "r-greeting",
                "r-buyer",
                "r-quantity",
                "r-discount",
                "r-offer",
                "r-floor",
                "r-days",
                "r-stock",
                "r-lot",
                "r-lead",
                "r-valid",
                "r-seller",
            ],
            ReplyForm::field_mut,
        );
    }

    fn profile() -> Profile {
        crossquote::defaults::default_profile().unwrap()
    }

    #[test]
    fn default_retail_quote_uses_the_cheapest_service() {
        let r = compute_retail(&RetailForm::default(), &profile()).unwrap();
        // China Post to the US: 0.35 kg x 95 + 9 = 42.25 CNY. (36 + 42.25) / 7.10 = 11.0211
        // USD; / (1 - 8% - 3% - 20%) = 15.9726; on rounded lines (5.07 + 5.95, fees 1.28 +
        // 0.48) 15.97 leaves 3.19 < 3.194 and 15.98 leaves 3.20.
        assert_eq!(r.shipping.service, "cn-post-registered");
        assert_eq!(r.shipping.total.to_string(), "42.25");
        assert_eq!(r.market.format_money(r.quote.sale_price.amount), "$15.98");
        assert!(r.instalments.is_none());
    }

    #[test]
    fn brazil_gets_reais_and_the_instalment_line() {
        let f = RetailForm { country: "BR".into(), ..RetailForm::default() };
        let r = compute_retail(&f, &profile()).unwrap();
        // 0.35 x 120 + 14 = 56.00 CNY; (36 + 56) / 1.30 = 70.7692 BRL; / 0.69 = 102.5641;
        // lines 27.69 + 43.08, fees 8.21 + 3.08: 102.57 leaves 20.51 < 20.514, 102.58 leaves 20.52.
        assert_eq!(r.market.format_money(r.quote.sale_price.amount), "R$\u{a0}102,58");
        assert_eq!(r.instalments.unwrap().line, "12x de R$\u{a0}8,55 sem juros");
    }

    #[test]
    fn other_costs_are_a_line_of_their_own() {
        let f = RetailForm { other: "7.10".into(), ..RetailForm::default() };
        let r = compute_retail(&f, &profile()).unwrap();
        // Lines 36 / 7.10 = 5.07, 7.10 / 7.10 = 1.00, 42.25 / 7.10 = 5.95 (12.02); at 17.42
        // fees 1.39 + 0.52 leave 3.49 >= 3.484; at 17.41 they leave 3.48 < 3.482.
        assert_eq!(r.market.format_money(r.quote.sale_price.amount), "$17.42");
        let other = |b: &crossquote::breakdown::Breakdown| {
            b.lines
                .iter()
                .find(|l| l.kind == crossquote::breakdown::LineKind::OtherCost)
                .map(|l| l.amount.to_string())
        };
        assert_eq!(other(&r.quote.at_price.breakdown).as_deref(), Some("1.00"));
        assert_eq!(other(&r.quote.at_price.seller_breakdown).as_deref(), Some("7.10"));
        let f = RetailForm { other: "-1".into(), ..RetailForm::default() };
        let p = compute_retail(&f, &profile()).unwrap_err();
        assert_eq!(p.iter().map(|x| x.0).collect::<Vec<_>>(), vec![Some("other")]);
    }

    #[test]
    fn the_vat_note_follows_the_interface_language() {
        let at = |country: &str, cost: &str| {
            let f =
                RetailForm { country: country.into(), cost: cost.into(), ..RetailForm::default() };
            compute_retail(&f, &profile()).unwrap()
        };
        let us = at("US", "36.00");
        assert_eq!(us.vat_note(Lang::En), us.vat.note);
        assert_eq!(us.vat_note(Lang::Zh), "买家在 United States 缴纳进口关税和税费; 卖家负责出口");
        let de = at("DE", "36.00");
        assert!(de.vat.collected_at_sale);
        assert_eq!(
            de.vat_note(Lang::Zh),
            "IOSS: 结账时代收 Germany 增值税 19% (单票货值不超过 150 EUR)"
        );
        // 2,000 CNY of goods is well over 150 EUR.
        let over = at("DE", "2000");
        assert!(!over.vat.collected_at_sale);
        assert_eq!(
            over.vat_note(Lang::Zh),
            "超过 IOSS 限额 150 EUR: 买家到货时缴纳进口增值税和关税"
        );
    }

    #[test]
    fn retail_problems_are_reported_by_field() {
        let f = RetailForm { cost: "abc".into(), weight: "0".into(), ..RetailForm::default() };
        let p = compute_retail(&f, &profile()).unwrap_err();
        let ids: Vec<_> = p.iter().map(|x| x.0).collect();
        assert_eq!(ids, vec![Some("cost"), Some("weight")]);
        let f = RetailForm { margin: "95".into(), ..RetailForm::default() };
        let p = compute_retail(&f, &profile()).unwrap_err();
        assert_eq!(p[0].0, Some("margin"));
        let f =
            RetailForm { weight: "3".into(), service: "epacket".into(), ..RetailForm::default() };
        let p = compute_retail(&f, &profile()).unwrap_err();
        assert_eq!(p[0].0, Some("service"));
        assert_eq!(p[0].1, "weight 3 kg is over epacket's limit of 2 kg");
    }

    #[test]
    fn default_wholesale_quote_is_cif_with_tiers() {
        let r = compute_wholesale(&WholesaleForm::default(), &profile()).unwrap();
        // 500 units: rebate 9.00, fees 2,500 / 500 = 5.00 -> (113 - 9 + 5) / 7.085 = 15.3846 USD;
        // freight 1,500 / 500 = 3.00; CIF = 18.3846 / (1 - 10% - 0.5% - 110% x 0.8%) = 20.7454 -> 20.75.
        assert_eq!(r.quote.label, "CIF");
        assert_eq!(r.quote.unit_price.amount.to_string(), "20.75");
        // The quote is the 500-999 tier's price (3% off the first tier's); the others are
        // rounded up once from it: x 0.95 / 0.97 = 20.3222 -> 20.33; x 0.92 / 0.97 =
        // 19.6804 -> 19.69. 100-499 would be 20.75 / 0.97 = 21.3918 -> 21.40, but at 100
        // pieces the fees and freight per shipment are 25 CNY and 15 USD a piece: (113 - 9
        // + 25) / 7.085 + 15 = 33.2075 / 0.8862 = 37.48 with 10% profit, whose lines
        // without profit are 33.73, so the 4% floor raises it to 33.73 / 0.96 = 35.14.
        let prices: Vec<String> = r.rows.iter().map(|r| r.unit_price.to_string()).collect();
        assert_eq!(prices, ["35.14", "20.75", "20.33", "19.69"]);
        let margins: Vec<String> =
            r.rows.iter().map(|r| r.margin.map(|m| m.to_string()).unwrap_or_default()).collect();
        assert_eq!(margins[0], "4.01%");
        assert!(tier_holds(&r.rows[1], 500) && !tier_holds(&r.rows[0], 500));
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }

    #[test]
    fn the_quoted_quantity_sets_the_price_of_its_own_tier() {
        let at = |quantity: &str, tiers: &str, min_margin: &str| {
            let f = WholesaleForm {
                quantity: quantity.into(),
                tiers: tiers.into(),
                min_margin: min_margin.into(),
                ..WholesaleForm::default()
            };
            compute_wholesale(&f, &profile())
        };
        let prices = |r: &WholesaleResult| -> Vec<String> {
            r.rows.iter().map(|r| r.unit_price.to_string()).collect()
        };
        // 1,000 units: fees and freight spread over 1,000 -> (113 - 9 + 2.5) / 7.085 =
        // 15.0318 + 1.50 freight = 16.5318 / 0.8862 = 18.6547 -> 18.66, the 5% tier's
        // price: x 0.92 / 0.95 = 18.0708 -> 18.08. 500-999 from the quote would be
        // x 0.97 / 0.95 = 19.0528 -> 19.06, below the 4% floor on that tier's own cost at
        // 500 pieces (20.75 less its 2.08 profit = 18.67): 18.67 / 0.96 = 19.45.
        let r = at("1000", "100:0, 500:3, 1000:5, 5000:8", "4").unwrap();
        assert_eq!(r.quote.unit_price.amount.to_string(), "18.66");
        assert_eq!(prices(&r), ["35.14", "19.45", "18.66", "18.08"]);
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);

        // With a W/M rate each tier pays the freight of its own cartons: 100 pieces are 5
        // cartons, 0.42 m3, charged at the least 1 freight ton: 80 USD, 0.80 a piece.
        // Quoted there at 10%: (18.2075 + 0.80) / 0.8862 = 21.45, whose lines without
        // profit are 15.95 - 1.27 + 3.53 + 0.80 + 0.19 insurance + 0.11 bank = 19.31; the
        // 4% floor: 19.31 / 0.96 = 20.1146 -> 20.12, above 17.74 / 0.97 = 18.29.
        let f = WholesaleForm { wm_rate: "80".into(), ..WholesaleForm::default() };
        let r = compute_wholesale(&f, &profile()).unwrap();
        assert_eq!(prices(&r)[..2], ["20.12", "17.74"]);

        // Below the first tier the quote is the base and the table says so.
        let r = at("50", "100:0, 500:3", "").unwrap();
        let base = r.quote.unit_price.amount;
        assert_eq!(r.rows[0].unit_price, base);
        assert_eq!(
            r.warnings,
            ["50 pieces is below the first tier (100 pieces): the tiers are priced from the quote"]
        );

        // A floor above the quote's own margin raises the quoted tier, and says so.
        let r = at("500", "100:0, 500:3", "15").unwrap();
        assert!(r.rows[1].unit_price > r.quote.unit_price.amount);
        assert!(r
            .warnings
            .iter()
            .any(|w| w.starts_with("the margin floor raises the tier of 500")));

        // A discount is from 0 to under 100%.
        for bad in ["100:0, 500:100", "100:-1"] {
            let p = at("500", bad, "4").unwrap_err();
            assert_eq!(p[0].0, Some("w-tiers"), "{bad}: {p:?}");
            assert!(p[0].1.contains("from 0 to under 100%"), "{bad}: {p:?}");
        }
    }

    #[test]
    fn the_carton_spec_packs_the_order_and_a_wm_rate_sets_the_freight() {
        let r = compute_wholesale(&WholesaleForm::default(), &profile()).unwrap();
        // 500 units, 20 a carton: 25 cartons; 25 x 12.5 kg; 25 x 60 x 40 x 35 cm = 2.1 m3.
        let k = r.packing.unwrap();
        assert_eq!((k.cartons, k.last_carton), (25, None));
        assert_eq!((k.gross_kg.to_string(), k.cbm.to_string()), ("312.5".into(), "2.1".into()));
        assert_eq!(k.summary(Lang::En), "25 cartons × 20 pcs · G.W. 312.5 kg · 2.1 CBM");
        assert!(k.freight.is_none());
        // A carton is 0.084 m3: 28 / 0.084 = 333.3 (20GP), 58 / 0.084 = 690.5 (40GP),
        // 68 / 0.084 = 809.5 (40HQ); by weight 21,700 / 12.5 = 1,736: volume decides.
        let fills: Vec<(String, u64, u64, String)> = k
            .fills
            .iter()
            .map(|(n, f)| {
                let f = f.as_ref().unwrap();
                (n.clone(), f.cartons, f.pieces, f.limited_by.clone())
            })
            .collect();
        assert_eq!(
            fills,
            [("20GP", 333, 6660), ("40GP", 690, 13800), ("40HQ", 809, 16180)].map(|(n, c, p)| (
                n.to_owned(),
                c,
                p,
                "volume".to_owned()
            ))
        );

        // 80 USD per freight ton: max(2.1 m3, 0.3125 t) = 2.1 FT (M) -> 168.00 USD, which
        // replaces the typed 1,500: (15.3846 + 168 / 500) / 0.8862 = 17.7394 -> 17.74.
        let f = WholesaleForm { wm_rate: "80".into(), ..WholesaleForm::default() };
        let r = compute_wholesale(&f, &profile()).unwrap();
        let w = r.packing.as_ref().and_then(|k| k.freight.clone()).unwrap();
        assert_eq!((w.freight_tons.to_string(), w.basis.as_str()), ("2.1".into(), "M"));
        assert_eq!(w.total.amount.to_string(), "168.00");
        assert_eq!(r.quote.unit_price.amount.to_string(), "17.74");
        let typed = WholesaleForm { freight: "168.00".into(), ..WholesaleForm::default() };
        assert_eq!(compute_wholesale(&typed, &profile()).unwrap().quote, r.quote);

        // 510 units: 26 cartons, the last with 10 pieces.
        let f = WholesaleForm { quantity: "510".into(), ..WholesaleForm::default() };
        let k = compute_wholesale(&f, &profile()).unwrap().packing.unwrap();
        assert_eq!((k.cartons, k.last_carton), (26, Some(10)));
        assert_eq!(k.summary(Lang::Zh), "26 箱 × 20 件 · 毛重 325 kg · 2.184 CBM · 尾箱 10 件");
    }

    #[test]
    fn a_carton_spec_is_all_or_nothing_and_a_wm_rate_needs_one() {
        let none = WholesaleForm {
            carton_pieces: String::new(),
            carton_kg: String::new(),
            carton_length: String::new(),
            carton_width: String::new(),
            carton_height: String::new(),
            ..WholesaleForm::default()
        };
        let r = compute_wholesale(&none, &profile()).unwrap();
        assert!(r.packing.is_none());
        assert_eq!(r.quote.unit_price.amount.to_string(), "20.75");
        let p = compute_wholesale(&WholesaleForm { wm_rate: "80".into(), ..none }, &profile())
            .unwrap_err();
        assert_eq!(p, vec![(Some("w-wm-rate"), "a W/M rate needs the carton spec".to_owned())]);

        let f = WholesaleForm {
            carton_kg: String::new(),
            carton_pieces: "2.5".into(),
            carton_height: "0".into(),
            ..WholesaleForm::default()
        };
        let p = compute_wholesale(&f, &profile()).unwrap_err();
        let ids: Vec<_> = p.iter().map(|x| x.0).collect();
        assert_eq!(
            ids,
            [Some("w-carton-kg"), Some("w-carton-pieces"), Some("w-carton-height")],
            "{p:?}"
        );
        assert!(p[2].1.contains("greater than zero"), "{}", p[2].1);
    }

    #[test]
    fn a_discount_reply_in_russian_uses_the_quotes_price() {
        let retail = RetailForm { country: "RU".into(), ..RetailForm::default() };
        let r = ReplyForm {
            channel: "im".into(),
            name: "Ольга".into(),
            greeting: "Привет".into(),
            ..ReplyForm::default()
        };
        let out =
            compute_reply(&r, &retail, &WholesaleForm::default(), &profile(), 6 * 60).unwrap();
        // Economy air to RU: 0.35 x 62 + 16 = 37.70 CNY; (36 + 37.70) x 11.20 = 825.44 RUB;
        // / 0.69 = 1196.29 (1196.28 leaves 239.25 < 239.256). 5% off = 1136.4755 -> 1136.48.
        assert_eq!(
            out.replies.reply.text,
            "Здравствуйте, Ольга! При заказе от 3 шт. мы можем дать скидку 5%: 1\u{a0}136,48\u{a0}₽ за штуку."
        );
        assert_eq!(out.buyer_time.local, "09:00");
        // 90.92 + 34.09 in fees leave 186.03 = 16.37% of 1136.48.
        assert_eq!(out.margin.unwrap().to_string(), "16.37%");
        let greedy = ReplyForm { discount: "25".into(), ..r };
        let problems =
            compute_reply(&greedy, &retail, &WholesaleForm::default(), &profile(), 0).unwrap_err();
        assert_eq!(problems[0].0, Some("r-discount"));
        assert!(problems[0].1.contains("under the 10% floor"), "{}", problems[0].1);
    }

    #[test]
    fn every_reply_scenario_writes_from_the_default_forms() {
        for s in REPLY_SCENARIOS {
            let r = ReplyForm { scenario: s.into(), offer: "14.00".into(), ..ReplyForm::default() };
            let retail = RetailForm {
                country: if s == "instalments" { "BR".into() } else { "US".into() },
                ..RetailForm::default()
            };
            let out = compute_reply(&r, &retail, &WholesaleForm::default(), &profile(), 0);
            assert!(out.is_ok(), "{s}: {out:?}");
        }
    }

    #[test]
    fn stored_state_round_trips_and_bad_text_is_kept() {
        let s = Stored { lang: Lang::Zh, tab: Tab::Wholesale, ..Stored::fresh() };
        let text = serde_json::to_string(&s).unwrap();
        assert_eq!(restore(Some(&text)), Restored::Loaded(Box::new(s)));
        assert_eq!(restore(None), Restored::Fresh);
        match restore(Some("{not json")) {
            Restored::Unusable { backup, .. } => assert_eq!(backup, "{not json"),
            other => panic!("{other:?}"),
        }
        match restore(Some(r#"{"version": 99}"#)) {
            Restored::Unusable { reason, .. } => assert!(reason.contains("99")),
            other => panic!("{other:?}"),
        }
    }

    /// A form is stored as an object of strings under the fields' names: text saved
    /// before a field existed loads with that field's default, a key no field has is
    /// ignored, and a value that is not text makes the whole state unusable (kept as a
    /// backup, never half-read).
    #[test]
    fn stored_forms_are_objects_of_strings_by_field_name() {
        let text = serde_json::to_string(&WholesaleForm::default()).unwrap();
        assert!(text.starts_with(r#"{"term":"CIF","quantity":"500","currency":"USD""#), "{text}");
        let old = r#"{"version":1,"wholesale":{"term":"FOB","freight":"900","gone":"x"}}"#;
        let Restored::Loaded(s) = restore(Some(old)) else { panic!("{:?}", restore(Some(old))) };
        let want =
            WholesaleForm { term: "FOB".into(), freight: "900".into(), ..WholesaleForm::default() };
        assert_eq!(s.wholesale, want);
        assert_eq!(s.retail, RetailForm::default());
        let bad = r#"{"version":1,"retail":{"cost":12}}"#;
        assert!(matches!(restore(Some(bad)), Restored::Unusable { .. }));
    }

    const GOLDEN_SHEET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/golden/sheet/");

    fn golden_sheet(name: &str) -> String {
        std::fs::read_to_string(format!("{GOLDEN_SHEET}{name}")).unwrap()
    }

    /// The bench workload's spec (bench/spec.json) as the form would be filled in.
    fn bench_form() -> SheetForm {
        SheetForm {
            service: "bench-zones".into(),
            currency: "USD".into(),
            platform: String::new(),
            fees: "12, 3".into(),
            tiers: "B2C 1 35; B2B1 2 28; B2B2 50 22 0.97; B2B3 200 18 0.94; B2B4 1000 15 0.90"
                .into(),
            zones: String::new(),
            quantities: String::new(),
            precision: "python".into(),
        }
    }

    fn bench_profile() -> Profile {
        let over = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../bench/profile-over.json"
        ))
        .unwrap();
        crossquote::profile::load_over(crossquote::defaults::DEFAULT_PROFILE_JSON, &over).unwrap()
    }

    /// The golden catalog gives the lines and rejected rows the CLI's golden test expects
    /// (lines from the Python reference, rejections written by hand), a slice at a time.
    #[test]
    fn the_golden_catalog_makes_the_golden_sheet() {
        let profile = bench_profile();
        let spec: SheetSpec = serde_json::from_str(
            &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../bench/spec.json"))
                .unwrap(),
        )
        .unwrap();
        let mut from_form = sheet_spec(&bench_form()).unwrap();
        for (i, fee) in from_form.fees.iter_mut().enumerate() {
            fee.name = spec.fees[i].name.clone();
        }
        assert_eq!(from_form, spec);
        let mut job = SheetJob::new(&bench_form(), &profile, &golden_sheet("catalog.csv")).unwrap();
        let mut steps = 0;
        while !job.step(7) {
            steps += 1;
            assert!(job.progress().0 < job.progress().1);
        }
        assert!(steps >= 6, "{steps}");
        let out = job.finish();
        assert_eq!(out.csv, golden_sheet("expected.csv"));
        assert_eq!(out.rejected, golden_sheet("expected.rejected.csv"));
        assert_eq!((out.tally.rows, out.tally.rejected_rows + out.tally.rejected_lines), (47, 5));
    }

    /// CR-only ("CSV (Macintosh)") and CRLF line ends: the same sheet and the same rejected
    /// rows, by the same row numbers, as the golden catalog's LF.
    #[test]
    fn cr_only_and_crlf_catalogs_make_the_golden_sheet() {
        let profile = bench_profile();
        for end in ["\r", "\r\n"] {
            let catalog = golden_sheet("catalog.csv").replace('\n', end);
            let mut job = SheetJob::new(&bench_form(), &profile, &catalog).unwrap();
            while !job.step(7) {}
            let out = job.finish();
            assert_eq!(out.csv, golden_sheet("expected.csv"), "{end:?}");
            assert_eq!(out.rejected, golden_sheet("expected.rejected.csv"), "{end:?}");
            assert_eq!(out.tally.rows, 47, "{end:?}");
        }
    }

    /// A row with more fields than the header is rejected by its row, as in the CLI.
    #[test]
    fn a_row_longer_than_the_header_is_rejected() {
        let profile = crossquote::defaults::default_profile().unwrap();
        let catalog = "sku,cost_cny,weight_kg,length_cm,width_cm,height_cm,zone,qty\r\n\
                       MUG,02,12.50,0.350,12,9,9,EU,1\r\n\
                       A-1,20.00,0.300,20,15,5,EU,1\r\n";
        let mut job = SheetJob::new(&SheetForm::default(), &profile, catalog).unwrap();
        assert!(job.step(10));
        let out = job.finish();
        assert_eq!(
            out.rejected,
            "row,sku,zone,qty,reason\n2,MUG,,,\"9 fields, the header has 8: a cell holds an \
             unquoted comma, or the columns are shifted\"\n"
        );
        assert_eq!((out.tally.rows, out.tally.lines), (2, 1));
        assert!(out.csv.lines().nth(1).unwrap().starts_with("A-1,EU,1,"), "{}", out.csv);
    }

    #[test]
    fn bad_settings_and_a_bad_header_are_named_by_field() {
        let profile = crossquote::defaults::default_profile().unwrap();
        let form = SheetForm {
            currency: "XXQ".into(),
            fees: "12, x".into(),
            tiers: "B2C 1".into(),
            quantities: "0, 10".into(),
            ..SheetForm::default()
        };
        let err = SheetJob::new(&form, &profile, "sku,cost\n").unwrap_err();
        let ids: Vec<_> = err.iter().map(|(f, _)| f.unwrap_or("")).collect();
        assert_eq!(ids, ["s-currency", "s-fees", "s-tiers", "s-quantities"]);
        let form = SheetForm { service: "pigeon".into(), ..SheetForm::default() };
        let err = SheetJob::new(&form, &profile, "sku\n").unwrap_err();
        assert_eq!(err[0].0, Some("s-service"), "{err:?}");
        let err = SheetJob::new(&SheetForm::default(), &profile, "sku,weight_kg\n").unwrap_err();
        let missing: Vec<_> = err.iter().map(|(f, m)| (f.unwrap_or(""), m.as_str())).collect();
        assert_eq!(
            missing,
            [
                ("s-catalog", "no `cost` column"),
                ("s-catalog", "no `length_cm` column"),
                ("s-catalog", "no `width_cm` column"),
                ("s-catalog", "no `height_cm` column"),
            ]
        );
    }

    /// With the built-in profile and no zone or quantity columns, each SKU gets every zone
    /// of the service at each tier's least quantity; lots over the service's weight limit
    /// (200 and 1000 pieces of 0.3 kg on a 20 kg service) are rejected lines, with why.
    #[test]
    fn the_default_settings_price_every_zone_and_tier() {
        let profile = crossquote::defaults::default_profile().unwrap();
        let catalog =
            "sku,cost_cny,weight_kg,length_cm,width_cm,height_cm\nA-1,20.00,0.300,20,15,5\n";
        let mut job = SheetJob::new(&SheetForm::default(), &profile, catalog).unwrap();
        assert!(job.step(100));
        let out = job.finish();
        let zones = profile.services.iter().find(|s| s.id == "economy-air").unwrap().zones.len();
        assert_eq!(out.tally.lines, (zones * 3) as u64, "{}", out.rejected);
        assert_eq!(out.tally.rejected_lines, (zones * 2) as u64);
        assert_eq!(out.csv.lines().count(), 1 + zones * 3);
        assert!(out
            .rejected
            .contains("2,A-1,EU,200,weight 60 kg is over the service's limit of 20 kg"));
        assert!(out.csv.starts_with("sku,zone,qty,tier,"), "{}", out.csv);
    }

    /// Heights are shares of the tallest, exact to 2 places; a negative margin sits at 0.
    #[test]
    fn tier_bars_scale_price_and_margin_to_the_tallest() {
        let row = |min_qty, max_qty, price: &str, margin: Option<&str>| TierRow {
            min_qty,
            max_qty,
            unit_price: price.parse().unwrap(),
            flat_fee: Decimal::ZERO,
            margin: margin.map(|m| Percent::new(m.parse().unwrap())),
        };
        let bars = tier_bars(&[
            row(100, Some(499), "20.75", Some("12")),
            row(500, Some(999), "20.13", Some("9")),
            row(1000, None, "19.71", Some("-1")),
        ]);
        let got: Vec<_> = bars
            .iter()
            .map(|b| {
                (
                    b.label.as_str(),
                    b.price_height.to_string(),
                    b.margin_height.map(|h| h.to_string()),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("100–499", "100.00".to_owned(), Some("100.00".to_owned())),
                // 20.13 / 20.75 = 97.012…; 9 / 12 = 75.
                ("500–999", "97.01".to_owned(), Some("75.00".to_owned())),
                ("1000+", "94.99".to_owned(), Some("0".to_owned())),
            ]
        );
        assert!(tier_bars(&[]).is_empty());
    }

    /// The XLSX of the golden sheet reads back, cell by cell, as the golden CSV: text as
    /// text, numbers shown with their column's decimals.
    #[test]
    fn the_xlsx_reads_back_as_the_csv() {
        let expected = golden_sheet("expected.csv");
        let bytes = sheet_xlsx(&expected).unwrap();
        let mut book: calamine::Xlsx<_> =
            calamine::Reader::new(std::io::Cursor::new(bytes)).unwrap();
        super::xlsx_check::assert_xlsx_is_csv(&mut book, &expected);
    }

    #[test]
    fn column_names_run_past_z() {
        let names: Vec<String> = [0, 9, 25, 26, 27, 51, 52, 701, 702].map(column_name).to_vec();
        assert_eq!(names, ["A", "J", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    /// Formula-like and markup text stays text, escaped; only plain decimals are numbers.
    #[test]
    fn xlsx_text_cells_are_neutralised_and_escaped() {
        use calamine::{Data, Reader, Xlsx};
        let csv = "sku,zone,qty,unit_price_usd\n\"=1+2\",<EU & co>,5,-1.50\n";
        let mut book = Xlsx::new(std::io::Cursor::new(sheet_xlsx(csv).unwrap())).unwrap();
        let range = book.worksheet_range("price sheet").unwrap();
        let row: Vec<Data> = range.rows().nth(1).unwrap().to_vec();
        assert_eq!(
            row,
            [
                Data::String("'=1+2".into()),
                Data::String("<EU & co>".into()),
                Data::Float(5.0),
                Data::Float(-1.5)
            ]
        );
        assert!(!is_plain_number("1e5") && !is_plain_number("1.") && !is_plain_number("."));
    }

    const ECB_DAILY: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/golden/ecb/eurofxref-daily.xml"
    ));

    /// An ECB file refreshes the mid rates it can price (crosses through EUR, 6 places);
    /// the other pairs and all bank rates stay, and the note says so; the result loads.
    #[test]
    fn ecb_rates_refresh_the_mid_rates_they_cover() {
        let base = crossquote::defaults::DEFAULT_PROFILE_JSON;
        let (text, note) = with_ecb_rates(base, ECB_DAILY).unwrap();
        let p = check_profile(&text).unwrap();
        assert_eq!(p.rates.as_of.to_string(), "2026-11-20");
        let pair = |f: &str, t: &str| {
            let (f, t) = (Currency::from_code(f).unwrap(), Currency::from_code(t).unwrap());
            p.rates.pairs.iter().find(|x| x.from == f && x.to == t).unwrap().clone()
        };
        // 8.2140 / 1.1550 = 7.1116883…; 180.25 / 8.2140 = 21.9442415… (Python decimal, half-up
        // to 6 places); EUR/CNY is the file's own.
        let usd = pair("USD", "CNY");
        assert_eq!(usd.mid.to_string(), "7.111688");
        assert_eq!(usd.bank_buying.map(|d| d.to_string()).as_deref(), Some("7.0850"));
        assert_eq!(pair("CNY", "JPY").mid.to_string(), "21.944242");
        assert_eq!(pair("EUR", "CNY").mid.to_string(), "8.214000");
        assert_eq!(pair("CNY", "RUB").mid.to_string(), "11.20");
        assert!(
            note.starts_with("2026-11-20: mid rates of USD/CNY, EUR/CNY, GBP/CNY, BRL/CNY"),
            "{note}"
        );
        assert!(note.contains("kept: CAD/CNY, AUD/CNY, CNY/RUB"), "{note}");
        assert!(note.ends_with("(the file has none): USD/CNY, EUR/CNY, GBP/CNY"), "{note}");
        assert!(with_ecb_rates(base, "<x/>").is_err());
    }

    #[test]
    fn a_saved_profile_is_used_or_kept_as_a_backup() {
        assert_eq!(restore_profile(None), RestoredProfile::Builtin);
        let base = crossquote::defaults::DEFAULT_PROFILE_JSON;
        assert!(matches!(restore_profile(Some(base)), RestoredProfile::Saved(_, t) if t == base));
        let broken =
            base.replacen("\"seller_currency\": \"CNY\"", "\"seller_currency\": \"XYZ\"", 1);
        assert_ne!(broken, base);
        match restore_profile(Some(&broken)) {
            RestoredProfile::Unusable { backup, reason } => {
                assert_eq!(backup, broken);
                assert!(reason.contains("seller_currency"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn proforma_terms_date_the_validity() {
        let today: crossquote::Date = "2026-11-22".parse().unwrap();
        let f = WholesaleForm { buyer: " ACME Ltd ".into(), ..WholesaleForm::default() };
        let t = proforma_terms(&f, today).unwrap();
        assert_eq!(
            (t.buyer.as_str(), t.valid_until.to_string()),
            ("ACME Ltd", "2026-12-07".to_owned())
        );
        assert_eq!(t.payment, "T/T: 30% deposit, 70% before shipment");
        for bad in ["0", "366", "x", ""] {
            let f = WholesaleForm { valid: bad.into(), ..WholesaleForm::default() };
            assert_eq!(proforma_terms(&f, today).unwrap_err()[0].0, Some("w-valid"), "{bad}");
        }
    }

    #[test]
    fn sheet_tiers_are_read_with_their_optional_marks() {
        let t = parse_sheet_tier("B2B2 50+ 22% x0.97").unwrap();
        assert_eq!(
            (t.name.as_str(), t.min_qty, t.cost_factor.to_string()),
            ("B2B2", 50, "0.97".to_owned())
        );
        assert_eq!(t.margin.points().to_string(), "22");
        assert_eq!(parse_sheet_tier("B2C 1 35").unwrap().cost_factor, Decimal::ONE);
        for bad in ["B2C 1", "B2C one 35", "B2C 1 35 0.9 extra", "B2C 1 x"] {
            assert!(parse_sheet_tier(bad).is_none(), "{bad}");
        }
    }

    /// Two services: each SKU priced on both, a `service` column, the profile's order.
    #[test]
    fn several_services_make_a_service_column() {
        let profile = crossquote::defaults::default_profile().unwrap();
        let list = toggle_service("economy-air", "cn-post-registered", true, &profile);
        assert_eq!(list, "cn-post-registered, economy-air");
        assert_eq!(toggle_service(&list, "economy-air", false, &profile), "cn-post-registered");
        assert!(service_chosen(&list, "economy-air") && !service_chosen(&list, "economy"));
        let form = SheetForm { service: list, quantities: "1".into(), ..SheetForm::default() };
        assert!(
            matches!(sheet_spec(&form).unwrap().service, Services::Many(ref v) if v.len() == 2)
        );
        let catalog = "sku,cost_cny,weight_kg,length_cm,width_cm,height_cm,zone\nA-1,20.00,0.300,20,15,5,EU\n";
        let mut job = SheetJob::new(&form, &profile, catalog).unwrap();
        assert!(job.step(10));
        let out = job.finish();
        let lines: Vec<&str> = out.csv.lines().collect();
        assert!(lines[0].starts_with("sku,service,zone,qty,tier,"), "{}", lines[0]);
        assert_eq!(lines.len(), 3, "{}\n{}", out.csv, out.rejected);
        assert!(lines[1].starts_with("A-1,cn-post-registered,EU,1,B2C,"), "{}", lines[1]);
        assert!(lines[2].starts_with("A-1,economy-air,EU,1,B2C,"), "{}", lines[2]);
        let none = SheetForm { service: " ".into(), ..SheetForm::default() };
        assert_eq!(sheet_spec(&none).unwrap_err()[0].0, Some("s-service"));
    }
}
