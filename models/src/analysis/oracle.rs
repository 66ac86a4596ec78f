//! A brute-force reference over all 2^n assignments of the basic events, for tests of the real engine.
//! Exponential by design: use it only on trees with about 20 events or fewer.

use super::{sort_cut_sets, Analysis, CutSet, Importance, Options, TopProbability};
use crate::fault_tree::validate::ValidTree;

/// The exact top-event probability: the sum over all true assignments. O(2^n · size).
pub fn probability(tree: &ValidTree, p: &[f64]) -> f64 {
    let n = tree.events.len();
    let mut total = 0.0;
    let mut failed = vec![false; n];
    for mask in 0u64..(1u64 << n) {
        for (i, f) in failed.iter_mut().enumerate() {
            *f = mask >> i & 1 == 1;
        }
        if tree.eval(&failed) {
            total += (0..n).map(|i| if failed[i] { p[i] } else { 1.0 - p[i] }).product::<f64>();
        }
    }
    total
}

/// The minimal cut sets: the minimal sets S such that the top occurs when exactly S fails. O(4^n) worst case.
/// Each set is a sorted list of event indices; the list is sorted by order, then lexicographically.
pub fn minimal_cut_sets(tree: &ValidTree) -> Vec<Vec<usize>> {
    let n = tree.events.len();
    let mut failed = vec![false; n];
    let mut true_masks: Vec<u64> = Vec::new();
    for mask in 0u64..(1u64 << n) {
        for (i, f) in failed.iter_mut().enumerate() {
            *f = mask >> i & 1 == 1;
        }
        if tree.eval(&failed) {
            true_masks.push(mask);
        }
    }
    // Minimal: no proper subset is true. Visit by popcount so a kept set is never removed later.
    true_masks.sort_by_key(|m| (m.count_ones(), *m));
    let mut minimal: Vec<u64> = Vec::new();
    for m in true_masks {
        if !minimal.iter().any(|&k| is_subset(k, m)) {
            minimal.push(m);
        }
    }
    let mut sets: Vec<Vec<usize>> =
        minimal.into_iter().map(|m| (0..n).filter(|i| m >> i & 1 == 1).collect()).collect();
    sets.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    sets
}

/// Whether the set of bits `a` is a subset of `b`.
fn is_subset(a: u64, b: u64) -> bool {
    a & !b == 0
}

/// The whole analysis, by brute force, following the definitions of [`Analysis`] literally.
pub fn analyze(tree: &ValidTree, options: &Options) -> Analysis {
    let p: Vec<f64> = tree.events.iter().map(|e| e.p).collect();
    let exact = probability(tree, &p);
    let set_p = |s: &[usize]| s.iter().map(|&i| p[i]).product::<f64>();
    let mut sets = minimal_cut_sets(tree);
    sets.retain(|s| options.limit_order.is_none_or(|k| s.len() <= k) && options.cut_off.is_none_or(|c| set_p(s) >= c));
    let rare: f64 = sets.iter().map(|s| set_p(s)).sum();
    let mcub = 1.0 - sets.iter().map(|s| 1.0 - set_p(s)).product::<f64>();
    let mut order_distribution = vec![0u64; sets.iter().map(|s| s.len() + 1).max().unwrap_or(1)];
    for s in &sets {
        order_distribution[s.len()] += 1;
    }
    let importance = (0..tree.events.len())
        .map(|i| {
            let mut p1 = p.clone();
            p1[i] = 1.0;
            let mut p0 = p.clone();
            p0[i] = 0.0;
            let (hi, lo) = (probability(tree, &p1), probability(tree, &p0));
            let birnbaum = hi - lo;
            let fv_num: f64 = sets.iter().filter(|s| s.contains(&i)).map(|s| set_p(s)).sum();
            Importance {
                event: tree.events[i].name.clone(),
                fussell_vesely: if rare > 0.0 { fv_num / rare } else { 0.0 },
                birnbaum,
                criticality: if exact > 0.0 { birnbaum * p[i] / exact } else { 0.0 },
                raw: (exact > 0.0).then(|| hi / exact),
                rrw: (lo > 0.0).then(|| exact / lo),
            }
        })
        .collect();
    let count = sets.len() as u64;
    let mut listed: Vec<&Vec<usize>> = sets.iter().collect();
    if options.max_cut_sets > 0 && listed.len() > options.max_cut_sets {
        listed.sort_by(|a, b| set_p(b).total_cmp(&set_p(a)).then_with(|| a.len().cmp(&b.len())).then_with(|| a.cmp(b)));
        listed.truncate(options.max_cut_sets);
    }
    let mut cut_sets: Vec<CutSet> = listed.into_iter().map(|s| CutSet::of(tree, s, set_p(s), rare)).collect();
    sort_cut_sets(&mut cut_sets);
    Analysis {
        top: tree.top_name.clone(),
        probability: TopProbability { exact: Some(exact), rare_event: rare, mcub, partial: None, lower_bound: None, sampled: None },
        cut_set_count: count,
        order_distribution,
        cut_sets,
        importance,
        approximated_module: None,
    }
}
