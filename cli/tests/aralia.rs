//! Every Aralia benchmark tree with reference results reproduces SCRAM's #MCS, order distribution and exact
//! probability (relative 1e-5), through the real `faultline analyze --json`. The slowest trees are in an
//! ignored test; `faultline bench` runs them all.

mod common;

use common::{fails, ok};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

/// Trees that take seconds here: run by `cargo test -- --ignored` and by `faultline bench`.
const SLOW: &[&str] = &["cea9601", "edf9203", "edf9204", "edfpa14b", "edfpa14o", "edfpa14p", "edfpa14q", "edfpa14r", "edfpa15b", "edfpa15o", "edfpa15q", "edfpa15r", "jbd9601", "isp9602"];

fn aralia() -> PathBuf {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    loop {
        let candidate = dir.join("shared/benchmarks/aralia");
        if candidate.join("expected.json").exists() {
            return candidate;
        }
        assert!(dir.pop(), "shared/benchmarks/aralia not found above {}", env!("CARGO_MANIFEST_DIR"));
    }
}

fn check(slow: bool) {
    let dir = aralia();
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let mut checked = 0;
    for (name, m) in expected["models"].as_object().unwrap() {
        let Some(want_count) = m["mcs_count"].as_u64() else { continue };
        if SLOW.contains(&name.as_str()) != slow {
            continue;
        }
        let out = Command::new(env!("CARGO_BIN_EXE_faultline"))
            .arg("analyze")
            .arg(dir.join(m["file"].as_str().unwrap()))
            .args(["--json", "--max-cut-sets", "3", "--top", m["top"].as_str().unwrap()])
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let got: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(got["cut_set_count"].as_u64(), Some(want_count), "{name}: #MCS");
        let want_p = m["exact_probability"].as_f64().unwrap();
        let p = got["probability"]["exact"].as_f64().unwrap();
        assert!(((p - want_p) / want_p).abs() < 1e-5, "{name}: P(top) {p} vs {want_p}");
        let mut dist: Vec<u64> = got["order_distribution"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
        while dist.last() == Some(&0) {
            dist.pop();
        }
        let want_dist: Vec<u64> = m["order_distribution"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
        // expected.json counts from order 1; ours from order 0 (always 0 here: the top needs some event).
        assert_eq!(dist.first(), Some(&0), "{name}: no cut set of order 0");
        assert_eq!(dist[1..], want_dist[..], "{name}: order distribution");
        // The listed cut sets are real: their probability is the product of 0.01s.
        for cs in got["cut_sets"].as_array().unwrap() {
            let order = cs["order"].as_u64().unwrap() as i32;
            let pcs = cs["probability"].as_f64().unwrap();
            assert!((pcs - 0.01f64.powi(order)).abs() <= 1e-12 * pcs, "{name}: cut set probability");
        }
        checked += 1;
    }
    assert!(checked >= if slow { 10 } else { 15 }, "only {checked} models checked");
}

#[test]
fn aralia_trees_reproduce_the_reference_results() {
    check(false);
}

#[test]
#[ignore = "seconds per tree: run with --ignored, or `faultline bench`"]
fn slow_aralia_trees_reproduce_the_reference_results() {
    check(true);
}

/// nus9601 past the ceiling: everything but its module g8 (1551 of its 1567 events) is exact. The two
/// conditionals are checked against an independent route: the exact analysis of nus9601 with g8 replaced
/// by a house event, true and then false (a tree whose BDD has 37 nodes). With limit order 6, the
/// smallest context of g8 in the cut sets has 2 events, so g8's own sets go to order 4: its 290 sets of
/// order 4.
#[test]
fn nus9601_is_exact_but_for_its_module_g8() {
    let dir = aralia();
    let file = dir.join("nus9601.xml");
    let got: Value = serde_json::from_str(&ok(&["analyze", file.to_str().unwrap(), "--json", "--max-bdd-nodes", "100000", "--limit-order", "6"])).unwrap();
    let m = &got["approximated_module"];
    assert_eq!((m["gate"].as_str(), m["events"].as_u64(), m["limit_order"].as_u64(), m["cut_set_count"].as_u64()), (Some("g8"), Some(1551), Some(4), Some(290)));
    let xml = std::fs::read_to_string(&file).unwrap();
    let g8 = "<define-gate name=\"g8\">\n<and>\n<gate name=\"g9\"/>\n<gate name=\"g10\"/>\n</and>\n</define-gate>";
    assert!(xml.contains(g8));
    let tmp = std::env::temp_dir().join(format!("faultline-nus9601-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    for (state, field) in [("true", "if_failed"), ("false", "if_working")] {
        let fixed = xml.replace(g8, &format!("<define-gate name=\"g8\"><house-event name=\"H8\"/></define-gate>\n<define-house-event name=\"H8\"><constant value=\"{state}\"/></define-house-event>"));
        let path = tmp.join(format!("g8-{state}.xml"));
        std::fs::write(&path, fixed).unwrap();
        let exact: Value = serde_json::from_str(&ok(&["analyze", path.to_str().unwrap(), "--json", "--top", "r1"])).unwrap();
        let want = exact["probability"]["exact"].as_f64().unwrap();
        let have = m[field].as_f64().unwrap();
        assert!(((have - want) / want).abs() < 1e-12, "{field}: {have} vs {want}");
    }
    std::fs::remove_dir_all(&tmp).unwrap();
    let (if_failed, if_working, p_g8) = (m["if_failed"].as_f64().unwrap(), m["if_working"].as_f64().unwrap(), m["probability"].as_f64().unwrap());
    assert!((p_g8 - 290e-8).abs() < 1e-9, "{p_g8}");
    let p = &got["probability"];
    assert!(p["exact"].is_null());
    assert_eq!(p["lower_bound"].as_f64(), Some(if_working));
    let partial = p["partial"].as_f64().unwrap();
    assert!((partial - (if_working + p_g8 * (if_failed - if_working))).abs() < 1e-18);
    // 9.94e-6: the MCUB of the tree's truncated cut sets, 1.0021e-5, is 0.8% higher.
    assert!((9.9404e-6..9.9405e-6).contains(&partial), "{partial}");
    // The Monte Carlo estimate samples g8 alone (2^22 samples), and P(top)'s goes through it. Its P(g8)
    // agrees with two runs of 10^8 samples made here (2,730 hits in all: 1.365e-5 ± 0.026e-5, see
    // BENCHMARKS.md), and is well above what g8's cut sets of order 4 give (2.9e-6): they hold a fifth of
    // P(g8).
    let s = &m["sampled"];
    let (p_mc, se) = (s["probability"].as_f64().unwrap(), s["std_error"].as_f64().unwrap());
    assert_eq!(s["samples"].as_u64(), Some(1 << 22));
    assert!((p_mc - 1.365e-5).abs() < 6.0 * (se + 0.026e-5), "P(g8) ≈ {p_mc} ± {se}");
    assert!(s["low_95"].as_f64().unwrap() > p_g8, "the interval lies above the truncated figure");
    let top = &p["sampled"];
    assert!((top["probability"].as_f64().unwrap() - (if_working + p_mc * (if_failed - if_working))).abs() < 1e-18);
    assert!(top["low_95"].as_f64().unwrap() >= if_working && top["std_error"].as_f64().unwrap() < 1e-9);
}

/// The engine's schedule of variable orders: the deferred order is probed first, within a small budget, and
/// wins on edf9202 (808 nodes, where the biggest-first order does not fit in 65,536); where it does not fit
/// (baobab1: it makes 1.2M nodes), the portfolio's first order builds the diagram. `bdd_order` reports which.
#[test]
fn the_deferred_order_probe_wins_edf9202_and_steps_aside_elsewhere() {
    for (tree, order, at_most) in [("edf9202", "defer-small", 1000), ("baobab1", "big-first", 6000), ("das9207", "shared-first", 4000)] {
        let file = aralia().join(format!("{tree}.xml"));
        let got: Value = serde_json::from_str(&ok(&["analyze", file.to_str().unwrap(), "--json", "--max-cut-sets", "1"])).unwrap();
        assert_eq!(got["bdd_order"].as_str(), Some(order), "{tree}");
        let nodes = got["bdd_nodes"].as_u64().unwrap();
        assert!(nodes <= at_most, "{tree}: {nodes} BDD nodes");
    }
}

/// `--max-bdd-nodes` makes a tree that needs more nodes fail cleanly, naming the ceiling; with room, the
/// result is the usual one.
#[test]
fn a_bdd_node_ceiling_stops_the_analysis_with_a_message() {
    let file = aralia().join("baobab1.xml");
    let file = file.to_str().unwrap();
    let out = common::faultline(&["analyze", file, "--json", "--max-bdd-nodes", "500"]);
    assert!(out.stdout.is_empty());
    let err = fails(&["analyze", file, "--json", "--max-bdd-nodes", "500"]);
    assert!(err.contains("r1: the tree is too large for an exact analysis here") && err.contains("more than 500 BDD nodes"), "{err}");
    let got: Value = serde_json::from_str(&ok(&["analyze", file, "--json", "--max-bdd-nodes", "10000000"])).unwrap();
    assert_eq!(got["cut_set_count"].as_u64(), Some(46188));
}

/// The cross-check algorithms have ceilings too: MOCUS on the entries of its rows (by default 100M, some
/// 2 GB: das9701 at limit order 4 stops there instead of exhausting memory), the direct ZBDD on its nodes.
#[test]
fn mocus_and_zbdd_ceilings_stop_with_a_message() {
    let file = aralia().join("baobab1.xml");
    let file = file.to_str().unwrap();
    let err = fails(&["analyze", file, "--json", "--algorithm", "mocus", "--max-mocus-entries", "1000"]);
    assert!(err.contains("r1: MOCUS's rows need more than 1000 entries") && err.contains("(--max-mocus-entries)"), "{err}");
    let err = fails(&["analyze", file, "--json", "--algorithm", "zbdd", "--max-zbdd-nodes", "100"]);
    assert!(err.contains("more than 100 ZBDD nodes") && err.contains("(--max-zbdd-nodes)"), "{err}");
    for algorithm in ["mocus", "zbdd"] {
        let got: Value = serde_json::from_str(&ok(&["analyze", file, "--json", "--algorithm", algorithm, "--limit-order", "4", "--max-mocus-entries", "10000000", "--max-zbdd-nodes", "1000000"])).unwrap();
        assert_eq!(got["order_distribution"], serde_json::json!([0, 0, 1, 1, 70]), "{algorithm}");
    }
}

/// nus9601, whose BDD nobody has built: past the ceiling, a truncated analysis falls back to the cut sets
/// found without a BDD. Up to order 4 these are 10 sets of order 3 and 2 of order 4, by the direct ZBDD and
/// by MOCUS alike; "exact" is null and the approximations are the rare-event sum and the MCUB of those 12.
/// Without truncation the ceiling stops the analysis, and the message says how to get approximations; with
/// a limit order too high for `--max-zbdd-nodes`, the analysis by cut sets stops too, naming that ceiling.
#[test]
fn nus9601_truncated_falls_back_to_cut_sets() {
    let file = aralia().join("nus9601.xml");
    let file = file.to_str().unwrap();
    let mut results = Vec::new();
    for algorithm in ["bdd", "mocus"] {
        let got: Value = serde_json::from_str(&ok(&["analyze", file, "--json", "--max-bdd-nodes", "100000", "--limit-order", "4", "--algorithm", algorithm])).unwrap();
        assert!(got["probability"]["exact"].is_null(), "{algorithm}: {}", got["probability"]);
        assert!(got["bdd_nodes"].is_null());
        assert_eq!(got["cut_set_count"].as_u64(), Some(12), "{algorithm}");
        assert_eq!(got["order_distribution"], serde_json::json!([0, 0, 0, 10, 2]), "{algorithm}");
        let rare = got["probability"]["rare_event"].as_f64().unwrap();
        assert!((rare - (10.0 * 1e-6 + 2.0 * 1e-8)).abs() < 1e-15, "{rare}");
        let mcub = got["probability"]["mcub"].as_f64().unwrap();
        assert!(mcub < rare && mcub > rare * (1.0 - 1e-4), "{mcub}");
        results.push(got["cut_sets"].clone());
    }
    assert_eq!(results[0], results[1], "the direct ZBDD and MOCUS list the same cut sets");
    let err = fails(&["analyze", file, "--json", "--max-bdd-nodes", "100000"]);
    assert!(err.contains("more than 100000 BDD nodes") && err.contains("add --limit-order or --cut-off"), "{err}");
    let err = fails(&["analyze", file, "--json", "--max-bdd-nodes", "100000", "--limit-order", "7", "--max-zbdd-nodes", "100000"]);
    assert!(err.contains("more than 100000 ZBDD nodes") && err.contains("lower the limit order (--max-zbdd-nodes)"), "{err}");
    // Order 4 fits well within the same ZBDD ceiling.
    let got: Value = serde_json::from_str(&ok(&["analyze", file, "--json", "--max-bdd-nodes", "100000", "--limit-order", "4", "--max-zbdd-nodes", "100000"])).unwrap();
    assert_eq!(got["cut_set_count"].as_u64(), Some(12));
}

/// `faultline bench` on a folder of its own: a model that reproduces its reference is "ok" with SCRAM's time
/// and the ratio; one whose reference is wrong is a MISMATCH and makes the command fail; one without a
/// reference is run and reported as such; and a model whose BDD exceeds `--max-bdd-nodes` is run again
/// truncated, which fails the check when it has a reference to reproduce.
#[test]
fn bench_checks_each_model_against_its_reference() {
    let dir = std::env::temp_dir().join(format!("faultline-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(aralia().join("chinese.xml"), dir.join("chinese.xml")).unwrap();
    let expected = |count: u64| {
        serde_json::json!({"models": {
            "chinese": {"file": "chinese.xml", "top": "r1", "mcs_count": count, "exact_probability": 0.00117058,
                        "scram_bdd_products_s": 0.000497659, "scram_bdd_probability_s": 3.034e-06},
            "unreferenced": {"file": "chinese.xml", "top": "r1", "mcs_count": null, "exact_probability": null}
        }, "tolerance": {"exact_probability_relative": 1e-5}})
    };
    std::fs::write(dir.join("expected.json"), expected(392).to_string()).unwrap();
    let d = dir.to_str().unwrap();
    let table = ok(&["bench", d]);
    let row = |name: &str| table.lines().find(|l| l.starts_with(name)).unwrap_or_else(|| panic!("no row {name}: {table}")).to_string();
    let chinese = row("chinese");
    assert!(chinese.contains(" 392 ") && chinese.contains("1.170582e-3") && chinese.contains("0.5") && chinese.ends_with("ok"), "{chinese}");
    assert!(chinese.split_whitespace().any(|w| w.ends_with('x')), "a ratio: {chinese}");
    assert!(row("unreferenced").ends_with("no reference"));
    assert!(table.contains("the median of 5 runs for a model under 1 s"), "{table}");
    // A wrong reference count.
    std::fs::write(dir.join("expected.json"), expected(391).to_string()).unwrap();
    let out = common::faultline(&["bench", d]);
    assert_eq!(out.status.code(), Some(1));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.lines().any(|l| l.starts_with("chinese") && l.contains("MISMATCH: #MCS 391 expected")), "{table}");
    // A BDD ceiling below chinese's diagram: the second, truncated run cannot check the reference.
    std::fs::write(dir.join("expected.json"), expected(392).to_string()).unwrap();
    let out = common::faultline(&["bench", d, "--max-bdd-nodes", "10", "--fallback-limit-order", "3"]);
    assert_eq!(out.status.code(), Some(1));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.lines().any(|l| l.starts_with("chinese") && l.contains("FAILED: the BDD exceeded 10 nodes")), "{table}");
    let unreferenced = table.lines().find(|l| l.starts_with("unreferenced")).unwrap();
    assert!(unreferenced.contains("no BDD (order ≤ 3"), "{table}");
    // With the Monte Carlo estimate beside it, near chinese's exact 1.17058e-3 (2^22 samples: ± 1.7e-5).
    let mc: f64 = unreferenced.split("Monte Carlo ").nth(1).and_then(|r| r.split_whitespace().next()).unwrap().parse().unwrap();
    assert!((mc - 1.17058e-3).abs() < 1e-4, "{unreferenced}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Past the BDD ceiling, the Monte Carlo estimate agrees with SCRAM's exact P(top) on the Aralia trees
/// with a reference (within 6 standard errors, plus 1e-5 for the reference's six digits), whether the whole
/// tree is sampled (`--max-bdd-nodes 0`: no BDD at all, so no module to be exact around) or only the module
/// the analysis is exact but for (a ceiling that the tree around its largest module fits under). Trees whose
/// probability is too small for 2^22 samples to see must get an interval that still holds it.
#[test]
fn monte_carlo_agrees_with_the_reference_probabilities() {
    let dir = aralia();
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let (mut whole, mut through_a_module) = (0, 0);
    // The coherent trees of the fast set: on a non-coherent tree (das9601) the analysis by cut sets itself
    // is what takes long (see BENCHMARKS.md).
    let trees = ["baobab1", "baobab2", "chinese", "das9203", "das9204", "das9205", "das9206", "das9207", "das9208", "edf9201", "edf9202", "isp9601", "isp9604", "isp9607", "ftr10"];
    for name in trees {
        let m = &expected["models"][name];
        let want = m["exact_probability"].as_f64().unwrap();
        for ceiling in ["0", "300"] {
            let file = dir.join(m["file"].as_str().unwrap());
            let got: Value = serde_json::from_str(&ok(&["analyze", file.to_str().unwrap(), "--json", "--max-cut-sets", "1", "--limit-order", "3", "--max-bdd-nodes", ceiling])).unwrap();
            let p = &got["probability"];
            if p["exact"].is_number() {
                // The whole BDD fitted under 300 nodes: nothing sampled.
                assert!(p["sampled"].is_null(), "{name}");
                continue;
            }
            let s = &p["sampled"];
            let (est, se, lo, hi) = (s["probability"].as_f64().unwrap(), s["std_error"].as_f64().unwrap(), s["low_95"].as_f64().unwrap(), s["high_95"].as_f64().unwrap());
            let n = (1u64 << 22) as f64;
            assert_eq!(s["samples"].as_u64(), Some(1 << 22), "{name}");
            // P(top) = a + b·P(sampled): the whole tree (a = 0, b = 1), or the module.
            let (a, b) = match got["approximated_module"].as_object() {
                Some(module) => {
                    through_a_module += 1;
                    let (a, b) = (module["if_working"].as_f64().unwrap(), module["if_failed"].as_f64().unwrap() - module["if_working"].as_f64().unwrap());
                    let in_m = module["sampled"]["probability"].as_f64().unwrap();
                    assert!((est - (a + b * in_m)).abs() <= 1e-12 * est.abs().max(1e-300), "{name}: P(top) through the module");
                    (a, b)
                }
                None => {
                    whole += 1;
                    (0.0, 1.0)
                }
            };
            // The standard deviation that the reference implies (the estimate's own is 0 with no hits),
            // plus 3 hits for the Poisson tail of rare events.
            let p_sampled = ((want - a) / b).clamp(0.0, 1.0);
            let allowed = b.abs() * (6.0 * (p_sampled * (1.0 - p_sampled) / n).sqrt() + 3.0 / n) + 1e-5 * want;
            assert!((est - want).abs() <= allowed, "{name}, ceiling {ceiling}: {est} ± {se} vs {want}");
            assert!(lo <= est && est <= hi, "{name}: [{lo}, {hi}]");
        }
    }
    assert!(whole >= trees.len() && through_a_module >= 3, "{whole} whole trees and {through_a_module} through a module");
}

/// A non-coherent tree by its cut sets (das9601, 14 NOT gates): every gate keeps only the sets within the
/// limit order in failure literals, so order 3 fits in 8M ZBDD nodes (0.7 GB, 3 s). Before, the gates were
/// expanded in full and truncated at the end: more than 16M nodes, and unbounded 124 s and 9.9 GB. The sets
/// are those of the exact route.
#[test]
fn a_non_coherent_tree_is_truncated_at_every_gate() {
    let file = aralia().join("das9601.xml");
    let f = file.to_str().unwrap();
    let by_cut_sets: Value = serde_json::from_str(&ok(&["analyze", f, "--json", "--max-cut-sets", "0", "--limit-order", "3", "--max-bdd-nodes", "0", "--samples", "0", "--max-zbdd-nodes", "8000000"])).unwrap();
    let exact: Value = serde_json::from_str(&ok(&["analyze", f, "--json", "--max-cut-sets", "0", "--limit-order", "3"])).unwrap();
    assert!(by_cut_sets["probability"]["exact"].is_null() && exact["probability"]["exact"].is_number());
    assert_eq!(by_cut_sets["cut_set_count"].as_u64(), Some(127));
    assert_eq!(by_cut_sets["cut_sets"], exact["cut_sets"]);
    assert_eq!(by_cut_sets["order_distribution"], exact["order_distribution"]);
}

/// das9701 (992 NOT gates), whose 26,299,506 cut sets no other engine here has counted: its cut sets to
/// order 2 (6 of order 1, 163 of order 2) are the same through the BDD and through the direct ZBDD, which
/// shares no code with the BDD route but the ZBDD store. About 20 s.
#[test]
fn das9701_agrees_with_the_direct_zbdd_to_order_2() {
    let file = aralia().join("das9701.xml");
    let f = file.to_str().unwrap();
    let args = |extra: &[&'static str]| {
        let mut a = vec!["analyze", f, "--json", "--max-cut-sets", "0", "--limit-order", "2", "--samples", "0"];
        a.extend_from_slice(extra);
        serde_json::from_str::<Value>(&ok(&a)).unwrap()
    };
    let bdd = args(&[]);
    let direct = args(&["--max-bdd-nodes", "0"]);
    assert!(bdd["probability"]["exact"].is_number() && direct["probability"]["exact"].is_null());
    assert_eq!(bdd["order_distribution"], serde_json::json!([0, 6, 163]));
    assert_eq!(bdd["cut_sets"], direct["cut_sets"]);
    assert_eq!(bdd["cut_set_count"], direct["cut_set_count"]);
}
