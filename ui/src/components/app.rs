//! The root component: owns the [`State`] reducer, opens the project on start, re-runs the live analysis
//! whenever the project or the open tree changes, handles the global keyboard shortcuts, lays out the frame.

use super::menu_bar::MenuBar;
use super::navigator::Navigator;
use super::properties::Properties;
use super::results_drawer::ResultsDrawer;
use super::status_bar::StatusBar;
use super::workspace::{NewKind, TreeCommand, Workspace};
use crate::effects;
use crate::state::State;
use faultline_models::fault_tree::GateKind;
use std::rc::Rc;
use yew::prelude::*;

/// What a key press means, given whether the focus is in a text field. `None`: not a shortcut.
#[derive(Clone, Debug, PartialEq)]
pub enum Shortcut {
    Undo,
    Redo,
    Tree(TreeCommand),
    Zoom(i32),
    Snapshot,
    Escape,
}

/// Maps a key press to a shortcut. In a text field only the window-wide ones (zoom, snapshot) apply, so
/// typing and the field's own undo keep working.
pub fn shortcut(key: &str, ctrl: bool, shift: bool, in_field: bool) -> Option<Shortcut> {
    let key_l = key.to_ascii_lowercase();
    let s = match (ctrl, shift, key_l.as_str()) {
        (true, _, "=" | "+") => Shortcut::Zoom(1),
        (true, _, "-") => Shortcut::Zoom(-1),
        (true, _, "0") => Shortcut::Zoom(0),
        (true, false, "s") => Shortcut::Snapshot,
        _ if in_field => return None,
        (true, false, "z") => Shortcut::Undo,
        (true, true, "z") | (true, false, "y") => Shortcut::Redo,
        (true, false, "c") => Shortcut::Tree(TreeCommand::Copy),
        (true, false, "x") => Shortcut::Tree(TreeCommand::Cut),
        (true, false, "v") => Shortcut::Tree(TreeCommand::Paste),
        (false, _, "delete") => Shortcut::Tree(TreeCommand::Delete),
        (false, true, "a") => Shortcut::Tree(TreeCommand::Add(NewKind::Gate(GateKind::And))),
        (false, true, "o") => Shortcut::Tree(TreeCommand::Add(NewKind::Gate(GateKind::Or))),
        (false, true, "e") => Shortcut::Tree(TreeCommand::Add(NewKind::Basic)),
        (false, _, "escape") => Shortcut::Escape,
        _ => return None,
    };
    Some(s)
}

/// "name.faultline — /path/to/name.faultline — Faultline", with "(read-only)" when it is; "Faultline" when no
/// project is open.
pub fn window_title(view: Option<&crate::api::ProjectView>) -> String {
    let Some(v) = view else { return "Faultline".into() };
    let name = v.path.rsplit('/').next().unwrap_or(&v.path);
    let ro = if v.read_only.is_some() { " (read-only)" } else { "" };
    format!("{name}{ro} — {} — Faultline", v.path)
}

/// The app frame: menu bar, navigator (left), workspace (centre), properties (right), results drawer
/// (bottom), status bar.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(State::default);
    let dispatch = state.dispatcher();

    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| effects::load(&dispatch));
    }
    // The live analysis follows every change of the project and of the open tree.
    {
        let dispatch = dispatch.clone();
        let key = (state.revision, state.open_tree, state.open_limit_order());
        use_effect_with(key, move |(revision, tree, limit_order)| {
            if let Some(tree) = tree {
                effects::analyse(&dispatch, *tree, *revision, *limit_order);
            }
        });
    }
    // The page title follows the open file, as the native window title does (the shell sets that one).
    {
        let title = window_title(state.view.as_deref());
        use_effect_with(title, move |title| {
            if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
                doc.set_title(title);
            }
        });
    }
    // Keyboard shortcuts, window-wide. The listener reads the latest state through a shared cell.
    let latest = use_mut_ref(|| Rc::new(State::default()));
    *latest.borrow_mut() = Rc::new((*state).clone());
    {
        let dispatch = dispatch.clone();
        let latest = latest.clone();
        use_effect_with((), move |_| {
            let listener = keyboard_listener(dispatch, latest);
            move || drop(listener)
        });
    }

    let s: Rc<State> = Rc::new((*state).clone());
    let style = format!("--zoom: {}", s.zoom);
    html! {
        <div class={classes!("app", (!s.drawer_open).then_some("drawer-closed"))} style={style}>
            <MenuBar state={s.clone()} dispatch={dispatch.clone()} />
            <Navigator state={s.clone()} dispatch={dispatch.clone()} />
            <Workspace state={s.clone()} dispatch={dispatch.clone()} />
            <Properties state={s.clone()} dispatch={dispatch.clone()} />
            <ResultsDrawer state={s.clone()} dispatch={dispatch.clone()} />
            <StatusBar state={s} dispatch={dispatch} />
        </div>
    }
}

/// Registers the window keydown listener; dropping the returned value removes it.
#[cfg(target_arch = "wasm32")]
fn keyboard_listener(dispatch: effects::Dispatch, latest: Rc<std::cell::RefCell<Rc<State>>>) -> impl Drop {
    use super::workspace;
    use crate::effects::FileCommand;
    use crate::state::Action;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    struct Listener(Closure<dyn FnMut(web_sys::KeyboardEvent)>);
    impl Drop for Listener {
        fn drop(&mut self) {
            if let Some(w) = web_sys::window() {
                let _ = w.remove_event_listener_with_callback("keydown", self.0.as_ref().unchecked_ref());
            }
        }
    }
    let closure = Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
        let in_field = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        let Some(sc) = shortcut(&e.key(), e.ctrl_key() || e.meta_key(), e.shift_key(), in_field) else { return };
        e.prevent_default();
        let state = latest.borrow().clone();
        match sc {
            Shortcut::Undo => effects::step(&dispatch, true),
            Shortcut::Redo => effects::step(&dispatch, false),
            Shortcut::Tree(command) => {
                if state.editable() {
                    workspace::run(&state, &dispatch, command);
                }
            }
            Shortcut::Zoom(z) => dispatch.dispatch(Action::Zoom(z)),
            Shortcut::Snapshot => {
                let n = state.view.as_ref().map(|v| v.snapshots.len() + 1).unwrap_or(1);
                effects::file(&dispatch, FileCommand::Snapshot(format!("Snapshot {n}")), String::new());
            }
            Shortcut::Escape => {
                dispatch.dispatch(Action::Highlight(None));
                dispatch.dispatch(Action::SelectNode(None));
            }
        }
    });
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("keydown", closure.as_ref().unchecked_ref());
    }
    Listener(closure)
}

/// Natively there is no window to listen on.
#[cfg(not(target_arch = "wasm32"))]
fn keyboard_listener(_dispatch: effects::Dispatch, _latest: Rc<std::cell::RefCell<Rc<State>>>) -> impl Drop {
    struct Nothing;
    impl Drop for Nothing {
        fn drop(&mut self) {}
    }
    Nothing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_names_the_file_and_says_read_only() {
        assert_eq!(window_title(None), "Faultline");
        let mut v = crate::api::ProjectView {
            path: "/data/default.faultline".into(),
            read_only: None,
            backup: None,
            project: Default::default(),
            undo_depth: 0,
            redo_depth: 0,
            recent: vec![],
            snapshots: vec![],
        };
        assert_eq!(window_title(Some(&v)), "default.faultline — /data/default.faultline — Faultline");
        v.read_only = Some("another window".into());
        assert!(window_title(Some(&v)).starts_with("default.faultline (read-only) — "));
    }

    #[test]
    fn shortcuts_map_to_commands_and_fields_keep_their_keys() {
        assert_eq!(shortcut("z", true, false, false), Some(Shortcut::Undo));
        assert_eq!(shortcut("Z", true, true, false), Some(Shortcut::Redo));
        assert_eq!(shortcut("y", true, false, false), Some(Shortcut::Redo));
        assert_eq!(shortcut("Delete", false, false, false), Some(Shortcut::Tree(TreeCommand::Delete)));
        assert_eq!(shortcut("A", false, true, false), Some(Shortcut::Tree(TreeCommand::Add(NewKind::Gate(GateKind::And)))));
        assert_eq!(shortcut("=", true, false, false), Some(Shortcut::Zoom(1)));
        assert_eq!(shortcut("s", true, false, true), Some(Shortcut::Snapshot));
        // In a text field, undo and delete belong to the field.
        assert_eq!(shortcut("z", true, false, true), None);
        assert_eq!(shortcut("Delete", false, false, true), None);
        assert_eq!(shortcut("a", false, false, false), None);
    }
}
