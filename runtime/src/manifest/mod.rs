//! Deployment manifests: which processes (nodes) run on which hosts, which services each
//! provides and uses, and how they are tuned; and the [`Plan`] derived from them, which says
//! for every client and service the transport, the endpoint and the settings to use.
//!
//! ```toml
//! app = "fleet"
//!
//! [hosts]
//! alpha = "10.0.0.1"
//! beta = "10.0.0.2"
//!
//! [nodes.control]
//! host = "alpha"
//! provides = ["fleet.control.FleetControl"]
//! port = 7000
//!
//! [nodes.ui]
//! host = "beta"
//! uses = ["fleet.control.FleetControl"]
//! ```
//!
//! Here `ui` reaches `control` over TCP at `10.0.0.1:7000`. A client on the same node as the
//! provider gets `inproc`, one on the same host `shm`; a `[[link]]` entry overrides the choice.
//! `docs/MANIFEST.md` describes every key.
//!
//! [`Manifest::parse`] checks everything a plan depends on and reports every problem it finds
//! at once, each with its line, column and a hint ([`ManifestError`]); a TOML syntax or shape
//! error stops reading at that error.

mod duration;
mod error;
mod plan;
mod raw;
mod resolve;
mod settings;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

pub use duration::format_duration;
pub use error::{Location, ManifestError, Position, Problem};
pub use plan::{Link, NodePlan, Plan, Reason};
pub use settings::{Settings, DEFAULT_RING_SLOTS, DEFAULT_SPIN, DEFAULT_TIMEOUT};

use crate::endpoint::SocketName;

/// A checked manifest and its plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    path: PathBuf,
    app: String,
    hosts: Vec<Host>,
    nodes: Vec<Node>,
    defaults: Settings,
    plan: Plan,
}

/// A machine nodes run on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Host {
    /// Its name in the manifest: the key under `[hosts]`.
    pub name: String,
    /// Where clients on other hosts reach it: an IPv4 address, an IPv6 address (without
    /// brackets) or a host name.
    pub address: String,
}

/// One process: the services it provides and uses, where it runs and how it is tuned.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Node {
    /// Its name in the manifest: `[nodes.NAME]`.
    pub name: String,
    /// The host it runs on.
    pub host: String,
    /// Qualified names (`package.Service`) of the services it serves, as written.
    pub provides: Vec<String>,
    /// Qualified names of the services it calls, as written.
    pub uses: Vec<String>,
    /// The program and its arguments that start it, when given.
    pub command: Option<Vec<String>>,
    /// The TCP port it listens on, when given; required when a client reaches it over TCP.
    pub port: Option<u16>,
    /// The Unix socket it serves `shm` and `pipe` clients on: `socket` when given, otherwise
    /// the abstract name `APP/NODE` (`@interop/APP/NODE`).
    pub socket: SocketName,
    /// `[defaults]` with the node's own settings over them: what its event loop and its calls
    /// use unless a `[[link]]` says otherwise.
    pub settings: Settings,
}

impl Manifest {
    /// Reads and checks a manifest's text; `path` is only used to say where problems are.
    pub fn parse(text: &str, path: impl AsRef<Path>) -> Result<Manifest, ManifestError> {
        let path = path.as_ref();
        let source = error::Source { path, text };
        let raw = raw::read(&source)?;
        let mut problems = error::Problems::new(&source);
        let resolved = resolve::resolve(raw, &mut problems);
        let plan = plan::build(&resolved, &mut problems);
        if !problems.is_empty() {
            return Err(problems.into_error());
        }
        log::debug!(
            "manifest {}: {} nodes, {} links",
            path.display(),
            resolved.nodes.len(),
            plan.links.len()
        );
        Ok(Manifest {
            path: path.to_owned(),
            app: resolved.app,
            hosts: resolved.hosts,
            nodes: resolved.nodes.into_iter().map(|entry| entry.node).collect(),
            defaults: resolved.defaults,
            plan,
        })
    }

    /// Reads and checks the manifest file at `path`.
    pub fn load(path: impl AsRef<Path>) -> Result<Manifest, ManifestError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|error| ManifestError::unreadable(path, &error))?;
        Manifest::parse(&text, path)
    }

    /// The file the manifest was read from, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The application's name (`app`), which names its Unix sockets.
    pub fn app(&self) -> &str {
        &self.app
    }

    /// The hosts, in the order they were written.
    pub fn hosts(&self) -> &[Host] {
        &self.hosts
    }

    /// The host named `name`.
    pub fn host(&self, name: &str) -> Option<&Host> {
        self.hosts.iter().find(|host| host.name == name)
    }

    /// The nodes, in the order they were written.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The node named `name`.
    pub fn node(&self, name: &str) -> Option<&Node> {
        self.nodes.iter().find(|node| node.name == name)
    }

    /// The `[defaults]` settings, the built-in defaults where it is silent.
    pub fn defaults(&self) -> Settings {
        self.defaults
    }

    /// Every link with its transport, endpoint and settings, and what each node listens on.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }
}
