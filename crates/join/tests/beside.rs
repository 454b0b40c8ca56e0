//! In a process of its own: no other test holds the helper meanwhile.

use plantrack_join::{join, warm};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

#[test]
fn the_second_piece_runs_beside_the_first_when_a_helper_is_free() {
    // A machine of one core has no helper: both pieces run here, one after the other.
    if std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
        return;
    }
    warm();
    thread::sleep(Duration::from_millis(5));
    // The first piece waits for the second to have started: on one thread this never ends,
    // so the test would hang (and time out) were the pieces not run at once.
    let started = AtomicBool::new(false);
    let (here, there) = join(
        || {
            let t = Instant::now();
            while !started.load(Ordering::Acquire) && t.elapsed() < Duration::from_secs(5) {
                std::hint::spin_loop();
            }
            (thread::current().id(), started.load(Ordering::Acquire))
        },
        || {
            started.store(true, Ordering::Release);
            thread::current().id()
        },
    );
    assert!(here.1, "the second piece did not start while the first ran");
    assert_ne!(here.0, there);
}
