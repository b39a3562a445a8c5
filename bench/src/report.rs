//! The benchmark's output: a markdown table, or JSON for machines.

use serde::Serialize;

use crate::cases::Case;
use crate::stats::Summary;

/// One measured case.
#[derive(Serialize)]
pub struct Row {
    /// The case's name.
    pub name: &'static str,
    /// What it measures.
    pub mechanism: &'static str,
    /// Its figures.
    #[serde(flatten)]
    pub summary: Summary,
    /// The case it is compared with.
    pub compare_to: Option<&'static str>,
    /// How many times slower than `compare_to`: the ratio of the medians for round trips, of
    /// the rates (theirs over ours) for streams. Absent when the baseline did not run.
    pub ratio: Option<f64>,
}

/// Everything one run measured.
#[derive(Serialize)]
pub struct Report {
    /// The cores the two processes were pinned to; absent on a single core.
    pub cores: Option<[usize; 2]>,
    /// Timed round trips per case.
    pub round_trips: u64,
    /// Messages per streaming case.
    pub messages: u64,
    /// One row per case, in the order of the table.
    pub rows: Vec<Row>,
}

impl Report {
    /// A report of `measured` cases, with the ratios filled in.
    pub fn new(
        cores: Option<[usize; 2]>,
        round_trips: u64,
        messages: u64,
        measured: Vec<(&'static Case, Summary)>,
    ) -> Report {
        let ratio = |summary: &Summary, baseline: &str| {
            let (_, theirs) = measured.iter().find(|(case, _)| case.name == baseline)?;
            match (summary.p50_ns, theirs.p50_ns) {
                (Some(ours), Some(theirs)) => Some(ours / theirs),
                _ => Some(theirs.messages_per_second? / summary.messages_per_second?),
            }
        };
        let rows = measured
            .iter()
            .map(|(case, summary)| Row {
                name: case.name,
                mechanism: case.mechanism,
                summary: summary.clone(),
                compare_to: case.compare_to,
                ratio: case
                    .compare_to
                    .and_then(|baseline| ratio(summary, baseline)),
            })
            .collect();
        Report {
            cores,
            round_trips,
            messages,
            rows,
        }
    }

    /// The report as a markdown table with a line about the setup.
    pub fn markdown(&self) -> String {
        let mut out = match self.cores {
            Some([ours, theirs]) => format!("Two processes pinned to cores {ours} and {theirs}"),
            None => "Two processes on a single core (not pinned)".to_owned(),
        };
        out.push_str(&format!(
            "; {MESSAGE}-byte messages; {} timed round trips, {} streamed messages.\n\n",
            self.round_trips,
            self.messages,
            MESSAGE = crate::cases::MESSAGE_SIZE
        ));
        out.push_str("| mechanism | p50 | p99 | p99.9 | msgs/s | ratio | peer idle CPU |\n");
        out.push_str("|---|---|---|---|---|---|---|\n");
        for row in &self.rows {
            let ratio = match (row.compare_to, row.ratio) {
                (Some(baseline), Some(ratio)) => format!("{ratio:.2}× {baseline}"),
                (Some(baseline), None) => format!("({baseline} not run)"),
                (None, _) => "baseline".to_owned(),
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {ratio} | {} |\n",
                row.mechanism,
                duration(row.summary.p50_ns),
                duration(row.summary.p99_ns),
                duration(row.summary.p999_ns),
                rate(row.summary.messages_per_second),
                share(row.summary.peer_idle_cpu),
            ));
        }
        out
    }
}

/// Nanoseconds in the unit that keeps three significant digits readable.
fn duration(ns: Option<f64>) -> String {
    match ns {
        None => "—".to_owned(),
        Some(ns) if ns < 1e3 => format!("{ns:.0} ns"),
        Some(ns) if ns < 1e6 => format!("{:.1} µs", ns / 1e3),
        Some(ns) => format!("{:.2} ms", ns / 1e6),
    }
}

/// Messages per second in millions.
fn rate(per_second: Option<f64>) -> String {
    per_second.map_or("—".to_owned(), |rate| format!("{:.1} M", rate / 1e6))
}

/// A share of one core as a percentage.
fn share(of_a_core: Option<f64>) -> String {
    of_a_core.map_or("—".to_owned(), |share| format!("{:.1} %", share * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_chosen_by_magnitude() {
        assert_eq!(duration(Some(481.0)), "481 ns");
        assert_eq!(duration(Some(87_340.0)), "87.3 µs");
        assert_eq!(duration(Some(1_880_000.0)), "1.88 ms");
        assert_eq!(duration(None), "—");
        assert_eq!(rate(Some(16_200_000.0)), "16.2 M");
        assert_eq!(share(Some(0.0031)), "0.3 %");
        assert_eq!(share(None), "—");
    }
}
