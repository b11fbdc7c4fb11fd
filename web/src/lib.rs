//! The crossquote browser app: the agent's orders (a retail basket, a wholesale order),
//! the reply and the price sheet over the core, computed as the agent types, with the
//! built-in profile, in English or Chinese, kept between visits.
//!
//! One module per tab (`retail`, `wholesale`, `reply`, `sheet`, `settings`): each holds
//! its form, the pure function that reads it into the core's request (tested natively),
//! and its view. The core decides every number; the tabs parse and show. `model` holds
//! the shared state and the stored format, `view` the widgets. This file holds the one
//! state ([`AppState`]), the one action enum ([`Action`]), the reducer, and the app;
//! storage lives in an effect. `main.rs` only mounts [`App`].

#[macro_use]
pub mod model;
pub mod i18n;
pub mod reply;
pub mod retail;
pub mod settings;
pub mod sheet;
pub mod view;
pub mod wholesale;

use std::rc::Rc;

use crossquote::profile::Profile;
use gloo::storage::{LocalStorage, Storage};
use yew::prelude::*;

use i18n::t;
use model::{Lang, Restored, Stored, Tab};
use settings::SettingsView;
use sheet::SheetView;

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
    match settings::check_profile(text) {
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
    match settings::restore_profile(raw.as_deref()) {
        settings::RestoredProfile::Builtin => builtin_profile(),
        settings::RestoredProfile::Saved(p, text) => {
            Ok(ProfileState { profile: Rc::new(*p), text, own: true, notice: None })
        }
        settings::RestoredProfile::Unusable { backup, reason } => {
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
    /// An edit of the retail order.
    Retail(retail::Edit),
    /// An edit of the wholesale order.
    Wholesale(wholesale::Edit),
    /// A reply field's new text, by element id.
    Reply(String, String),
    /// A price-sheet setting's new text, by element id.
    Sheet(String, String),
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
            Action::Retail(edit) => {
                if !retail::apply(&mut s.retail, &mut s.items, edit) {
                    return self;
                }
            }
            Action::Wholesale(edit) => {
                if !wholesale::apply(&mut s.wholesale, &mut s.lines, edit) {
                    return self;
                }
            }
            Action::Reply(id, v) => match s.reply.field_mut(&id) {
                Some(slot) => {
                    *slot = v;
                    next.copied = None;
                }
                None => return self,
            },
            Action::Sheet(id, v) => match s.sheet.field_mut(&id) {
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

/// The app.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| load_state(Lang::En));
    // Stable callbacks (made once): the rows of an order are components that re-render
    // only when their own props change.
    let retail =
        use_callback(state.dispatcher(), |e: retail::Edit, d| d.dispatch(Action::Retail(e)));
    let wholesale =
        use_callback(state.dispatcher(), |e: wholesale::Edit, d| d.dispatch(Action::Wholesale(e)));
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
    let reply = {
        let s = state.clone();
        Callback::from(move |(id, v): (String, String)| s.dispatch(Action::Reply(id, v)))
    };
    let sheet = {
        let s = state.clone();
        Callback::from(move |(id, v): (String, String)| s.dispatch(Action::Sheet(id, v)))
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
                    Tab::Retail => retail::view(lang, &state.stored.retail, &state.stored.items, profile, retail),
                    Tab::Wholesale => html! { <wholesale::WholesaleTab lang={lang} form={state.stored.wholesale.clone()} lines={state.stored.lines.clone()} profile={shared.clone()} edit={wholesale} /> },
                    Tab::Reply => {
                        let s = &state.stored;
                        let orders = reply::Orders { retail: &s.retail, items: &s.items, wholesale: &s.wholesale, lines: &s.lines };
                        reply::view(lang, &s.reply, &orders, profile, state.copied, reply, copy)
                    }
                    Tab::Settings => html! { <SettingsView lang={lang} state={current.clone()} on_apply={on_apply} on_reset={on_reset} /> },
                    Tab::Sheet => html! { <SheetView lang={lang} form={state.stored.sheet.clone()} profile={shared.clone()} onchange={sheet} /> },
                }
            }
        </main>
    }
}
