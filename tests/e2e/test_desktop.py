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

import json

import pytest
from selenium import webdriver
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.support import expected_conditions as EC
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
APP = Path(os.environ.get("FAULTLINE_APP", ROOT / "target/release/faultline-app")).resolve()
OUT = Path(os.environ.get("FAULTLINE_E2E_OUT", ROOT / "target/e2e"))
IDENTIFIER = "dev.faultline.desktop"  # src-tauri/tauri.conf.json
KINDS = ["Fault trees", "FMEA worksheets", "Fishbones", "Defence layers", "Postmortems", "Action items"]
TIMEOUT = 60
ARALIA = (ROOT / ".." / "shared" / "benchmarks" / "aralia").resolve()
# The shell answers its next file dialog from this file (FAULTLINE_SCRIPTED_DIALOG, set by scripts/e2e.sh):
# WebDriver cannot reach native dialogs, so the tests click the real File menu and script only the dialog.
DIALOG = Path(os.environ.get("FAULTLINE_SCRIPTED_DIALOG", "/nonexistent"))


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


class App:
    """tauri-driver plus one WebDriver session on the real app; `restart()` quits the app and starts it again
    on the same XDG data folder (so on the same default project)."""

    def __init__(self):
        assert APP.is_file(), f"the app is not built: {APP}"
        assert os.environ.get("DISPLAY"), "no DISPLAY: run through scripts/e2e.sh (it starts Xvfb)"
        tauri_driver = shutil.which("tauri-driver")
        assert tauri_driver, "tauri-driver is not on PATH (./test installs it)"
        self.port, native_port = free_port(), free_port()
        OUT.mkdir(parents=True, exist_ok=True)
        self.log = open(OUT / "tauri-driver.log", "w")
        self.proc = subprocess.Popen(
            [tauri_driver, "--port", str(self.port), "--native-port", str(native_port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port, self.proc)
        # tauri-driver starts WebKitWebDriver on the native port; on a loaded machine it listens later than
        # tauri-driver does, and a session request before that is refused. Wait for it, then retry briefly.
        wait_for_port(native_port, self.proc, seconds=60)
        self.driver = self.session()

    def session(self):
        options = ArgOptions()
        options.set_capability("browserName", "wry")
        options.set_capability("tauri:options", {"application": str(APP)})
        for attempt in range(5):
            try:
                return webdriver.Remote(command_executor=f"http://127.0.0.1:{self.port}", options=options)
            except Exception:
                if attempt == 4:
                    raise
                time.sleep(2)

    def restart(self):
        self.driver.quit()
        time.sleep(1)
        self.driver = self.session()

    def close(self):
        try:
            self.driver.quit()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            self.log.close()


@pytest.fixture(scope="module")
def app():
    a = App()
    try:
        yield a
    finally:
        a.close()


def text_of(driver, css: str) -> str:
    # textContent, not .text: WebKitWebDriver's rendered text is empty for some styled spans (ellipsis).
    els = driver.find_elements(By.CSS_SELECTOR, css)
    return (els[0].get_attribute("textContent") or "").strip() if els else ""


def wait_text(driver, css: str, expected: str, timeout: float = TIMEOUT) -> None:
    try:
        WebDriverWait(driver, timeout).until(lambda d: text_of(d, css) == expected)
    except Exception:
        raise AssertionError(f"{css}: expected {expected!r}, found {text_of(driver, css)!r}")


# WebKitWebDriver sometimes answers a lookup of an SVG node that the UI is re-rendering with "Could not parse
# element info" (a WebDriverException) instead of finding it or not: the waits below try again then.
RETRY_ON = (WebDriverException,)


def node(driver, name: str):
    return WebDriverWait(driver, TIMEOUT, ignored_exceptions=RETRY_ON).until(
        lambda d: d.find_element(By.CSS_SELECTOR, f'#tree-canvas g.node[data-name="{name}"]')
    )


def select_node(driver, name: str) -> None:
    # Fit the tree to the window first, as a person would when the node is out of view.
    driver.find_element(By.ID, "fit").click()

    def click(d) -> bool:
        node(d, name).find_element(By.CSS_SELECTOR, ".label-box").click()
        return True

    WebDriverWait(driver, TIMEOUT, ignored_exceptions=RETRY_ON).until(click)
    WebDriverWait(driver, TIMEOUT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, f'#tree-canvas g.node.selected[data-name="{name}"]')
    )


def set_field(driver, css: str, value: str) -> None:
    field = WebDriverWait(driver, TIMEOUT).until(lambda d: d.find_element(By.CSS_SELECTOR, css))
    # As a person does it: select what is there, type over it, leave the field (which commits it).
    field.click()
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(value, Keys.TAB)


def menu(driver, menu_id: str, item_id: str) -> None:
    driver.find_element(By.CSS_SELECTOR, f"#{menu_id} summary").click()
    WebDriverWait(driver, TIMEOUT).until(lambda d: d.find_element(By.ID, item_id).is_displayed())
    driver.find_element(By.ID, item_id).click()


def answer_next_dialog(*paths) -> None:
    DIALOG.write_text("\n".join(str(p) for p in paths))


def shot(driver, name: str) -> None:
    time.sleep(0.5)  # let WebKit paint the last change before the snapshot
    driver.save_screenshot(str(OUT / name))


def test_opens_the_default_project_with_the_samples(app):
    d = app.driver
    wait = WebDriverWait(d, TIMEOUT)
    nav = wait.until(EC.presence_of_element_located((By.ID, "navigator")))
    version = wait.until(EC.presence_of_element_located((By.ID, "status-version")))
    assert version.text.strip() == f"Faultline {workspace_version()}"
    assert not d.find_elements(By.ID, "status-error")
    expected_path = Path(os.environ["XDG_DATA_HOME"]) / IDENTIFIER / "default.faultline"
    wait_text(d, "#status-project", str(expected_path))
    assert expected_path.is_file(), "the default project was created on first run"
    items = d.find_elements(By.CSS_SELECTOR, "#navigator .nav-item")
    assert [text_of(i, ".nav-label") for i in items] == KINDS
    # Every view has something real on first run: ten sample models of each kind.
    badges = lambda d: [text_of(i, ".badge") for i in d.find_elements(By.CSS_SELECTOR, "#navigator .nav-item")]
    wait.until(lambda d: badges(d)[:5] == ["10"] * 5)
    assert int(badges(d)[5]) >= 10, badges(d)  # several action items per postmortem
    assert "Faultline" in nav.text
    # The first sample tree is open, drawn and analysed.
    wait_text(d, "#open-tree-name", "Api503DbPool")
    wait.until(lambda d: int(d.find_element(By.CSS_SELECTOR, "#tree-canvas svg").get_attribute("data-nodes")) > 10)
    wait.until(lambda d: text_of(d, "#mcs-count") not in ("", "0"))
    assert text_of(d, "#p-exact").count("e-") == 1
    assert d.find_elements(By.CSS_SELECTOR, "#cut-sets tr.cut-set")
    assert d.find_elements(By.CSS_SELECTOR, "#importance tbody tr")
    WebDriverWait(d, TIMEOUT).until(lambda d: "Faultline" in d.title and "default.faultline" in d.title)
    shot(d, "01-default-project.png")
    if shutil.which("import"):
        # The whole X screen too: proof that the UI sits inside the native Tauri window.
        subprocess.run(["import", "-window", "root", str(OUT / "00-screen.png")], check=False)


def test_open_a_sample_tree_and_highlight_a_cut_set(app):
    d = app.driver
    d.find_element(By.CSS_SELECTOR, '#navigator .nav-item[data-kind="fault-trees"]').click()
    docs = WebDriverWait(d, TIMEOUT).until(lambda d: d.find_elements(By.CSS_SELECTOR, '.doc-list[data-kind="fault-trees"] .doc-item'))
    assert len(docs) == 10
    target = docs[-1]
    name = target.get_attribute("title")
    target.click()
    wait_text(d, "#open-tree-name", name)
    WebDriverWait(d, TIMEOUT).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#cut-sets tr.cut-set"))
    first = d.find_element(By.CSS_SELECTOR, "#cut-sets tr.cut-set td.events")
    events = (first.get_attribute("textContent") or "").strip().split(" · ")
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", first)
    first.click()
    WebDriverWait(d, TIMEOUT).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#tree-canvas g.node.lit"))
    lit = {n.get_attribute("data-name") for n in d.find_elements(By.CSS_SELECTOR, "#tree-canvas g.node.lit")}
    assert set(events) <= lit, (events, lit)
    assert d.find_elements(By.CSS_SELECTOR, "#tree-canvas g.node.dim"), "everything else is dimmed"
    shot(d, "02-cut-set-highlighted.png")


def test_build_an_and_gate_set_probabilities_and_undo(app):
    d = app.driver
    d.find_element(By.ID, "new-fault-trees").click()
    wait_text(d, "#open-tree-name", "Fault tree 1")
    select_node(d, "Top")
    d.find_element(By.ID, "add-and").click()
    gate = WebDriverWait(d, TIMEOUT).until(lambda d: d.find_element(By.CSS_SELECTOR, "#tree-canvas g.node.selected"))
    gate_name = gate.get_attribute("data-name")
    assert gate_name.startswith("Gate")
    # An AND gate without arguments is a validation error, shown on the node itself.
    WebDriverWait(d, TIMEOUT).until(lambda d: d.find_elements(By.CSS_SELECTOR, f'#tree-canvas g.node.has-error[data-name="{gate_name}"]'))
    d.find_element(By.ID, "add-basic").click()
    WebDriverWait(d, TIMEOUT).until(lambda d: d.find_element(By.CSS_SELECTOR, "#tree-canvas g.node.selected").get_attribute("data-name").startswith("Event"))
    first = d.find_element(By.CSS_SELECTOR, "#tree-canvas g.node.selected").get_attribute("data-name")
    d.find_element(By.ID, "add-basic").click()
    WebDriverWait(d, TIMEOUT).until(lambda d: d.find_element(By.CSS_SELECTOR, "#tree-canvas g.node.selected").get_attribute("data-name") not in (first, gate_name))
    second = d.find_element(By.CSS_SELECTOR, "#tree-canvas g.node.selected").get_attribute("data-name")
    # New events start at p = 0.01: P(top) = 0.01 x 0.01, one cut set.
    wait_text(d, "#p-exact", "1.00e-4")
    wait_text(d, "#mcs-count", "1")
    set_field(d, "#prop-p", "0.2")
    wait_text(d, "#p-exact", "2.00e-3")
    select_node(d, first)
    set_field(d, "#prop-p", "0.1")
    wait_text(d, "#p-exact", "2.00e-2")
    wait_text(d, "#p-rare", "2.00e-2")
    wait_text(d, "#mcs-count", "1")
    assert text_of(d, "#cut-sets tr.cut-set td.events") == " · ".join(sorted([first, second]))
    shot(d, "03-and-gate-edited.png")
    d.find_element(By.ID, "undo").click()
    wait_text(d, "#p-exact", "2.00e-3")
    assert "Undone" in text_of(d, "#notice")
    # Ctrl+Shift+Z redoes (the canvas has the focus, not a text field).
    d.find_element(By.ID, "tree-canvas").click()
    ActionChains(d).key_down(Keys.CONTROL).key_down(Keys.SHIFT).send_keys("z").key_up(Keys.SHIFT).key_up(Keys.CONTROL).perform()
    wait_text(d, "#p-exact", "2.00e-2")
    # A third event under the OR top adds a cut set of order 1.
    select_node(d, "Top")
    d.find_element(By.ID, "add-basic").click()
    wait_text(d, "#mcs-count", "2")
    d.find_element(By.ID, "undo").click()
    wait_text(d, "#mcs-count", "1")
    wait_text(d, "#p-exact", "2.00e-2")
    shot(d, "04-after-undo.png")
    # Link an FMEA row of a sample worksheet to the event, from the properties panel; then unlink it.
    select_node(d, first)
    choice = Select(d.find_element(By.ID, "prop-fmea-link"))
    row_label = choice.options[1].text
    choice.select_by_index(1)
    WebDriverWait(d, TIMEOUT).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#prop-fmea li")) == 1)
    assert row_label.split(" (S")[0] in text_of(d, "#prop-fmea li")
    d.find_element(By.CSS_SELECTOR, "#prop-fmea li button").click()
    WebDriverWait(d, TIMEOUT).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "#prop-fmea li"))


def test_the_edit_persists_across_a_restart(app):
    app.restart()
    d = app.driver

    WebDriverWait(d, TIMEOUT).until(lambda d: d.find_elements(By.CSS_SELECTOR, '.doc-list[data-kind="fault-trees"] .doc-item'))
    d.find_element(By.CSS_SELECTOR, '.doc-list[data-kind="fault-trees"] .doc-item[title="Fault tree 1"]').click()
    wait_text(d, "#open-tree-name", "Fault tree 1")
    wait_text(d, "#p-exact", "2.00e-2")
    wait_text(d, "#mcs-count", "1")
    # The undo history survived too.
    assert text_of(d, "#status-undo") != "Undo 0"
    shot(d, "05-after-restart.png")


def test_import_an_aralia_mef_file_through_the_file_menu(app):
    d = app.driver
    reference = json.loads((ARALIA / "expected.json").read_text())
    expected = reference["models"]["chinese"]
    tolerance = reference["tolerance"]["exact_probability_relative"]  # SCRAM prints 6 significant digits
    answer_next_dialog(ARALIA / "chinese.xml")
    menu(d, "menu-file", "file-import-mef")
    WebDriverWait(d, TIMEOUT).until(lambda d: text_of(d, "#open-tree-name") not in ("", "Fault tree 1"))
    wait_text(d, "#mcs-count", str(expected["mcs_count"]))
    shown = float(d.find_element(By.ID, "p-exact").get_attribute("title"))
    assert abs(shown - expected["exact_probability"]) <= tolerance * expected["exact_probability"]
    shot(d, "06-aralia-imported.png")


def test_export_the_tree_picture_and_the_risk_register(app, tmp_path):
    d = app.driver
    svg = tmp_path / "tree.svg"
    answer_next_dialog(svg)
    menu(d, "menu-file", "file-export-svg")
    WebDriverWait(d, TIMEOUT).until(lambda d: svg.exists() and svg.stat().st_size > 0)
    assert "<svg" in svg.read_text()[:500]
    xlsx = tmp_path / "register.xlsx"
    answer_next_dialog(xlsx)
    menu(d, "menu-file", "file-export-xlsx")
    WebDriverWait(d, TIMEOUT).until(lambda d: xlsx.exists() and xlsx.stat().st_size > 0)
    assert xlsx.read_bytes()[:2] == b"PK"


def test_workshop_zoom_and_other_kinds(app):
    d = app.driver
    body = d.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.CONTROL, "=")
    wait_text(d, "#zoom-level", "110 %")
    shot(d, "07-workshop-zoom.png")
    body.send_keys(Keys.CONTROL, "-")
    wait_text(d, "#zoom-level", "100 %")
    d.find_element(By.CSS_SELECTOR, '#navigator .nav-item[data-kind="fmea-worksheets"]').click()
    wait_text(d, "#workspace h1", "FMEA worksheets")
    WebDriverWait(d, TIMEOUT).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#doc-summary .summary"))
    # The fault-tree selection does not leak into another kind's properties.
    assert not d.find_elements(By.ID, "prop-kind")
    shot(d, "08-fmea-summary.png")
    toggle = d.find_element(By.CSS_SELECTOR, "#results-drawer .drawer-toggle")
    assert toggle.get_attribute("aria-expanded") == "true"
    toggle.click()
    WebDriverWait(d, TIMEOUT).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "#results-drawer .drawer-body"))
    toggle.click()
    WebDriverWait(d, TIMEOUT).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#results-drawer .drawer-body"))


def test_delete_a_document_and_undo(app):
    d = app.driver
    d.find_element(By.CSS_SELECTOR, '#navigator .nav-item[data-kind="fishbones"]').click()
    first = WebDriverWait(d, TIMEOUT).until(lambda d: d.find_element(By.CSS_SELECTOR, '.doc-list[data-kind="fishbones"] .doc-item'))
    name = first.get_attribute("title")
    first.click()
    WebDriverWait(d, TIMEOUT).until(lambda d: d.find_element(By.ID, "doc-name").get_attribute("value") == name)
    assert not d.find_elements(By.ID, "status-broken"), "the samples' links all resolve"
    d.find_element(By.ID, "doc-delete").click()
    badge = '#navigator .nav-item[data-kind="fishbones"] .badge'
    wait_text(d, badge, "9")
    # The deleted document is no longer open: no stale properties.
    WebDriverWait(d, TIMEOUT).until(lambda d: not d.find_elements(By.ID, "doc-delete"))
    # The action items and postmortem that named the fishbone's causes now point at nothing: said, not hidden.
    broken = WebDriverWait(d, TIMEOUT).until(lambda d: d.find_element(By.ID, "status-broken"))
    assert "broken link" in (broken.get_attribute("textContent") or "")
    shot(d, "09-deleted-fishbone-broken-links.png")
    assert name not in [e.get_attribute("title") for e in d.find_elements(By.CSS_SELECTOR, ".doc-list .doc-item")]
    menu(d, "menu-edit", "edit-undo")
    wait_text(d, badge, "10")
    WebDriverWait(d, TIMEOUT).until(lambda d: not d.find_elements(By.ID, "status-broken"))
    assert name in [e.get_attribute("title") for e in d.find_elements(By.CSS_SELECTOR, ".doc-list .doc-item")]


def test_save_as_then_reopen_from_recent(app, tmp_path):
    d = app.driver
    default = text_of(d, "#status-project")
    copy = tmp_path / "review copy.faultline"
    answer_next_dialog(copy)
    menu(d, "menu-file", "file-save-as")
    wait_text(d, "#status-project", str(copy))
    assert copy.is_file()
    WebDriverWait(d, TIMEOUT).until(lambda d: d.title.startswith("review copy.faultline"))
    # The copy holds everything, and the app now edits the copy.
    wait_text(d, '#navigator .nav-item[data-kind="fault-trees"] .badge', "12")
    d.find_element(By.CSS_SELECTOR, "#menu-file summary").click()
    recent = WebDriverWait(d, TIMEOUT).until(lambda d: d.find_element(By.CSS_SELECTOR, f'#menu-file .recent-item[data-path="{default}"]'))
    recent.click()
    wait_text(d, "#status-project", default)
    WebDriverWait(d, TIMEOUT).until(lambda d: d.title.startswith("default.faultline"))


def test_a_tree_too_large_for_the_app_says_so_and_is_analysed_by_its_cut_sets(app):
    # nus9601 (1622 gates) needs more BDD nodes than the ceiling scripts/e2e.sh sets: the drawer says so
    # instead of the app growing without bound. Last in the file: it leaves the big tree open.
    d = app.driver
    before = text_of(d, "#open-tree-name")
    answer_next_dialog(ARALIA / "nus9601.xml")
    menu(d, "menu-file", "file-import-mef")
    WebDriverWait(d, TIMEOUT).until(lambda d: text_of(d, "#open-tree-name") not in ("", before))
    WebDriverWait(d, 120).until(lambda d: d.find_elements(By.ID, "analysis-stopped"))
    stopped = text_of(d, "#analysis-stopped")
    assert "too large for an exact analysis" in stopped and "1000000 BDD nodes" in stopped, stopped
    shot(d, "06b-too-large.png")
    # The import itself is an ordinary edit: one step to undo.
    assert text_of(d, "#status-undo") != "Undo 0"
    # Its cut sets up to order 7 need more ZBDD nodes than that ceiling too: the drawer says so.
    set_field(d, "#approx-order", "7")
    d.find_element(By.ID, "approximate").click()
    WebDriverWait(d, 120).until(lambda d: "ZBDD nodes" in text_of(d, "#analysis-stopped"))
    stopped = text_of(d, "#analysis-stopped")
    assert "No result by cut sets up to order 7" in stopped and "lower the limit order" in stopped, stopped
    # Up to order 5 they fit: 10 sets of order 3 and 2 of order 4, no exact P(top), the approximations from
    # those 12 (rare-event sum 1.002e-5); and P(top) exact but for module g8, whose own cut sets within
    # that truncation (order 3) are none: 9.94e-6, which is also the lower bound (g8 working).
    set_field(d, "#approx-order", "5")
    d.find_element(By.ID, "approximate").click()
    WebDriverWait(d, 120).until(lambda d: d.find_elements(By.ID, "approximate-banner"))
    banner = text_of(d, "#approximate-banner")
    assert "up to order 5" in banner and "exact but for module g8 (1551 events)" in banner, banner
    wait_text(d, "#mcs-count", "12")
    assert text_of(d, "#p-exact") == "—"
    assert text_of(d, "#p-rare") == "1.00e-5", text_of(d, "#p-rare")
    assert text_of(d, "#p-partial") == "9.94e-6", text_of(d, "#p-partial")
    assert text_of(d, "#p-lower") == "9.94e-6", text_of(d, "#p-lower")
    # Beside them, the Monte Carlo estimate, sampling g8 alone (its cut sets to order 3 are none, yet it
    # fails about once in 70,000): 9.94e-6 or 9.95e-6 (P(top) = 9.9447e-6 ± 1e-10 from 2e8 samples), with a
    # relative error far below 1 %.
    sampled = text_of(d, "#p-sampled")
    figure, error = sampled.split(" ± ")
    assert figure in ("9.94e-6", "9.95e-6") and error.startswith("0.00") and error.endswith(" %"), sampled
    title = d.find_element(By.ID, "p-sampled").get_attribute("title")
    assert "samples of module g8" in title and "Statistical, not a bound" in title, title
    shot(d, "06c-by-cut-sets.png")
    # And back to the exact analysis, which stops at the ceiling again.
    d.find_element(By.ID, "exact-again").click()
    WebDriverWait(d, 120).until(lambda d: d.find_elements(By.ID, "analysis-stopped"))
