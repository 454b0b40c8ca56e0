//! A text's bytes sixteen at a time, for the searches that class UTF-8 by its first two or
//! three bytes (the readers' census of a text, the normaliser's search for a change).
//!
//! SSE2 is part of every x86-64, so the functions of [`sse2`] need no check at run time; other
//! processors take the callers' scalar paths. Each function is safe to call from a function
//! compiled for SSE2 (`#[target_feature(enable = "sse2")]`).
//!
//! Architecture invariant: knows bytes, not characters, and nothing of plantrack.

#[cfg(target_arch = "x86_64")]
pub mod sse2 {
    pub use std::arch::x86_64::__m128i;
    use std::arch::x86_64::*;

    /// Lanes (all ones) whose byte is within `lo..=hi`, both bounds on the same side of 0x80.
    ///
    /// # Safety
    /// Needs SSE2 (every x86-64 has it), as each function here.
    #[inline]
    #[target_feature(enable = "sse2")]
    pub fn within(x: __m128i, lo: u8, hi: u8) -> __m128i {
        // Compared as signed bytes, bounds on the same side of 0x80 keep their order: a lane is
        // within unless below `lo` or above `hi` (no bound moved by one, which would wrap at
        // 0x80 and 0x7F).
        let outside = _mm_or_si128(
            _mm_cmplt_epi8(x, _mm_set1_epi8(lo as i8)),
            _mm_cmpgt_epi8(x, _mm_set1_epi8(hi as i8)),
        );
        _mm_andnot_si128(outside, _mm_set1_epi8(-1))
    }

    /// Lanes whose byte is `v`.
    ///
    /// # Safety
    /// Needs SSE2.
    #[inline]
    #[target_feature(enable = "sse2")]
    pub fn is(x: __m128i, v: u8) -> __m128i {
        _mm_cmpeq_epi8(x, _mm_set1_epi8(v as i8))
    }

    /// The sixteen bytes from `i`, from `i + 1` and from `i + 2` (a character's first three
    /// bytes in each lane), or `None` when they do not all lie in `b`.
    ///
    /// # Safety
    /// Needs SSE2.
    #[inline]
    #[target_feature(enable = "sse2")]
    pub fn three_at(b: &[u8], i: usize) -> Option<(__m128i, __m128i, __m128i)> {
        let bytes = b.get(i..i.checked_add(18)?)?;
        // SAFETY: `bytes` holds 18 bytes: each load reads 16 of them, unaligned.
        unsafe {
            let at = bytes.as_ptr();
            Some((
                _mm_loadu_si128(at.cast()),
                _mm_loadu_si128(at.add(1).cast()),
                _mm_loadu_si128(at.add(2).cast()),
            ))
        }
    }

    /// A bit for each lane, the first lane's lowest: which are all ones.
    ///
    /// # Safety
    /// Needs SSE2.
    #[inline]
    #[target_feature(enable = "sse2")]
    pub fn mask(x: __m128i) -> u32 {
        _mm_movemask_epi8(x) as u32
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn lanes_are_classed_by_their_bytes() {
            let b: Vec<u8> = (0..=255u8).collect();
            for i in 0..=(256 - 18) {
                // SAFETY: every x86-64 has SSE2.
                let (x, x1, x2) = unsafe { three_at(&b, i) }.unwrap();
                for (lanes, first) in [(x, i), (x1, i + 1), (x2, i + 2)] {
                    // Bounds at both ends of each half, where a bound moved by one would wrap.
                    for (lo, hi) in [
                        (0x80, 0xBF),
                        (0x80, 0xFF),
                        (0xC0, 0xFF),
                        (0, 0x7F),
                        (0x41, 0x5A),
                    ] {
                        let m = unsafe { mask(within(lanes, lo, hi)) };
                        for k in 0..16 {
                            let byte = (first + k) as u8;
                            let want = (lo..=hi).contains(&byte);
                            assert_eq!(m >> k & 1 == 1, want, "{byte:#x} in {lo:#x}..={hi:#x}");
                        }
                    }
                    let e = unsafe { mask(is(lanes, 0x41)) };
                    for k in 0..16 {
                        let byte = (first + k) as u8;
                        assert_eq!(e >> k & 1 == 1, byte == 0x41, "{byte:#x}");
                    }
                }
            }
            assert!(unsafe { three_at(&b, 256 - 17) }.is_none());
            assert!(unsafe { three_at(&b, usize::MAX) }.is_none());
        }
    }
}
