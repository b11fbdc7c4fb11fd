//! The settings tab and the seller profile in use: the profile as JSON checked by the
//! core with each problem's line, imported and exported as a file, reset to the built-in
//! one, or refreshed from an ECB euro reference-rate file; the saved profile restored, or
//! kept as a backup with a notice when it no longer loads.

use std::rc::Rc;

use crossquote::fx::RateSide;
use crossquote::profile::Profile;
use crossquote::{Currency, Decimal};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::t;
use crate::model::Lang;
use crate::sheet::{first_file, offer_download, read_text};
use crate::ProfileState;

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
                    problems.set(check_profile(&text).err().unwrap_or_default());
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
                Box::new(move |xml| match with_ecb_rates(&draft, &xml) {
                    Ok((text, n)) => {
                        problems.set(check_profile(&text).err().unwrap_or_default());
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
        Callback::from(move |_| match check_profile(&draft) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
