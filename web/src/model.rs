//! The app's shared state as plain data: the interface language and tab, the `form!`
//! macro that declares a form of text fields, the stored (versioned) form of everything
//! the agent typed, and field problems. Each tab's form and the pure function that turns
//! it into the core's request live in the tab's module (`retail`, `wholesale`, `reply`,
//! `sheet`, `settings`); everything here and there is tested natively.

use crossquote::{Decimal, FieldError};
use serde::{Deserialize, Serialize};

use crate::reply::ReplyForm;
use crate::retail::{ItemForm, RetailForm};
use crate::sheet::SheetForm;
use crate::wholesale::{LineForm, WholesaleForm};

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

        impl $name {
            /// Every field by name, in declaration order.
            pub const FIELDS: &'static [&'static str] = &[$( $id, )*];
        }

        impl Default for $name {
            fn default() -> Self {
                $name { $( $field: $default.into(), )* }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $crate::model::serialize_fields(s, &[$( (stringify!($field), self.$field.as_str()), )*])
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let mut stored = <std::collections::HashMap::<String, String> as serde::Deserialize>::deserialize(d)?;
                let mut form = $name::default();
                $( if let Some(v) = stored.remove(stringify!($field)) { form.$field = v; } )*
                Ok(form)
            }
        }
    };
}

/// A form's fields as a JSON object of strings.
pub fn serialize_fields<S: serde::Serializer>(
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

/// Everything the app keeps between visits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Stored {
    /// Format version ([`STORED_VERSION`]).
    pub version: u32,
    /// Interface language.
    pub lang: Lang,
    /// Open tab.
    pub tab: Tab,
    /// The retail order's own fields.
    pub retail: RetailForm,
    /// The retail order's items, in order.
    pub items: Vec<ItemForm>,
    /// The wholesale order's own fields.
    pub wholesale: WholesaleForm,
    /// The wholesale order's product lines, in order.
    pub lines: Vec<LineForm>,
    /// Reply inputs.
    pub reply: ReplyForm,
    /// Price-sheet settings (the catalog itself is not kept).
    pub sheet: SheetForm,
}

impl Default for Stored {
    fn default() -> Self {
        Stored {
            version: 0,
            lang: Lang::default(),
            tab: Tab::default(),
            retail: RetailForm::default(),
            items: vec![ItemForm::default()],
            wholesale: WholesaleForm::default(),
            lines: vec![LineForm::default()],
            reply: ReplyForm::default(),
            sheet: SheetForm::default(),
        }
    }
}

/// The stored format this build writes and reads. Version 1 (one product per tab) is
/// read too: its retail product becomes the order's one item, its wholesale product the
/// order's one line (their fields kept their names).
pub const STORED_VERSION: u32 = 2;

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
    let unusable = |reason: String| Restored::Unusable { backup: text.to_owned(), reason };
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return unusable(format!("unreadable ({e})")),
    };
    let version = value.get("version").and_then(serde_json::Value::as_u64).unwrap_or(0);
    let read = |v: serde_json::Value| serde_json::from_value::<Stored>(v);
    let stored = match version {
        1 => upgrade_v1(value),
        v if v == u64::from(STORED_VERSION) => read(value),
        v => return unusable(format!("saved by another version ({v})")),
    };
    match stored {
        Ok(s) => Restored::Loaded(Box::new(Stored { version: STORED_VERSION, ..s })),
        Err(e) => unusable(format!("unreadable ({e})")),
    }
}

/// A version-1 state: the retail form's product is the one item, the wholesale form's
/// product the one line.
fn upgrade_v1(value: serde_json::Value) -> Result<Stored, serde_json::Error> {
    let part = |k: &str| value.get(k).cloned().unwrap_or(serde_json::Value::Null);
    let item = match part("retail") {
        serde_json::Value::Null => ItemForm::default(),
        v => serde_json::from_value(v)?,
    };
    let line = match part("wholesale") {
        serde_json::Value::Null => LineForm::default(),
        v => serde_json::from_value(v)?,
    };
    let mut s: Stored = serde_json::from_value(value.clone())?;
    // Version 1 priced W/M whenever a rate was typed, and kept its payment terms as text.
    let old =
        |k: &str| value.pointer(&format!("/wholesale/{k}")).and_then(|v| v.as_str()).map(str::trim);
    if old("wm_rate").is_some_and(|r| !r.is_empty()) {
        s.wholesale.freight_kind = "wm".to_owned();
    }
    Ok(Stored { items: vec![item], lines: vec![line], ..s })
}

impl Stored {
    /// The default state at the current version.
    pub fn fresh() -> Stored {
        Stored { version: STORED_VERSION, ..Stored::default() }
    }
}

/// A message for one field (by its element id: `item-1-cost`, `w-place`), or for the
/// whole form (`None`).
pub type Problems = Vec<(Option<String>, String)>;

/// The message for element `id`, if any.
pub fn problem_for<'a, I: AsRef<str>>(
    problems: &'a [(Option<I>, String)],
    id: &str,
) -> Option<&'a String> {
    problems.iter().find(|(f, _)| f.as_ref().is_some_and(|f| f.as_ref() == id)).map(|(_, m)| m)
}

/// The number typed in `id`; a problem (and zero, so that checking goes on) when it is
/// not one.
pub fn num(problems: &mut Problems, id: &str, text: &str) -> Decimal {
    // As typed: a decimal comma, grouped thousands, full-width digits.
    match crossquote::input::number(text) {
        Ok(v) => v,
        Err(m) => {
            problems.push((Some(id.to_owned()), m));
            Decimal::ZERO
        }
    }
}

/// A number, or `None` for an empty field.
pub fn optional(problems: &mut Problems, id: &str, text: &str) -> Option<Decimal> {
    if text.trim().is_empty() {
        None
    } else {
        Some(num(problems, id, text))
    }
}

/// The buyer's offer typed in `id`: none when empty; `kind` "total" for the whole order,
/// else a price per unit for each line, separated by `;`.
pub fn offer(
    problems: &mut Problems,
    id: &str,
    kind: &str,
    text: &str,
) -> Option<crossquote::order::Offer> {
    use crossquote::order::Offer;
    if text.trim().is_empty() {
        return None;
    }
    Some(if kind == "total" {
        Offer::for_total(num(problems, id, text))
    } else {
        Offer::per_unit(
            text.split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| num(problems, id, s))
                .collect(),
        )
    })
}

/// A whole number above zero typed in `id` (`1` and a problem when it is not).
pub fn whole(problems: &mut Problems, id: &str, text: &str) -> u32 {
    match text.trim().parse::<u32>() {
        Ok(v) if v > 0 => v,
        _ => {
            problems.push((
                Some(id.to_owned()),
                format!("`{}` is not a whole number above zero", text.trim()),
            ));
            1
        }
    }
}

/// A whole number, or `None` for an empty field.
pub fn optional_whole(problems: &mut Problems, id: &str, text: &str) -> Option<u32> {
    (!text.trim().is_empty()).then(|| whole(problems, id, text))
}

/// The core's field errors placed at the form's element ids (`to_id` maps a path in the
/// order document to one); a path with no element is said with its path, for the whole
/// form.
pub fn by_field(errors: Vec<FieldError>, to_id: impl Fn(&str) -> Option<String>) -> Problems {
    errors
        .into_iter()
        .map(|fe| match to_id(&fe.field) {
            Some(id) => (Some(id), fe.problem.to_string()),
            None if fe.field.is_empty() => (None, fe.problem.to_string()),
            None => (None, format!("{}: {}", fe.field, fe.problem)),
        })
        .collect()
}

/// `lines[3].carton.gross_kg` split as (3, `carton.gross_kg`) under `prefix` (`lines`).
pub fn row_path<'a>(path: &'a str, prefix: &str) -> Option<(usize, &'a str)> {
    let rest = path.strip_prefix(prefix)?.strip_prefix('[')?;
    let (i, rest) = rest.split_once(']')?;
    Some((i.parse().ok()?, rest.strip_prefix('.').unwrap_or(rest)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_read_numbers_as_typed_and_say_an_ambiguous_one() {
        let mut p = Problems::new();
        assert_eq!(num(&mut p, "cost", "97,36").to_string(), "97.36");
        assert_eq!(num(&mut p, "cost", "１２．５").to_string(), "12.5");
        assert_eq!(num(&mut p, "cost", "1.234,50").to_string(), "1234.50");
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(num(&mut p, "weight", "1,250"), Decimal::ZERO);
        assert_eq!(
            p,
            vec![(
                Some("weight".to_owned()),
                "`1,250` can be read as 1250 or as 1.250: write it as one of them".to_owned()
            )]
        );
    }

    #[test]
    fn stored_state_round_trips_and_bad_text_is_kept() {
        let mut s = Stored { lang: Lang::Zh, tab: Tab::Wholesale, ..Stored::fresh() };
        s.items.push(ItemForm { quantity: "3".into(), ..ItemForm::default() });
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

    /// A version-1 state (one product per tab) opens as orders of one item and one line,
    /// with everything typed kept where it now lives.
    #[test]
    fn a_version_1_state_becomes_orders_of_one_product() {
        let old = r#"{"version":1,"lang":"Zh","retail":{"country":"BR","cost":"12.5","weight":"0.4","gone":"x"},
            "wholesale":{"term":"FOB","quantity":"800","cost":"50","wm_rate":"65","tiers":"100:0, 500:3"}}"#;
        let Restored::Loaded(s) = restore(Some(old)) else { panic!("{:?}", restore(Some(old))) };
        assert_eq!(s.version, STORED_VERSION);
        assert_eq!(s.lang, Lang::Zh);
        assert_eq!(s.retail, RetailForm { country: "BR".into(), ..RetailForm::default() });
        assert_eq!(
            s.items,
            [ItemForm { cost: "12.5".into(), weight: "0.4".into(), ..ItemForm::default() }]
        );
        assert_eq!(
            (
                s.wholesale.term.as_str(),
                s.wholesale.wm_rate.as_str(),
                s.wholesale.freight_kind.as_str()
            ),
            ("FOB", "65", "wm")
        );
        assert_eq!(
            s.lines,
            [LineForm {
                quantity: "800".into(),
                cost: "50".into(),
                tiers: "100:0, 500:3".into(),
                ..LineForm::default()
            }]
        );
        let bad = r#"{"version":1,"retail":{"cost":12}}"#;
        assert!(matches!(restore(Some(bad)), Restored::Unusable { .. }));
    }

    #[test]
    fn stored_forms_are_objects_of_strings_by_field_name() {
        let text = serde_json::to_string(&LineForm::default()).unwrap();
        assert!(
            text.starts_with(r#"{"sku":"","description":"","hs_code":"","cost":"113.00""#),
            "{text}"
        );
        let v2 = r#"{"version":2,"items":[{"cost":"9"},{"quantity":"4","gone":"x"}]}"#;
        let Restored::Loaded(s) = restore(Some(v2)) else { panic!() };
        assert_eq!(s.items[0].cost, "9");
        assert_eq!(s.items[1].quantity, "4");
    }

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
        check::<RetailForm>(RetailForm::FIELDS, RetailForm::field_mut);
        check::<ItemForm>(ItemForm::FIELDS, ItemForm::field_mut);
        check::<WholesaleForm>(WholesaleForm::FIELDS, WholesaleForm::field_mut);
        check::<LineForm>(LineForm::FIELDS, LineForm::field_mut);
        check::<ReplyForm>(ReplyForm::FIELDS, ReplyForm::field_mut);
        check::<SheetForm>(SheetForm::FIELDS, SheetForm::field_mut);
        let mut all: Vec<&str> =
            [RetailForm::FIELDS, WholesaleForm::FIELDS, ReplyForm::FIELDS, SheetForm::FIELDS]
                .concat();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n, "two tabs share an element id");
    }
}
