//! Medians and the formatting of durations, sizes and ratios.

use std::time::Duration;

/// The median of the samples (the mean of the middle two for an even count).
pub fn median(samples: &[Duration]) -> Duration {
    assert!(!samples.is_empty(), "a median needs samples");
    let mut sorted = samples.to_vec();
    sorted.sort();
    let middle = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[middle]
    } else {
        (sorted[middle - 1] + sorted[middle]) / 2
    }
}

/// Median and spread of a set of timed runs.
#[derive(Debug, Clone)]
pub struct Timing {
    pub median: Duration,
    pub min: Duration,
    pub max: Duration,
    pub runs: usize,
}

impl Timing {
    pub fn of(samples: &[Duration]) -> Timing {
        Timing {
            median: median(samples),
            min: samples.iter().copied().min().unwrap_or_default(),
            max: samples.iter().copied().max().unwrap_or_default(),
            runs: samples.len(),
        }
    }

    /// `1.23 s (1.20 s–1.31 s, 5 runs)`, or `1.23 s (1 run)`.
    pub fn show(&self) -> String {
        if self.runs == 1 {
            return format!("{} (1 run)", duration(self.median));
        }
        format!(
            "{} ({}–{}, {} runs)",
            duration(self.median),
            duration(self.min),
            duration(self.max),
            self.runs
        )
    }
}

/// A duration in the unit that keeps three significant digits readable.
pub fn duration(d: Duration) -> String {
    let seconds = d.as_secs_f64();
    if seconds >= 10.0 {
        format!("{seconds:.1} s")
    } else if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else if seconds >= 0.001 {
        format!("{:.1} ms", seconds * 1e3)
    } else {
        format!("{:.1} µs", seconds * 1e6)
    }
}

/// `ours / theirs` as `0.42×`.
pub fn ratio(ours: Duration, theirs: Duration) -> String {
    format!("{:.2}×", ours.as_secs_f64() / theirs.as_secs_f64())
}

/// Kibibytes as MiB with one decimal.
pub fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let ms = |v: &[u64]| {
            v.iter()
                .map(|&m| Duration::from_millis(m))
                .collect::<Vec<_>>()
        };
        assert_eq!(median(&ms(&[5, 1, 3])), Duration::from_millis(3));
        assert_eq!(median(&ms(&[4, 1, 3, 2])), Duration::from_micros(2500));
    }
}
