//! wasm-bindgen-test tests of UI logic, run in headless chromium by `./test`
//! (`cargo test --target wasm32-unknown-unknown -p faultline-ui --test web`).
#![cfg(target_arch = "wasm32")]

use faultline_ui::api;
use faultline_ui::format::{badge_count, probability, sci};
use faultline_ui::state::{Action, Backend, State};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn sci_uses_three_significant_digits_in_the_browser() {
    assert_eq!(sci(0.001), "1.00e-3");
    assert_eq!(sci(6.02214076e23), "6.02e23");
    assert_eq!(sci(9.996e-3), "1.00e-2");
    assert_eq!(sci(0.0), "0");
    assert_eq!(sci(f64::NAN), "NaN");
    assert_eq!(probability(2.5e-5), "p = 2.50e-5");
    assert_eq!(badge_count(1500), "1k");
}

#[wasm_bindgen_test]
async fn app_info_without_tauri_is_an_unavailable_error_not_a_panic() {
    // A plain browser has no window.__TAURI__: the wrapper must turn the exception into Err.
    let error = api::app_info().await.expect_err("there is no backend in a plain browser");
    assert_eq!(error.kind, "unavailable");
    let state = State::default().apply(Action::BackendFailed(error.clone()));
    assert_eq!(state.backend, Backend::Failed(error));
}

#[wasm_bindgen_test]
fn a_shell_error_object_keeps_its_kind_and_message() {
    let rejection = js_sys::Object::new();
    js_sys::Reflect::set(&rejection, &"kind".into(), &"data_dir".into()).unwrap();
    js_sys::Reflect::set(&rejection, &"message".into(), &"no app data folder".into()).unwrap();
    let error = api::rejection_to_error("app_info", rejection.into());
    assert_eq!(error, api::ApiError { kind: "data_dir".into(), message: "no app data folder".into() });
}

#[wasm_bindgen_test]
fn a_string_rejection_is_an_ipc_error_naming_the_command() {
    let error = api::rejection_to_error("app_info", JsValue::from_str("command app_info not found"));
    assert_eq!(error.kind, "ipc");
    assert!(error.message.contains("app_info"), "{}", error.message);
    assert!(error.message.contains("not found"), "{}", error.message);
}
