//! Starts the crossquote app in the page.

fn main() {
    std::panic::set_hook(Box::new(|info| {
        // Last resort: show the failure instead of a frozen page.
        if let Some(body) = gloo::utils::document().body() {
            body.set_inner_html(&format!(
                "<main><h1>crossquote stopped</h1><p class=\"error\">{}</p><p>Reload the page to start again.</p></main>",
                info.to_string().replace('<', "&lt;")
            ));
        }
    }));
    yew::Renderer::<crossquote_web::App>::new().render();
}
