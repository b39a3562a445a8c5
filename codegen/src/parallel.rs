//! Running independent generation jobs (one package of Rust, all of C...) on the available
//! cores: each thread takes the next job not yet started, the costliest first, so that one big
//! package does not end up last on a busy thread.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// One job and its estimated cost (any unit, only compared with the other jobs').
pub(crate) type Job<'a, T> = (usize, Work<'a, T>);

/// What a job does.
pub(crate) type Work<'a, T> = Box<dyn FnOnce() -> T + Send + 'a>;

/// Runs `jobs` on up to as many threads as there are cores, and returns their results in the
/// order of `jobs`.
pub(crate) fn run<T: Send>(jobs: Vec<Job<'_, T>>) -> Vec<T> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len());
    if threads < 2 {
        return jobs.into_iter().map(|(_, job)| job()).collect();
    }
    let count = jobs.len();
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by_key(|&index| std::cmp::Reverse(jobs[index].0));
    let jobs: Vec<Mutex<Option<Work<'_, T>>>> = jobs
        .into_iter()
        .map(|(_, job)| Mutex::new(Some(job)))
        .collect();
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, T)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let Some(&index) = order.get(next.fetch_add(1, Ordering::Relaxed)) else {
                            break done;
                        };
                        let job = jobs[index]
                            .lock()
                            .unwrap_or_else(|poisoned| poisoned.into_inner())
                            .take()
                            .expect("each job is taken once");
                        done.push((index, job()));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("a generator thread panicked"))
            .collect()
    });
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_jobs() {
        let jobs: Vec<Job<'_, usize>> = (0..10)
            .map(|value| -> Job<'_, usize> { (value % 3, Box::new(move || value * 2)) })
            .collect();
        assert_eq!(
            run(jobs),
            (0..10).map(|value| value * 2).collect::<Vec<_>>()
        );
    }
}
