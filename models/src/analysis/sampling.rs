//! Monte Carlo estimation of a tree's probability, for trees (or modules) whose BDD is out of reach.
//!
//! The estimate is statistical, not a bound: it comes with its standard error, and is reproducible (the
//! generator is seeded). It serves where the exact methods cannot go, as a check on the approximations from
//! truncated cut sets (which miss the sets above the limit order): each order of the cut sets of nus9601's
//! module g8 adds about as much to its probability as the order before, and the sets above order 6 hold
//! about 9% of it.
//!
//! Each sample draws every event's state independently and evaluates the tree. Samples are evaluated 64 at
//! a time, one per bit of a `u64` ([`ValidTree::eval_lanes`]), so a gate costs one machine operation per
//! argument for 64 samples (a k-out-of-n vote costs n·k). Failures are drawn sparsely: the lanes of the events of one probability
//! form one sequence, in which the failures are found by geometric jumps, so 64 samples cost one draw
//! per failure plus one per distinct probability, rather than one per event and sample.
//!
//! Only plain Monte Carlo is offered. Importance sampling with every event's probability raised by one
//! factor was tried on nus9601's module g8 (1551 events of probability 0.01, P ≈ 1.4e-5) and is unusable
//! there: the likelihood ratios of so many events degenerate, and factors of 2 and 3 gave 6.8e-6 ± 2.2e-6
//! and 3.9e-7 ± 2.1e-7, confidently wrong.

use super::{cancel_seen, Stopped};
use crate::fault_tree::validate::{Lanes, ValidTree};
use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// A Monte Carlo estimate of a probability.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Estimate {
    /// The estimated probability: the share of the samples in which the top event occurred.
    pub probability: f64,
    /// Its standard error, √(p̂(1 − p̂)/n).
    pub std_error: f64,
    /// The 95% Wilson score interval ([`Estimate::interval`] at z = 1.96).
    pub low_95: f64,
    pub high_95: f64,
    /// How many samples were drawn.
    pub samples: u64,
    /// In how many of them the function sampled occurred (the top event, or the module the estimate goes
    /// through, see [`Estimate::through`]).
    pub hits: u64,
    /// The generator's seed.
    pub seed: u64,
}

impl Estimate {
    /// The estimate of a + b·X from this estimate of X (the probability, its standard error and its
    /// interval mapped alike): how P(top) = if_working + P(M) · (if_failed − if_working) follows from an
    /// estimate of a module's P(M). Samples, hits and seed stay those of X.
    pub fn through(&self, a: f64, b: f64) -> Estimate {
        let (lo, hi) = (a + b * self.low_95, a + b * self.high_95);
        Estimate { probability: a + b * self.probability, std_error: b.abs() * self.std_error, low_95: lo.min(hi), high_95: lo.max(hi), ..*self }
    }

    /// The Wilson score interval at `z` standard deviations (1.96 for 95%): unlike p̂ ± z·σ it stays
    /// within [0, 1] and is still meaningful with few hits (with none, it is [0, z²/(n + z²)]).
    pub fn interval(&self, z: f64) -> (f64, f64) {
        let n = self.samples as f64;
        if n == 0.0 {
            return (0.0, 1.0);
        }
        let p = self.hits as f64 / n;
        let z2 = z * z;
        let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
        let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
        ((centre - half).max(0.0), (centre + half).min(1.0))
    }
}

/// xoshiro256++ (Blackman and Vigna): fast, 256 bits of state, good enough for Monte Carlo. Seeded by
/// SplitMix64, as its authors recommend.
struct Rng([u64; 4]);

impl Rng {
    fn new(seed: u64) -> Self {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng([next(), next(), next(), next()])
    }

    #[inline]
    fn next(&mut self) -> u64 {
        let s = &mut self.0;
        let r = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        r
    }

    /// Uniform in (0, 1]: never 0, so that its logarithm is finite.
    #[inline]
    fn unit(&mut self) -> f64 {
        ((self.next() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

/// Above this probability an event's 64 lanes are drawn one by one, rather than by geometric jumps (one
/// logarithm per failure).
const DENSE_FROM: f64 = 0.125;

/// How the events' states are drawn, 64 samples at a time: one bit per sample in each event's mask.
struct Draws {
    /// Events that always fail (p = 1); those that never do (p = 0) are left out.
    always: Vec<usize>,
    /// Events of probability at least [`DENSE_FROM`], with p scaled to 53 bits: one draw per lane.
    dense: Vec<(usize, u64)>,
    /// Events of one smaller probability, drawn together: (1 / ln(1 − p), the events).
    sparse: Vec<(f64, Vec<usize>)>,
}

impl Draws {
    fn new(probabilities: impl Iterator<Item = f64>) -> Self {
        let mut draws = Draws { always: Vec::new(), dense: Vec::new(), sparse: Vec::new() };
        let mut group: HashMap<u64, usize> = HashMap::new();
        for (i, p) in probabilities.enumerate() {
            if p <= 0.0 {
                continue;
            } else if p >= 1.0 {
                draws.always.push(i);
            } else if p >= DENSE_FROM {
                draws.dense.push((i, (p * (1u64 << 53) as f64) as u64));
            } else {
                let g = *group.entry(p.to_bits()).or_insert_with(|| {
                    draws.sparse.push((1.0 / (-p).ln_1p(), Vec::new()));
                    draws.sparse.len() - 1
                });
                draws.sparse[g].1.push(i);
            }
        }
        draws
    }

    /// Sets `mask[i]` to 64 independent draws of event i's state (bit set: it fails), for every event.
    fn fill(&self, rng: &mut Rng, mask: &mut [u64]) {
        for &i in &self.always {
            mask[i] = !0;
        }
        for &(i, below) in &self.dense {
            let mut m = 0u64;
            for lane in 0..64 {
                if rng.next() >> 11 < below {
                    m |= 1 << lane;
                }
            }
            mask[i] = m;
        }
        for (inv, events) in &self.sparse {
            for &i in events {
                mask[i] = 0;
            }
            // The cells (event k of the group, lane l) in the order k·64 + l; the gap to the next failure
            // is geometric: P(gap ≥ g) = (1 − p)^g.
            let cells = events.len() as u64 * 64;
            let mut cell = (rng.unit().ln() * inv) as u64;
            while cell < cells {
                mask[events[(cell / 64) as usize]] |= 1 << (cell % 64);
                cell += 1 + (rng.unit().ln() * inv) as u64;
            }
        }
    }
}

/// Estimates the probability of `tree`'s top event from `samples` samples (rounded up to a multiple of
/// 64, at least 64), drawn with the generator seeded by `seed`: the same arguments give the same estimate.
///
/// Returns the estimate with its standard error and its hits, or [`Stopped::Cancelled`] once `cancel` is
/// raised.
///
/// Events of the same probability (below ⅛) are drawn together: their 64 lanes each form one sequence in
/// which the gaps between failures are geometric, so a batch of 64 samples costs one draw per failure plus
/// one per distinct probability. Events of larger probability cost one draw per lane.
///
/// Complexity: O(samples / 64 · (arguments + Σ k·n over the votes + distinct probabilities) + samples ·
/// Σ p) time, O(gates + events) memory. The standard error falls as 1/√samples; for a probability p it is
/// about √(p / samples), so a relative error r needs about 1 / (p·r²) samples.
///
/// ```
/// # use faultline_models::analysis::sampling::estimate;
/// # use faultline_models::fault_tree::validate::{Arg, ValidEvent, ValidGate, ValidTree};
/// # use faultline_models::fault_tree::{GateKind, TreeId, ElementId};
/// # let ev = |n: &str, p| ValidEvent { name: n.into(), p, undeveloped: false, tree: TreeId(0), id: ElementId(0) };
/// # let tree = ValidTree { top_name: "top".into(), top: Arg::Gate(0), events: vec![ev("a", 0.1), ev("b", 0.2)],
/// #     gates: vec![ValidGate { name: "top".into(), kind: GateKind::And, args: vec![Arg::Event(0), Arg::Event(1)], tree: TreeId(0), id: ElementId(0) }] };
/// let e = estimate(&tree, 1 << 20, 7, &None).unwrap();
/// assert!((e.probability - 0.02).abs() < 4.0 * e.std_error);
/// ```
pub fn estimate(tree: &ValidTree, samples: u64, seed: u64, cancel: &Option<Arc<AtomicBool>>) -> Result<Estimate, Stopped> {
    let words = samples.div_ceil(64).max(1);
    let mut rng = Rng::new(seed);
    let draws = Draws::new(tree.events.iter().map(|e| e.p));
    let mut mask = vec![0u64; tree.events.len()];
    let mut lanes = Lanes::default();
    let mut hits = 0u64;
    for word in 0..words {
        if cancel_seen(word as usize * 64, cancel) {
            return Err(Stopped::Cancelled);
        }
        draws.fill(&mut rng, &mut mask);
        hits += tree.eval_lanes(&mask, &mut lanes).count_ones() as u64;
    }
    let n = words * 64;
    let p = hits as f64 / n as f64;
    let mut e = Estimate { probability: p, std_error: (p * (1.0 - p) / n as f64).sqrt(), low_95: 0.0, high_95: 1.0, samples: n, hits, seed };
    (e.low_95, e.high_95) = e.interval(1.96);
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every event fails in each lane with its probability, independently of the next lane and of the
    /// next event (where a group's sequence crosses from one event to the next): frequencies and adjacent
    /// pairs within 6 standard deviations, over 1.28M lanes.
    #[test]
    fn lanes_fail_independently_with_their_probabilities() {
        let mut ps = vec![0.05; 20];
        ps.extend([0.2, 0.5, 0.125, 1.0, 0.0]);
        ps.extend([0.003; 10]);
        ps.push(0.124);
        let draws = Draws::new(ps.iter().copied());
        let words = 20_000;
        let mut rng = Rng::new(3);
        let mut mask = vec![0u64; ps.len()];
        let mut ones = vec![0u64; ps.len()];
        let mut pairs_in_lane = vec![0u64; ps.len()];
        let mut pairs_across = vec![0u64; ps.len()];
        for _ in 0..words {
            draws.fill(&mut rng, &mut mask);
            for i in 0..ps.len() {
                ones[i] += mask[i].count_ones() as u64;
                pairs_in_lane[i] += (mask[i] & (mask[i] >> 1)).count_ones() as u64;
                if i + 1 < ps.len() {
                    pairs_across[i] += (mask[i] >> 63 & mask[i + 1] & 1) as u64;
                }
            }
        }
        let within = |count: u64, trials: f64, p: f64| (count as f64 - trials * p).abs() <= 6.0 * (trials * p * (1.0 - p)).sqrt() + 1e-9;
        let lanes = (words * 64) as f64;
        for (i, &p) in ps.iter().enumerate() {
            assert!(within(ones[i], lanes, p), "event {i} (p = {p}): {} of {lanes}", ones[i]);
            assert!(within(pairs_in_lane[i], (words * 63) as f64, p * p), "event {i}: {} adjacent pairs", pairs_in_lane[i]);
            if i + 1 < ps.len() {
                let q = ps[i + 1];
                assert!(within(pairs_across[i], words as f64, p * q), "events {i}, {}: {} pairs across", i + 1, pairs_across[i]);
            }
        }
    }

    #[test]
    fn the_generator_gives_uniform_units_in_0_1() {
        let mut rng = Rng::new(0);
        let us: Vec<f64> = (0..100_000).map(|_| rng.unit()).collect();
        assert!(us.iter().all(|&u| u > 0.0 && u <= 1.0));
        let mean = us.iter().sum::<f64>() / us.len() as f64;
        assert!((mean - 0.5).abs() < 6.0 * (1.0 / 12.0 / us.len() as f64).sqrt(), "{mean}");
    }
}
