//! What a case measured, and its summary.

use std::time::Duration;

use serde::Serialize;

/// The raw result of one case.
pub enum Measured {
    /// Round trips after warm-up.
    RoundTrips {
        /// One duration per round trip.
        samples: Vec<Duration>,
        /// The share of a core the peer used while idle after them (1.0 = one core), when
        /// it stays up to be watched.
        peer_idle_cpu: Option<f64>,
    },
    /// `messages` received one way in `elapsed`.
    Streaming {
        /// Messages received.
        messages: u64,
        /// From the first message to the last.
        elapsed: Duration,
    },
}

/// A summary row: latency percentiles (round trips) or a rate (streaming), in nanoseconds and
/// messages per second.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    /// Median round trip.
    pub p50_ns: Option<f64>,
    /// 99th percentile round trip.
    pub p99_ns: Option<f64>,
    /// 99.9th percentile round trip.
    pub p999_ns: Option<f64>,
    /// One-way messages per second.
    pub messages_per_second: Option<f64>,
    /// The share of a core the peer used in the second after the round trips (1.0 = one
    /// core).
    pub peer_idle_cpu: Option<f64>,
    /// Round trips or messages measured.
    pub count: u64,
}

impl Summary {
    /// Summarises a measurement.
    pub fn of(measured: Measured) -> Summary {
        match measured {
            Measured::RoundTrips {
                mut samples,
                peer_idle_cpu,
            } => {
                samples.sort_unstable();
                let percentile = |p: f64| {
                    let index = ((samples.len() as f64 * p).ceil() as usize).saturating_sub(1);
                    samples.get(index).map(|d| d.as_nanos() as f64)
                };
                Summary {
                    p50_ns: percentile(0.50),
                    p99_ns: percentile(0.99),
                    p999_ns: percentile(0.999),
                    messages_per_second: None,
                    peer_idle_cpu,
                    count: samples.len() as u64,
                }
            }
            Measured::Streaming { messages, elapsed } => Summary {
                messages_per_second: Some(messages as f64 / elapsed.as_secs_f64()),
                count: messages,
                ..Summary::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_pick_the_right_samples() {
        let samples = (1..=1000).map(Duration::from_nanos).collect();
        let summary = Summary::of(Measured::RoundTrips {
            samples,
            peer_idle_cpu: None,
        });
        assert_eq!(summary.p50_ns, Some(500.0));
        assert_eq!(summary.p99_ns, Some(990.0));
        assert_eq!(summary.p999_ns, Some(999.0));
        assert_eq!(summary.count, 1000);
    }

    #[test]
    fn a_stream_reports_its_rate() {
        let summary = Summary::of(Measured::Streaming {
            messages: 1_000_000,
            elapsed: Duration::from_millis(250),
        });
        assert_eq!(summary.messages_per_second, Some(4_000_000.0));
    }
}
