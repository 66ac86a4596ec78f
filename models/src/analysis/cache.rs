//! The computed tables of the BDD and ZBDD operations.

/// A direct-mapped, lossy cache of (a, b, c) → result, as in most decision-diagram packages. Its size follows
/// the node store it serves (the next power of two at least as large, from 512 up), so its memory stays
/// proportional to the diagrams and it never rehashes; a collision overwrites an entry, which costs a
/// recomputation, never correctness. Lookups and inserts are O(1); growing is amortised O(1).
#[derive(Default)]
pub(crate) struct Cache {
    slots: Vec<[u32; 4]>,
}

const EMPTY_SLOT: [u32; 4] = [u32::MAX; 4];

/// The fewest slots a table has once it holds anything.
const SMALLEST: usize = 512;

impl Cache {
    #[inline]
    fn slot(&self, a: u32, b: u32, c: u32) -> usize {
        let h = (a as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ (b as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
            ^ (c as u64).wrapping_mul(0x1656_67B1_9E37_79F9);
        (h >> 20) as usize & (self.slots.len() - 1)
    }

    /// The result stored for (a, b, c), if it is still there.
    #[inline]
    pub(crate) fn get(&self, a: u32, b: u32, c: u32) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let [x, y, z, r] = self.slots[self.slot(a, b, c)];
        (x == a && y == b && z == c).then_some(r)
    }

    /// Stores `r` for (a, b, c); `live_nodes` is the size of the store, which the table follows (growing
    /// forgets every entry).
    #[inline]
    pub(crate) fn insert(&mut self, a: u32, b: u32, c: u32, r: u32, live_nodes: usize) {
        if self.slots.len() < live_nodes.max(SMALLEST) {
            // In the same allocation: a reallocation keeps the pages already touched (a fresh vector
            // would touch as many new pages again as the old one had).
            self.slots.clear();
            self.slots.resize(live_nodes.max(SMALLEST).next_power_of_two(), EMPTY_SLOT);
        }
        let i = self.slot(a, b, c);
        self.slots[i] = [a, b, c, r];
    }
}
