//! The manifest as written: what serde reads from the TOML, with the span of every value, before
//! any check. Unknown keys are refused here.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::error::{ManifestError, Problems, Source};

/// Where to read what the keys of a manifest are.
const SHAPE_HINT: &str = "docs/MANIFEST.md describes every key and its type";

/// Reads the TOML into the raw manifest; a syntax error, a wrong type, a missing or an unknown
/// key is the one problem reported (serde stops at the first).
pub(super) fn read(source: &Source<'_>) -> Result<RawManifest, ManifestError> {
    toml::from_str(source.text).map_err(|error| {
        let message = error.message().trim_end().to_owned();
        let mut hints = Vec::new();
        if message == "missing field `app`" {
            hints.push(
                "name the application first thing in the file, e.g. `app = \"fleet\"`".to_owned(),
            );
        }
        hints.push(SHAPE_HINT.to_owned());
        let mut problems = Problems::new(source);
        problems.report(error.span().unwrap_or(0..0), message, hints);
        problems.into_error()
    })
}

/// A whole manifest file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawManifest {
    pub app: Spanned<String>,
    #[serde(default)]
    pub hosts: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    pub defaults: RawSettings,
    #[serde(default)]
    pub nodes: BTreeMap<Spanned<String>, Spanned<RawNode>>,
    #[serde(default, rename = "link")]
    pub links: Vec<Spanned<RawLink>>,
}

/// `[defaults]`, and the same keys inside a node or a link.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawSettings {
    pub ring_slots: Option<Spanned<i64>>,
    pub timeout: Option<Spanned<String>>,
    pub spin: Option<Spanned<String>>,
}

/// `[nodes.NAME]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawNode {
    pub host: Option<Spanned<String>>,
    #[serde(default)]
    pub provides: Vec<Spanned<String>>,
    #[serde(default)]
    pub uses: Vec<Spanned<String>>,
    pub command: Option<Spanned<Vec<String>>>,
    pub port: Option<Spanned<i64>>,
    pub socket: Option<Spanned<String>>,
    pub ring_slots: Option<Spanned<i64>>,
    pub timeout: Option<Spanned<String>>,
    pub spin: Option<Spanned<String>>,
}

/// `[[link]]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawLink {
    pub client: Spanned<String>,
    pub service: Spanned<String>,
    pub transport: Option<Spanned<String>>,
    pub ring_slots: Option<Spanned<i64>>,
    pub timeout: Option<Spanned<String>>,
    pub spin: Option<Spanned<String>>,
}

/// The settings keys of a node or a link, viewed like `[defaults]`.
pub(super) struct SettingsKeys<'a> {
    pub ring_slots: Option<&'a Spanned<i64>>,
    pub timeout: Option<&'a Spanned<String>>,
    pub spin: Option<&'a Spanned<String>>,
}

impl RawSettings {
    pub fn keys(&self) -> SettingsKeys<'_> {
        SettingsKeys {
            ring_slots: self.ring_slots.as_ref(),
            timeout: self.timeout.as_ref(),
            spin: self.spin.as_ref(),
        }
    }
}

impl RawNode {
    pub fn settings(&self) -> SettingsKeys<'_> {
        SettingsKeys {
            ring_slots: self.ring_slots.as_ref(),
            timeout: self.timeout.as_ref(),
            spin: self.spin.as_ref(),
        }
    }
}

impl RawLink {
    pub fn settings(&self) -> SettingsKeys<'_> {
        SettingsKeys {
            ring_slots: self.ring_slots.as_ref(),
            timeout: self.timeout.as_ref(),
            spin: self.spin.as_ref(),
        }
    }
}

/// Map entries in the order they were written (the map itself is sorted by name).
pub(super) fn in_file_order<K, V>(map: BTreeMap<Spanned<K>, V>) -> Vec<(Spanned<K>, V)>
where
    K: Ord,
{
    let mut entries: Vec<_> = map.into_iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}
