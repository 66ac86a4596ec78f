"""End-to-end test of the real desktop app.

Drives target/release/faultline-app through tauri-driver (which starts WebKitWebDriver) with selenium.
Run by scripts/e2e.sh (from ./test), which provides Xvfb (DISPLAY), temp XDG_* dirs, FAULTLINE_APP and
FAULTLINE_E2E_OUT (the screenshot folder).
"""

import os
import shutil
import socket
import subprocess
import time
import tomllib
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
APP = Path(os.environ.get("FAULTLINE_APP", ROOT / "target/release/faultline-app")).resolve()
OUT = Path(os.environ.get("FAULTLINE_E2E_OUT", ROOT / "target/e2e"))
IDENTIFIER = "dev.faultline.desktop"  # src-tauri/tauri.conf.json
KINDS = ["Fault trees", "FMEA worksheets", "Fishbones", "Defence layers", "Postmortems", "Action items"]
TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def workspace_version() -> str:
    with open(ROOT / "Cargo.toml", "rb") as f:
        return tomllib.load(f)["workspace"]["package"]["version"]


def wait_for_port(port: int, proc: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"tauri-driver exited early with code {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"tauri-driver did not listen on port {port} within {seconds}s")


@pytest.fixture(scope="module")
def driver():
    assert APP.is_file(), f"the app is not built: {APP}"
    assert os.environ.get("DISPLAY"), "no DISPLAY: run through scripts/e2e.sh (it starts Xvfb)"
    tauri_driver = shutil.which("tauri-driver")
    assert tauri_driver, "tauri-driver is not on PATH (./test installs it)"
    port, native_port = free_port(), free_port()
    OUT.mkdir(parents=True, exist_ok=True)
    log = open(OUT / "tauri-driver.log", "w")
    proc = subprocess.Popen(
        [tauri_driver, "--port", str(port), "--native-port", str(native_port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, proc)
        # tauri-driver starts WebKitWebDriver on the native port; on a loaded machine it listens later than
        # tauri-driver does, and a session request before that is refused. Wait for it, then retry briefly.
        wait_for_port(native_port, proc, seconds=60)
        options = ArgOptions()
        options.set_capability("browserName", "wry")
        options.set_capability("tauri:options", {"application": str(APP)})
        for attempt in range(5):
            try:
                drv = webdriver.Remote(command_executor=f"http://127.0.0.1:{port}", options=options)
                break
            except Exception:
                if attempt == 4:
                    raise
                time.sleep(2)
        try:
            yield drv
        finally:
            drv.quit()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def text_of(driver, css: str) -> str:
    # textContent, not .text: WebKitWebDriver's rendered text is empty for some styled spans (ellipsis).
    return (driver.find_element(By.CSS_SELECTOR, css).get_attribute("textContent") or "").strip()


def test_ui_renders_and_backend_answers(driver):
    wait = WebDriverWait(driver, TIMEOUT)
    # The Yew UI rendered: the navigator lists every kind of model, each with a count badge.
    nav = wait.until(EC.presence_of_element_located((By.ID, "navigator")))
    items = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#navigator .nav-item"))
    labels = [i.find_element(By.CSS_SELECTOR, ".nav-label").text.strip() for i in items]
    assert labels == KINDS
    badges = [i.find_element(By.CSS_SELECTOR, ".badge").text.strip() for i in items]
    assert badges == ["0"] * len(KINDS), badges
    assert "Faultline" in nav.text

    # The backend answered app_info: the status bar shows the version and the default project's path.
    version = wait.until(EC.presence_of_element_located((By.ID, "status-version")))
    assert version.text.strip() == f"Faultline {workspace_version()}"
    assert not driver.find_elements(By.ID, "status-error")
    expected_path = Path(os.environ["XDG_DATA_HOME"]) / IDENTIFIER / "default.faultline"
    assert text_of(driver, "#status-project") == str(expected_path)
    assert text_of(driver, "#status-saved") == "Saved"

    # The frame: the empty state of the selected kind, the properties panel and the results drawer.
    assert text_of(driver, "#workspace h1") == "Fault trees"
    assert "No fault trees in this project" in text_of(driver, "#workspace .empty-state")
    assert driver.find_element(By.ID, "properties").is_displayed()
    assert driver.find_elements(By.CSS_SELECTOR, "#results-drawer .drawer-body")

    driver.save_screenshot(str(OUT / "01-start.png"))
    if shutil.which("import"):
        # The whole X screen too: proof that the UI sits inside the native Tauri window.
        subprocess.run(["import", "-window", "root", str(OUT / "00-screen.png")], check=False)


def test_navigator_and_drawer_respond(driver):
    wait = WebDriverWait(driver, TIMEOUT)
    wait.until(EC.presence_of_element_located((By.ID, "status-version")))
    driver.find_element(By.CSS_SELECTOR, '#navigator .nav-item[data-kind="postmortems"]').click()
    wait.until(lambda d: text_of(d, "#workspace h1") == "Postmortems")
    selected = driver.find_element(By.CSS_SELECTOR, "#navigator .nav-item.selected")
    assert selected.get_attribute("data-kind") == "postmortems"
    assert "No postmortems in this project" in text_of(driver, "#workspace .empty-state")

    toggle = driver.find_element(By.CSS_SELECTOR, "#results-drawer .drawer-toggle")
    assert toggle.get_attribute("aria-expanded") == "true"
    toggle.click()
    wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, "#results-drawer .drawer-body"))
    assert toggle.get_attribute("aria-expanded") == "false"
    driver.save_screenshot(str(OUT / "02-postmortems-drawer-closed.png"))
    toggle.click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#results-drawer .drawer-body"))
