//! Durations as a manifest writes them: a number and a unit, `250ms`, `1.5s`, `20us`.

use std::fmt;
use std::time::Duration;

/// The units, longest suffix first so that `ms` is not read as `s`.
const UNITS: [(&str, u64); 5] = [
    ("ns", 1),
    ("us", 1_000),
    ("µs", 1_000),
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
];

/// What the manifest documentation and error hints show as valid durations.
pub(super) const DURATION_HINT: &str =
    "write a number and a unit, e.g. `250ms`, `1.5s`, `20us` (units: ns, us, ms, s)";

/// Why a duration could not be read.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum DurationError {
    /// No unit after the number.
    NoUnit,
    /// Not `DIGITS[.DIGITS]UNIT`.
    Malformed,
    /// More than 2^64 nanoseconds.
    TooLong,
    /// A fraction of a nanosecond.
    FinerThanNanosecond,
}

/// Reads `DIGITS[.DIGITS]UNIT`.
pub(super) fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    let Some((number, unit_nanos)) = UNITS
        .iter()
        .find_map(|&(unit, nanos)| Some((text.strip_suffix(unit)?, nanos)))
    else {
        let is_number = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        return Err(if is_number {
            DurationError::NoUnit
        } else {
            DurationError::Malformed
        });
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let digits_only = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let fraction_ok = !number.contains('.') || !fraction.is_empty();
    if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) || !fraction_ok {
        return Err(DurationError::Malformed);
    }
    let mut nanos: u128 = 0;
    for digit in whole.bytes() {
        nanos = nanos * 10 + u128::from(digit - b'0');
        if nanos > u128::from(u64::MAX) {
            return Err(DurationError::TooLong);
        }
    }
    nanos *= u128::from(unit_nanos);
    let mut scale = u128::from(unit_nanos);
    for digit in fraction.bytes() {
        let value = u128::from(digit - b'0') * scale;
        if value % 10 != 0 {
            return Err(DurationError::FinerThanNanosecond);
        }
        nanos += value / 10;
        scale /= 10;
    }
    let nanos = u64::try_from(nanos).map_err(|_| DurationError::TooLong)?;
    Ok(Duration::from_nanos(nanos))
}

/// Shows a duration in the largest unit that writes it exactly: `250ms`, `2s`, `1500us`.
pub fn format_duration(duration: Duration) -> String {
    let nanos = duration.as_nanos();
    let (unit, unit_nanos) = UNITS
        .iter()
        .rev()
        .filter(|(unit, _)| *unit != "µs")
        .find(|&&(_, unit_nanos)| nanos % u128::from(unit_nanos) == 0)
        .copied()
        .unwrap_or(("ns", 1));
    format!("{}{unit}", nanos / u128::from(unit_nanos))
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DurationError::NoUnit => "has no unit",
            DurationError::Malformed => "is not a duration",
            DurationError::TooLong => "is longer than 2^64 nanoseconds",
            DurationError::FinerThanNanosecond => "is finer than a nanosecond",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_unit() {
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("20us"), Ok(Duration::from_micros(20)));
        assert_eq!(parse_duration("20µs"), Ok(Duration::from_micros(20)));
        assert_eq!(parse_duration("7ns"), Ok(Duration::from_nanos(7)));
        assert_eq!(parse_duration("3s"), Ok(Duration::from_secs(3)));
        assert_eq!(parse_duration("0us"), Ok(Duration::ZERO));
    }

    #[test]
    fn reads_fractions_down_to_the_nanosecond() {
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("0.25ms"), Ok(Duration::from_micros(250)));
        assert_eq!(parse_duration("1.000000001s"), Ok(Duration::new(1, 1)));
        assert_eq!(
            parse_duration("1.5ns"),
            Err(DurationError::FinerThanNanosecond)
        );
        assert_eq!(
            parse_duration("0.0000000001s"),
            Err(DurationError::FinerThanNanosecond)
        );
    }

    #[test]
    fn refuses_what_is_not_a_duration() {
        assert_eq!(parse_duration("250"), Err(DurationError::NoUnit));
        assert_eq!(parse_duration("1.5"), Err(DurationError::NoUnit));
        for text in [
            "", "ms", "1.ms", ".5s", "-1s", "1 s", "1e3ms", "5min", "1h", "1.2.3s", "+1s",
        ] {
            assert_eq!(
                parse_duration(text),
                Err(DurationError::Malformed),
                "{text:?}"
            );
        }
        assert_eq!(
            parse_duration("18446744073709551616ns"),
            Err(DurationError::TooLong)
        );
        assert_eq!(parse_duration("18446744074s"), Err(DurationError::TooLong));
        assert_eq!(
            parse_duration("18446744073709551615ns"),
            Ok(Duration::from_nanos(u64::MAX))
        );
    }

    #[test]
    fn formats_in_the_largest_exact_unit() {
        assert_eq!(format_duration(Duration::from_millis(250)), "250ms");
        assert_eq!(format_duration(Duration::from_secs(5)), "5s");
        assert_eq!(format_duration(Duration::from_micros(1500)), "1500us");
        assert_eq!(format_duration(Duration::from_nanos(7)), "7ns");
        assert_eq!(format_duration(Duration::ZERO), "0s");
        for text in ["250ms", "5s", "1500us", "7ns", "10us"] {
            assert_eq!(format_duration(parse_duration(text).unwrap()), text);
        }
    }
}
