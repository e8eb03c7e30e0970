//! How big a file will be gzip-compressed, without a compression library: GitHub refuses
//! SARIF uploads over 10 MB compressed.
//!
//! The estimate is the exact size of a DEFLATE stream that a simple compressor would write:
//! greedy LZ77 matching (32 KiB window, one candidate per 4-byte hash) coded with DEFLATE's
//! fixed Huffman codes, plus the gzip header and trailer. zlib (what `gzip` and the upload
//! use) searches harder and picks per block the cheaper of fixed and dynamic codes, so its
//! output is smaller on JSON; the estimate is therefore an upper bound in practice, which is
//! the safe side for a limit: under it, the upload is under it too.

const WINDOW: usize = 32 << 10;
const MIN_MATCH: usize = 4;
const MAX_MATCH: usize = 258;
const HASH_BITS: u32 = 16;

/// An incremental estimate over bytes fed in order.
pub struct GzipSize {
    /// The last [`WINDOW`] bytes before the current chunk, then the chunk.
    buf: Vec<u8>,
    /// Absolute position of `buf[0]`.
    base: u64,
    /// Absolute position + 1 of the last occurrence per hash (0 = none).
    head: Vec<u32>,
    bits: u64,
}

impl Default for GzipSize {
    fn default() -> Self {
        GzipSize {
            buf: Vec::new(),
            base: 0,
            head: vec![0; 1 << HASH_BITS],
            bits: 0,
        }
    }
}

fn hash4(b: &[u8]) -> usize {
    let v = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    (v.wrapping_mul(2_654_435_761) >> (32 - HASH_BITS)) as usize
}

fn literal_bits(b: u8) -> u64 {
    if b < 144 { 8 } else { 9 }
}

fn bit_length(x: usize) -> u64 {
    u64::from(usize::BITS - x.leading_zeros())
}

fn length_bits(len: usize) -> u64 {
    let code = if len >= 115 { 8 } else { 7 };
    let extra = if len == 258 {
        0
    } else {
        let l = len - 3;
        if l < 8 { 0 } else { bit_length(l) - 3 }
    };
    code + extra
}

fn distance_bits(d: usize) -> u64 {
    5 + if d <= 4 { 0 } else { bit_length(d - 1) - 2 }
}

impl GzipSize {
    /// Feeds the next bytes.
    pub fn update(&mut self, chunk: &[u8]) {
        if self.buf.len() > WINDOW {
            let drop = self.buf.len() - WINDOW;
            self.buf.drain(..drop);
            self.base += drop as u64;
        }
        let start = self.buf.len();
        self.buf.extend_from_slice(chunk);
        let buf = &self.buf;
        let mut i = start;
        let end = buf.len();
        while i < end {
            if i + MIN_MATCH > end {
                self.bits += literal_bits(buf[i]);
                i += 1;
                continue;
            }
            let h = hash4(&buf[i..]);
            let abs = self.base + i as u64;
            let cand = self.head[h];
            self.head[h] = (abs + 1) as u32;
            let mut matched = 0;
            let mut dist = 0;
            // Positions are kept + 1 in 32 bits (inputs are capped far below 4 GiB).
            if cand != 0 {
                let cabs = u64::from(cand - 1);
                if cabs < abs && abs - cabs <= WINDOW as u64 && cabs >= self.base {
                    let c = (cabs - self.base) as usize;
                    let max = MAX_MATCH.min(end - i);
                    let mut n = 0;
                    while n < max && buf[c + n] == buf[i + n] {
                        n += 1;
                    }
                    if n >= MIN_MATCH {
                        matched = n;
                        dist = (abs - cabs) as usize;
                    }
                }
            }
            if matched > 0 {
                self.bits += length_bits(matched) + distance_bits(dist);
                i += matched;
            } else {
                self.bits += literal_bits(buf[i]);
                i += 1;
            }
        }
    }

    /// The estimated size in bytes of the gzip file for everything fed.
    pub fn total(&self) -> u64 {
        // One final block: 3 header bits and a 7-bit end-of-block code; gzip's 10-byte header
        // and 8-byte trailer.
        (self.bits + 10).div_ceil(8) + 18
    }
}

/// The estimate for a whole buffer.
pub fn estimate(bytes: &[u8]) -> u64 {
    let mut g = GzipSize::default();
    for chunk in bytes.chunks(1 << 20) {
        g.update(chunk);
    }
    g.total()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repetitive_text_compresses() {
        let text = "{\"ruleId\":\"R1\",\"level\":\"warning\"},".repeat(10_000);
        let est = estimate(text.as_bytes());
        assert!(est < text.len() as u64 / 20, "{est} of {}", text.len());
        // Small chunks cut matches at their ends: the estimate only grows.
        let mut g = GzipSize::default();
        for c in text.as_bytes().chunks(777) {
            g.update(c);
        }
        assert!(
            g.total() >= est && g.total() < est * 2,
            "{} vs {est}",
            g.total()
        );
    }

    #[test]
    fn random_bytes_cost_about_their_size() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let bytes: Vec<u8> = (0..100_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        let est = estimate(&bytes);
        assert!(est >= 100_000, "{est}");
        assert!(est < 120_000, "{est}");
    }
}
