//! The process's memory comes in pages of 4 KiB, never as transparent huge pages.
//!
//! A server filling its caches (a national ledger's thousands of regions, each decoded once)
//! takes fresh memory all the time; a huge page is 2 MiB zeroed by the kernel in one fault while
//! the request that touched it waits, and mimalloc asks for them (`madvise(MADV_HUGEPAGE)` on its
//! arenas) where the system leaves the choice to programs. Measured with `plantrack bench-serve
//! --regions 3000` on a 2-core machine whose system setting is `madvise`, the same build run
//! alternately with and without them: random regions 2,041 and 2,214 requests/s, p99 96 and 98 ms
//! with huge pages; 3,826 and 4,060 requests/s, p99 59 and 57 ms without; a region's first
//! request p99 16 ms against 3.4 ms. Extraction (`plantrack extract`) is the same either way.
//!
//! Two switches, for the two system settings: mimalloc built with `no_thp` never asks for huge
//! pages (`madvise`), and the process opts out of them where the system gives them unasked
//! (`always`): `prctl(PR_SET_THP_DISABLE)`, inherited by child processes (`pdftotext`).

/// Opts the process out of transparent huge pages; first thing in `main`. A system that refuses
/// (a kernel before 3.15) leaves it as it was: the work is the same, only slower.
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    {
        // prctl reads its arguments as unsigned longs, and refuses any but zero after the flag.
        let (on, zero): (libc::c_ulong, libc::c_ulong) = (1, 0);
        // SAFETY: PR_SET_THP_DISABLE takes integers and touches no memory of ours.
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, on, zero, zero, zero);
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn the_process_takes_no_huge_pages() {
        super::no_huge_pages();
        // SAFETY: as above; PR_GET_THP_DISABLE returns the flag.
        let zero: libc::c_ulong = 0;
        let disabled = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, zero, zero, zero, zero) };
        assert_eq!(disabled, 1);
    }
}
