//! The unique table of the BDD and ZBDD stores: which node, if any, is `(variable, hi, lo)`.

/// An open-addressing hash set of node indices, keyed by the node's `(variable, hi, lo)` triple, which
/// stays in the store: a slot holds 32 bits of the key's hash and the node's index (0 is empty: node 0 is a
/// terminal, never in the table). The hash bits give the slot (linear probing) and filter the comparisons,
/// so a lookup reads one slot line and, on a match, the node; growing rehashes from the slots alone,
/// without reading the nodes. 8 bytes per slot at a load of at most a half: about 16 bytes per node, less
/// than a map that copies the key. Lookups and inserts are O(1) expected; growing is amortised O(1).
pub(crate) struct UniqueTable {
    slots: Vec<u64>,
    len: usize,
}

const SMALLEST: usize = 1 << 10;

/// The hash of a node's key: every bit depends on all three words.
#[inline]
pub(crate) fn hash(var: u32, hi: u32, lo: u32) -> u32 {
    let mut h = ((var as u64) << 32 | hi as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (lo as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    h ^= h >> 32;
    h = h.wrapping_mul(0xD6E8_FEB8_6659_FD93);
    (h >> 32) as u32
}

/// Where a key is, or where it would go.
pub(crate) enum Probe {
    Found(u32),
    Vacant(usize),
}

impl Default for UniqueTable {
    fn default() -> Self {
        UniqueTable { slots: vec![0; SMALLEST], len: 0 }
    }
}

impl UniqueTable {
    /// A table for about `nodes` nodes.
    pub(crate) fn with_capacity(nodes: usize) -> Self {
        UniqueTable { slots: vec![0; (2 * nodes).next_power_of_two().max(SMALLEST)], len: 0 }
    }

    /// Looks for the node whose key hashes to `h` and for which `is_key(index)` holds.
    #[inline]
    pub(crate) fn probe(&self, h: u32, is_key: impl Fn(u32) -> bool) -> Probe {
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        loop {
            let s = self.slots[i];
            if s == 0 {
                return Probe::Vacant(i);
            }
            if (s >> 32) as u32 == h && is_key(s as u32) {
                return Probe::Found(s as u32);
            }
            i = (i + 1) & mask;
        }
    }

    /// Puts `index` (whose key hashes to `h`) at the vacant slot `at` that [`UniqueTable::probe`] gave.
    #[inline]
    pub(crate) fn insert_at(&mut self, at: usize, h: u32, index: u32) {
        self.slots[at] = (h as u64) << 32 | index as u64;
        self.len += 1;
        if 2 * self.len > self.slots.len() {
            self.grow();
        }
    }

    /// Inserts a node known to be absent.
    pub(crate) fn insert(&mut self, h: u32, index: u32) {
        match self.probe(h, |_| false) {
            Probe::Vacant(at) => self.insert_at(at, h, index),
            Probe::Found(_) => unreachable!("is_key never holds"),
        }
    }

    fn grow(&mut self) {
        let size = 2 * self.slots.len();
        let old = std::mem::replace(&mut self.slots, vec![0; size]);
        let mask = self.slots.len() - 1;
        for s in old.into_iter().filter(|&s| s != 0) {
            let mut i = (s >> 32) as usize & mask;
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_was_inserted_across_growth() {
        let keys: Vec<(u32, u32, u32)> = (0..5000u32).map(|i| (i % 37, i / 3, i.wrapping_mul(7919) % 1013)).collect();
        let mut table = UniqueTable::default();
        let mut stored: Vec<(u32, u32, u32)> = vec![(u32::MAX, 0, 0)];
        for &(v, a, b) in &keys {
            let h = hash(v, a, b);
            match table.probe(h, |i| stored[i as usize] == (v, a, b)) {
                Probe::Found(_) => {}
                Probe::Vacant(at) => {
                    stored.push((v, a, b));
                    table.insert_at(at, h, (stored.len() - 1) as u32);
                }
            }
        }
        assert!(table.slots.len() > SMALLEST, "the table grew");
        assert_eq!(table.len, stored.len() - 1);
        for (i, &(v, a, b)) in stored.iter().enumerate().skip(1) {
            match table.probe(hash(v, a, b), |j| stored[j as usize] == (v, a, b)) {
                Probe::Found(j) => assert_eq!(j as usize, i),
                Probe::Vacant(_) => panic!("{:?} lost", (v, a, b)),
            }
        }
        // A key never inserted is not found.
        assert!(matches!(table.probe(hash(99, 99, 99), |j| stored[j as usize] == (99, 99, 99)), Probe::Vacant(_)));
    }
}
