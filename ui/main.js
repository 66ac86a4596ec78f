// Loads the Yew app (wasm-bindgen --target web output); its start function mounts the UI on <body>.
import init from './faultline_ui.js';
await init({ module_or_path: './faultline_ui_bg.wasm' });
