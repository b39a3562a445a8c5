//! The tuning of links and nodes: ring slots, call timeout and adaptive spin, with their
//! defaults and the way `[defaults]`, nodes and links override them.

use std::time::Duration;

use super::duration::{format_duration, parse_duration, DurationError, DURATION_HINT};
use super::error::Problems;
use super::raw::SettingsKeys;

/// Slots per shared-memory ring when nothing else is said.
pub const DEFAULT_RING_SLOTS: u32 = 64;

/// How long a call waits for its reply when nothing else is said.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a waiting side spins before it sleeps when nothing else is said: about what a
/// cross-core wake-up costs, so that spinning never costs much more than sleeping would.
pub const DEFAULT_SPIN: Duration = Duration::from_micros(10);

/// The settings of a link (the client's view) or of a node's event loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Settings {
    /// Slots per shared-memory ring (`ring-slots`); each direction of a link has a ring.
    pub ring_slots: u32,
    /// How long a call waits for its reply before it fails (`timeout`).
    pub timeout: Duration,
    /// How long a waiting side spins before it sleeps (`spin`); zero sleeps at once.
    pub spin: Duration,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            ring_slots: DEFAULT_RING_SLOTS,
            timeout: DEFAULT_TIMEOUT,
            spin: DEFAULT_SPIN,
        }
    }
}

impl std::fmt::Display for Settings {
    /// `ring-slots 64, timeout 5s, spin 10us`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ring-slots {}, timeout {}, spin {}",
            self.ring_slots,
            format_duration(self.timeout),
            format_duration(self.spin)
        )
    }
}

/// The settings one layer (`[defaults]`, a node, a link) sets; the others come from below.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct SettingsLayer {
    ring_slots: Option<u32>,
    timeout: Option<Duration>,
    spin: Option<Duration>,
}

impl SettingsLayer {
    /// Reads the keys of one layer, reporting the values that are wrong (and leaving them out).
    pub fn read(keys: SettingsKeys<'_>, problems: &mut Problems<'_>) -> SettingsLayer {
        let ring_slots = keys.ring_slots.and_then(|slots| {
            let value = *slots.get_ref();
            match u32::try_from(value) {
                Ok(0) => {
                    problems.report(
                        slots.span(),
                        "`ring-slots` is 0, but a ring needs at least one slot".to_owned(),
                        vec![format!(
                            "write a number of slots, e.g. `ring-slots = {DEFAULT_RING_SLOTS}` \
                             (the default)"
                        )],
                    );
                    None
                }
                Ok(slots) => Some(slots),
                Err(_) => {
                    problems.report(
                        slots.span(),
                        format!("`ring-slots` is {value}, which is not a number of slots"),
                        vec![format!(
                            "write a number from 1 to {}, e.g. `ring-slots = {DEFAULT_RING_SLOTS}`",
                            u32::MAX
                        )],
                    );
                    None
                }
            }
        });
        let timeout = keys.timeout.and_then(|timeout| {
            let value = read_duration("timeout", timeout, problems)?;
            if value.is_zero() {
                problems.report(
                    timeout.span(),
                    "`timeout` is zero, so every call would fail at once".to_owned(),
                    vec![format!(
                        "give calls time to complete, e.g. `timeout = \"{}\"` (the default)",
                        format_duration(DEFAULT_TIMEOUT)
                    )],
                );
                return None;
            }
            Some(value)
        });
        let spin = keys
            .spin
            .and_then(|spin| read_duration("spin", spin, problems));
        SettingsLayer {
            ring_slots,
            timeout,
            spin,
        }
    }
}

impl Settings {
    /// These settings with what `layer` sets instead.
    pub(super) fn under(self, layer: &SettingsLayer) -> Settings {
        Settings {
            ring_slots: layer.ring_slots.unwrap_or(self.ring_slots),
            timeout: layer.timeout.unwrap_or(self.timeout),
            spin: layer.spin.unwrap_or(self.spin),
        }
    }
}

fn read_duration(
    key: &str,
    value: &toml::Spanned<String>,
    problems: &mut Problems<'_>,
) -> Option<Duration> {
    match parse_duration(value.get_ref()) {
        Ok(duration) => Some(duration),
        Err(error) => {
            let mut hints = Vec::new();
            if error == DurationError::NoUnit {
                hints.push(format!("did you mean `{key} = \"{}ms\"`?", value.get_ref()));
            }
            hints.push(DURATION_HINT.to_owned());
            problems.report(
                value.span(),
                format!("`{key}` = \"{}\" {error}", value.get_ref()),
                hints,
            );
            None
        }
    }
}
