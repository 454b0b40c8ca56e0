//! Two pieces of work at once, the second on a helper thread that is already awake.
//!
//! [`join`] runs its first closure on the calling thread and hands the second to a helper. The
//! helpers are started once per process and wait for work spinning, for [`SPIN`] after each
//! piece, before they sleep. A thread started for each piece of work (as `std::thread::scope`
//! starts one) began, on the 2-core virtual machines plantrack is measured on, 0.1 to 3 ms after
//! it was asked for, often only when the thread that started it had finished its own half: in
//! the extraction of the samples ×20 the table finder's second thread began 2.9 ms late and the
//! headings' 2.0 ms late, and `plantrack extract` took 7 % less time with helpers.
//!
//! A piece handed over that no helper has begun when the caller has finished its own is taken
//! back and run by the caller: a helper asleep or busy costs no waiting, only the parallelism.
//! With no helper free (all busy, or a machine of one core) both run on the caller, one after
//! the other.
//!
//! Invariant: a piece of work borrows from its caller's stack, so [`join`] never returns nor
//! unwinds before the piece it handed over has finished, on whatever thread it ran.

use std::cell::UnsafeCell;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

/// How long a helper waits for the next piece of work spinning, before it sleeps. Longer than
/// the stretches between two pieces in a long text's extraction (up to 10 ms), short enough
/// that an idle process soon uses no processor.
pub const SPIN: Duration = Duration::from_millis(25);

/// At most this many helpers (and so at most one more thread of work than this).
const MAX_HELPERS: usize = 3;

/// Runs `a` here and `b` on a helper at the same time when one is free, and returns both
/// results. A panic in either is the caller's, raised after both have finished.
pub fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA,
    B: FnOnce() -> RB + Send,
    RB: Send,
{
    let Some(helper) = helpers().iter().find(|h| h.claim()) else {
        let ra = catch_unwind(AssertUnwindSafe(a));
        let rb = b();
        return (ra.unwrap_or_else(|e| resume_unwind(e)), rb);
    };
    let job = Job {
        work: UnsafeCell::new(Some(b)),
        result: UnsafeCell::new(None),
        done: AtomicBool::new(false),
        caller: thread::current(),
    };
    // SAFETY: `job` outlives its use by the helper: this function does not return or unwind
    // before the helper has set `done` (below), after which it touches `job` no more; a piece
    // taken back is never run by the helper.
    unsafe { helper.offer(&job) };
    let ra = catch_unwind(AssertUnwindSafe(a));
    let rb = if helper.take_back() {
        // SAFETY: taken back, the piece and the offer are the caller's alone (the helper reads
        // an offer only after it moved the state from OFFERED itself).
        let work = unsafe {
            *helper.offer.get() = None;
            (*job.work.get()).take()
        };
        helper.release();
        work.map(|b| catch_unwind(AssertUnwindSafe(b)))
    } else {
        job.wait();
        helper.release();
        // SAFETY: `done` is set: the helper is finished with `job`.
        unsafe { (*job.result.get()).take() }
    };
    let ra = ra.unwrap_or_else(|e| resume_unwind(e));
    match rb {
        Some(Ok(rb)) => (ra, rb),
        Some(Err(e)) => resume_unwind(e),
        None => unreachable!("a piece of work is run once"),
    }
}

/// `f` of each item, in order: the items are split in two, the halves [`join`]ed, and so on
/// down to one item.
pub fn map<T: Sync, R: Send>(items: &[T], f: &(impl Fn(&T) -> R + Sync)) -> Vec<R> {
    match items {
        [] => Vec::new(),
        [one] => vec![f(one)],
        _ => {
            let (head, tail) = items.split_at(items.len().div_ceil(2));
            let (mut a, b) = join(|| map(head, f), || map(tail, f));
            a.extend(b);
            a
        }
    }
}

/// Starts the helpers if they are not started, so that they are awake when the first work
/// comes: a thread takes milliseconds to start running.
pub fn warm() {
    RESTING.store(false, Ordering::Relaxed);
    for h in helpers() {
        h.thread.unpark();
    }
}

/// Lets the helpers sleep as soon as they are idle, without spinning: no more work is coming
/// soon. Worth it before a process ends: memory given back while another thread of the process
/// runs is taken from each processor it runs on, one interrupt at a time. Work offered later
/// wakes a helper as usual.
pub fn rest() {
    RESTING.store(true, Ordering::Relaxed);
}

/// Set by [`rest`], cleared by [`warm`].
static RESTING: AtomicBool = AtomicBool::new(false);

/// The second piece of a [`join`], on the caller's stack.
struct Job<B, RB> {
    work: UnsafeCell<Option<B>>,
    result: UnsafeCell<Option<thread::Result<RB>>>,
    done: AtomicBool,
    caller: Thread,
}

impl<B: FnOnce() -> RB, RB> Job<B, RB> {
    /// Runs the piece on the helper. Called through [`Offer::run`].
    ///
    /// SAFETY: `job` points to a live `Job<B, RB>` that no other thread touches until `done`.
    unsafe fn run(job: *const ()) {
        // SAFETY: as the caller promised.
        let job = unsafe { &*(job as *const Self) };
        // SAFETY: until `done`, the helper alone touches `work` and `result`.
        let work = unsafe { (*job.work.get()).take() };
        let result = work.map(|b| catch_unwind(AssertUnwindSafe(b)));
        unsafe { *job.result.get() = result };
        // The caller may free `job` as soon as `done` is set: its handle is taken first.
        let caller = job.caller.clone();
        job.done.store(true, Ordering::Release);
        caller.unpark();
    }

    /// Waits for the helper to finish the piece: spinning for a while, then asleep.
    fn wait(&self) {
        let start = Instant::now();
        while !self.done.load(Ordering::Acquire) {
            if start.elapsed() < Duration::from_millis(1) {
                std::hint::spin_loop();
            } else {
                thread::park_timeout(Duration::from_millis(1));
            }
        }
    }
}

/// A piece of work offered to a helper: a type-erased [`Job`] and the function that runs it.
#[derive(Clone, Copy)]
struct Offer {
    run: unsafe fn(*const ()),
    job: *const (),
}

/// What a helper is doing.
const FREE: u8 = 0;
/// Claimed by a caller, which is writing its offer.
const CLAIMED: u8 = 1;
/// An offer is waiting.
const OFFERED: u8 = 2;
/// The helper took the offer, or the caller took it back.
const TAKEN: u8 = 3;

struct Helper {
    state: AtomicU8,
    offer: UnsafeCell<Option<Offer>>,
    thread: Thread,
}

// SAFETY: `offer` is written by the caller holding the claim (state CLAIMED) and read by the
// helper after it saw OFFERED and moved the state to TAKEN: never by two threads at once.
unsafe impl Sync for Helper {}
unsafe impl Send for Helper {}

impl Helper {
    fn claim(&self) -> bool {
        self.state
            .compare_exchange(FREE, CLAIMED, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    }

    /// SAFETY: the claim is held; `job` lives until `done` is set or the offer is taken back.
    unsafe fn offer<B: FnOnce() -> RB + Send, RB: Send>(&self, job: &Job<B, RB>) {
        let offer = Offer {
            run: Job::<B, RB>::run,
            job: job as *const Job<B, RB> as *const (),
        };
        // SAFETY: the claim is held: no other thread touches `offer`.
        unsafe { *self.offer.get() = Some(offer) };
        self.state.store(OFFERED, Ordering::Release);
        self.thread.unpark();
    }

    /// Takes back an offer the helper has not begun; false when it has.
    fn take_back(&self) -> bool {
        self.state
            .compare_exchange(OFFERED, TAKEN, Ordering::Acquire, Ordering::Acquire)
            .is_ok()
    }

    fn release(&self) {
        self.state.store(FREE, Ordering::Release);
    }

    /// The helper's life: takes offers, spinning for [`SPIN`] after each, then asleep.
    fn serve(&self) {
        let mut idle_since = Instant::now();
        loop {
            if self
                .state
                .compare_exchange(OFFERED, TAKEN, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
            {
                // SAFETY: the offer was published before OFFERED (Release/Acquire) and is
                // ours: the caller cannot take it back past TAKEN.
                if let Some(offer) = unsafe { (*self.offer.get()).take() } {
                    // SAFETY: the caller keeps the job alive until it sees `done`.
                    unsafe { (offer.run)(offer.job) };
                }
                idle_since = Instant::now();
            } else if idle_since.elapsed() < SPIN && !RESTING.load(Ordering::Relaxed) {
                for _ in 0..64 {
                    std::hint::spin_loop();
                }
            } else {
                // Woken by an offer (or a warm-up); a spurious wake-up only loops.
                thread::park();
                idle_since = Instant::now();
            }
        }
    }
}

/// The helpers, started on first use: one fewer than the processors, at most [`MAX_HELPERS`].
fn helpers() -> &'static [&'static Helper] {
    static HELPERS: OnceLock<Vec<&'static Helper>> = OnceLock::new();
    HELPERS.get_or_init(|| {
        let n = thread::available_parallelism().map_or(1, |n| n.get());
        (1..n.min(MAX_HELPERS + 1))
            .filter_map(|k| {
                let (tx, rx) = std::sync::mpsc::channel::<&'static Helper>();
                let handle = thread::Builder::new()
                    .name(format!("plantrack-join-{k}"))
                    .spawn(move || {
                        if let Ok(helper) = rx.recv() {
                            helper.serve();
                        }
                    })
                    .ok()?;
                let helper: &'static Helper = Box::leak(Box::new(Helper {
                    state: AtomicU8::new(FREE),
                    offer: UnsafeCell::new(None),
                    thread: handle.thread().clone(),
                }));
                tx.send(helper).ok()?;
                Some(helper)
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn both_pieces_run_once_and_their_results_come_back() {
        for k in 0..1000usize {
            let ran = AtomicUsize::new(0);
            let v: Vec<usize> = (0..k % 50).collect();
            let (a, b) = join(
                || {
                    ran.fetch_add(1, Ordering::Relaxed);
                    v.iter().sum::<usize>()
                },
                || {
                    ran.fetch_add(10, Ordering::Relaxed);
                    v.len()
                },
            );
            assert_eq!((a, b), (v.iter().sum(), v.len()));
            assert_eq!(ran.load(Ordering::Relaxed), 11);
        }
    }

    #[test]
    fn each_item_is_mapped_once_in_order() {
        for n in 0..40usize {
            let items: Vec<usize> = (0..n).collect();
            let calls = AtomicUsize::new(0);
            let out = map(&items, &|&i| {
                calls.fetch_add(1, Ordering::Relaxed);
                i * 3
            });
            assert_eq!(out, items.iter().map(|i| i * 3).collect::<Vec<_>>());
            assert_eq!(calls.load(Ordering::Relaxed), n);
        }
    }

    #[test]
    fn a_panic_in_either_piece_is_the_callers_after_both_have_finished() {
        for first in [true, false] {
            let finished = AtomicBool::new(false);
            let caught = catch_unwind(AssertUnwindSafe(|| {
                join(
                    || {
                        if first {
                            panic!("first");
                        }
                        thread::sleep(Duration::from_millis(20));
                        finished.store(true, Ordering::Release);
                    },
                    || {
                        if !first {
                            panic!("second");
                        }
                        thread::sleep(Duration::from_millis(20));
                        finished.store(true, Ordering::Release);
                    },
                )
            }));
            let message = caught.unwrap_err();
            assert_eq!(
                message.downcast_ref::<&str>().copied(),
                Some(if first { "first" } else { "second" })
            );
            assert!(
                finished.load(Ordering::Acquire),
                "unwound before the other finished"
            );
        }
    }

    #[test]
    fn joins_from_many_threads_and_inside_joins_all_finish() {
        let total = AtomicUsize::new(0);
        thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    for _ in 0..200 {
                        let (x, (y, z)) = join(|| 1, || join(|| 2, || 3));
                        total.fetch_add(x + y + z, Ordering::Relaxed);
                    }
                });
            }
        });
        assert_eq!(total.load(Ordering::Relaxed), 8 * 200 * 6);
    }
}
