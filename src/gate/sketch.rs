//! Set reconciliation for the baseline digest: an invertible Bloom lookup table (IBLT;
//! Goodrich and Mitzenmacher 2011, used for set differences by Eppstein et al., "What's the
//! difference?", SIGCOMM 2011).
//!
//! A sketch of `m` cells holds any number of fixed-width elements; the sketches of two sets,
//! built with the same width and cell count, subtract to a sketch of their symmetric
//! difference, which lists back (peels) completely when it has at most about 0.6 · m
//! elements for the sizes used here (see the tests for the measured rates). So a digest of
//! a few KB lets a pull request's run rebuild the base run's sets exactly from its own, as
//! long as the two differ in fewer elements than that, whatever the size of the project.
//!
//! Each element goes into one cell of each of four equal parts of the table (a
//! partitioned table: four distinct cells; with four rather than three, small tables fail
//! less often at the loads used here, measured: 97.7% rather than 88% listed at 0.6 a cell
//! for 60 cells, 300 trials each). A cell holds the count of its elements
//! (modulo 256: only the difference of two counts is read, and a pure cell's is ±1), the
//! XOR of their bytes and the XOR of a 32-bit check hash of each, which tells a cell
//! holding exactly one element from a mixture (false with probability 2^-32 a cell).
//! Hashes are FNV-1a over the element's bytes followed by the SplitMix64 finalizer: fixed
//! by this format, the same on every platform and release.

/// Elements of a sketch are this many bytes at most.
pub const MAX_WIDTH: usize = 16;

/// Cells an element goes into.
const K: usize = 4;

/// Bytes a cell takes in the digest: its count, its element XOR and its check XOR.
pub fn cell_bytes(width: usize) -> usize {
    1 + width + 4
}

/// An invertible Bloom lookup table of `width`-byte elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sketch {
    width: usize,
    count: Vec<u8>,
    keys: Vec<u8>,
    check: Vec<u32>,
}

/// Why a difference could not be listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDifferent {
    /// Elements listed before peeling stopped.
    pub listed: usize,
    /// Cells of the sketch.
    pub cells: usize,
}

/// The elements in one sketch and not the other.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Difference {
    /// Elements only the first sketch's set holds.
    pub only_first: Vec<Vec<u8>>,
    /// Elements only the second sketch's set holds.
    pub only_second: Vec<Vec<u8>>,
}

fn fnv1a(e: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for &b in e {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn check_of(h: u64) -> u32 {
    (mix(h ^ 0x5bd1_e995_5bd1_e995) >> 32) as u32
}

impl Sketch {
    /// An empty sketch of at least `cells` cells (rounded up to a multiple of four, at
    /// least four) for elements of `width` bytes (1 to [`MAX_WIDTH`]).
    pub fn new(width: usize, cells: usize) -> Sketch {
        let cells = cells.max(K).div_ceil(K) * K;
        let width = width.clamp(1, MAX_WIDTH);
        Sketch {
            width,
            count: vec![0; cells],
            keys: vec![0; cells * width],
            check: vec![0; cells],
        }
    }

    /// Number of cells.
    pub fn cells(&self) -> usize {
        self.count.len()
    }

    /// Width of its elements in bytes.
    pub fn width(&self) -> usize {
        self.width
    }

    fn cells_of(&self, h: u64) -> [usize; K] {
        let part = (self.cells() / K) as u64;
        [0u64, 1, 2, 3]
            .map(|j| (j * part + mix(h ^ j.wrapping_mul(0x2545_f491_4f6c_dd1d)) % part) as usize)
    }

    fn toggle(&mut self, e: &[u8], sign: u8) {
        let h = fnv1a(e);
        let c = check_of(h);
        for i in self.cells_of(h) {
            self.count[i] = self.count[i].wrapping_add(sign);
            for (k, b) in self.keys[i * self.width..(i + 1) * self.width]
                .iter_mut()
                .zip(e)
            {
                *k ^= b;
            }
            self.check[i] ^= c;
        }
    }

    /// Adds an element (`width` bytes; shorter ones are zero-padded, longer ones cut).
    pub fn insert(&mut self, e: &[u8]) {
        let mut buf = [0u8; MAX_WIDTH];
        let n = e.len().min(self.width);
        buf[..n].copy_from_slice(&e[..n]);
        let w = self.width;
        self.toggle(&buf[..w], 1);
    }

    /// The cells as bytes: for each, its count, its element XOR and its check XOR
    /// (little-endian).
    pub fn write(&self, out: &mut Vec<u8>) {
        for i in 0..self.cells() {
            out.push(self.count[i]);
            out.extend_from_slice(&self.keys[i * self.width..(i + 1) * self.width]);
            out.extend_from_slice(&self.check[i].to_le_bytes());
        }
    }

    /// Reads `cells` cells of `width`-byte elements written by [`Sketch::write`]; `None`
    /// when `bytes` is not exactly that long or the shape is not one [`Sketch::new`] makes.
    pub fn read(width: usize, cells: usize, bytes: &[u8]) -> Option<Sketch> {
        if !(1..=MAX_WIDTH).contains(&width)
            || cells < K
            || cells % K != 0
            || bytes.len() != cells.checked_mul(cell_bytes(width))?
        {
            return None;
        }
        let mut s = Sketch::new(width, cells);
        for (i, c) in bytes.chunks_exact(cell_bytes(width)).enumerate() {
            s.count[i] = c[0];
            s.keys[i * width..(i + 1) * width].copy_from_slice(&c[1..1 + width]);
            s.check[i] =
                u32::from_le_bytes([c[1 + width], c[2 + width], c[3 + width], c[4 + width]]);
        }
        Some(s)
    }

    /// The elements in this sketch's set and not in `other`'s, and the other way round.
    /// Both must have the same width and cells (else nothing can be listed). Fails when the
    /// difference is too large for the cells.
    pub fn difference(&self, other: &Sketch) -> Result<Difference, TooDifferent> {
        let cells = self.cells();
        if other.width != self.width || other.cells() != cells {
            return Err(TooDifferent { listed: 0, cells });
        }
        let w = self.width;
        let mut d = self.clone();
        for i in 0..cells {
            d.count[i] = d.count[i].wrapping_sub(other.count[i]);
            d.check[i] ^= other.check[i];
        }
        for (k, o) in d.keys.iter_mut().zip(&other.keys) {
            *k ^= o;
        }
        let mut out = Difference::default();
        let pure = |d: &Sketch, i: usize| -> Option<u8> {
            let c = d.count[i];
            if c != 1 && c != 0xff {
                return None;
            }
            let h = fnv1a(&d.keys[i * w..(i + 1) * w]);
            (check_of(h) == d.check[i] && d.cells_of(h).contains(&i)).then_some(c)
        };
        let mut queue: Vec<usize> = (0..cells).filter(|&i| pure(&d, i).is_some()).collect();
        // Each peel takes one element out of four cells: no more than `cells` elements can
        // be listed from `cells` cells.
        let mut budget = cells;
        while let Some(i) = queue.pop() {
            let Some(c) = pure(&d, i) else { continue };
            if budget == 0 {
                break;
            }
            budget -= 1;
            let e = d.keys[i * w..(i + 1) * w].to_vec();
            let h = fnv1a(&e);
            // Taking it out: subtract its count (c), XOR its bytes and check.
            d.toggle(&e, c.wrapping_neg());
            for j in d.cells_of(h) {
                if pure(&d, j).is_some() {
                    queue.push(j);
                }
            }
            if c == 1 {
                out.only_first.push(e);
            } else {
                out.only_second.push(e);
            }
        }
        let empty = d.count.iter().all(|&c| c == 0)
            && d.check.iter().all(|&c| c == 0)
            && d.keys.iter().all(|&k| k == 0);
        if empty {
            out.only_first.sort_unstable();
            out.only_second.sort_unstable();
            Ok(out)
        } else {
            Err(TooDifferent {
                listed: out.only_first.len() + out.only_second.len(),
                cells,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) struct Rng(pub(super) u64);
    impl Rng {
        pub(super) fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    /// A base set of `n` random elements and a head set with `removed` of them gone and
    /// `added` new ones; whether their sketches of `cells` cells list the difference
    /// exactly.
    pub(super) fn trial(
        rng: &mut Rng,
        width: usize,
        cells: usize,
        n: usize,
        removed: usize,
        added: usize,
    ) -> bool {
        let el = |rng: &mut Rng| -> Vec<u8> {
            let mut v = rng.next().to_le_bytes().to_vec();
            v.extend_from_slice(&rng.next().to_le_bytes());
            v.truncate(width);
            v
        };
        let base: Vec<Vec<u8>> = (0..n).map(|_| el(rng)).collect();
        let new: Vec<Vec<u8>> = (0..added).map(|_| el(rng)).collect();
        let mut a = Sketch::new(width, cells);
        let mut b = Sketch::new(width, cells);
        for e in &base {
            a.insert(e);
        }
        for e in base[removed..].iter().chain(&new) {
            b.insert(e);
        }
        match a.difference(&b) {
            Ok(d) => {
                let mut want_a: Vec<Vec<u8>> = base[..removed].to_vec();
                want_a.sort();
                let mut want_b = new.clone();
                want_b.sort();
                assert_eq!(d.only_first, want_a);
                assert_eq!(d.only_second, want_b);
                true
            }
            Err(_) => false,
        }
    }

    #[test]
    fn equal_sets_and_small_differences_list_exactly() {
        let mut rng = Rng(0x1234_5678_9abc_def1);
        for width in [5, 6, 12] {
            assert!(trial(&mut rng, width, 60, 3_000, 0, 0));
            assert!(trial(&mut rng, width, 60, 3_000, 3, 4));
            assert!(trial(&mut rng, width, 60, 0, 0, 10));
        }
        // A round trip through bytes.
        let mut s = Sketch::new(5, 32);
        s.insert(b"abcde");
        let mut bytes = Vec::new();
        s.write(&mut bytes);
        assert_eq!(bytes.len(), 32 * cell_bytes(5));
        assert_eq!(Sketch::read(5, 32, &bytes), Some(s.clone()));
        assert_eq!(Sketch::read(5, 30, &bytes[..30 * cell_bytes(5)]), None);
        assert_eq!(Sketch::read(5, 32, &bytes[1..]), None);
        // Different shapes list nothing.
        assert!(s.difference(&Sketch::new(5, 36)).is_err());
    }

    #[test]
    fn too_large_differences_fail_rather_than_lie() {
        let mut rng = Rng(0xdead_beef_cafe_f00d);
        for _ in 0..50 {
            assert!(!trial(&mut rng, 5, 60, 2_000, 100, 100));
        }
    }

    /// The rates the digest's sizes rest on: out of 400 random trials, how many list a
    /// difference of `d` elements (half removed, half added) from a 500-element set (the
    /// size of the sets does not matter: only their difference stays in the cells).
    #[test]
    fn decoding_rates_by_load() {
        let mut rng = Rng(0x0bad_cafe_1234_5678);
        let rate = |rng: &mut Rng, cells: usize, d: usize| {
            (0..400)
                .filter(|_| trial(rng, 5, cells, 500, d / 2, d - d / 2))
                .count()
        };
        for (cells, d, at_least) in [
            (100, 60, 396),
            (152, 91, 396),
            (200, 120, 396),
            (296, 177, 396),
        ] {
            let ok = rate(&mut rng, cells, d);
            assert!(
                ok >= at_least,
                "{cells} cells, {d} differences: {ok}/400 listed"
            );
        }
    }
}
