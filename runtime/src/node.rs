//! A node: one process of a deployment manifest. It serves the services the manifest says it
//! provides, on the endpoints the plan gives it, and connects to the services it uses over the
//! transport the plan chose: the same node → `inproc`, the same host → `shm`, another host →
//! `tcp`, unless a `[[link]]` says otherwise. Moving a service is an edit of the manifest and
//! a restart, never a rebuild.
//!
//! ```no_run
//! # fn demo(service: impl interop::server::Service, descriptor: &'static interop::service::ServiceDescriptor) -> Result<(), interop::Error> {
//! let mut node = interop::Node::from_env()?; // INTEROP_MANIFEST and INTEROP_NODE
//! node.serve(service)?;
//! let client = node.connector().connect(descriptor)?;
//! node.run()
//! # }
//! ```

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::client::{Client, ClientOptions};
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::manifest::{Link, Manifest, Settings};
use crate::server::{Server, ServerHandle, Service};
use crate::service::ServiceDescriptor;

/// The environment variable naming the manifest file, for [`Node::from_env`].
pub const MANIFEST_VAR: &str = "INTEROP_MANIFEST";

/// The environment variable naming this process's node, for [`Node::from_env`].
pub const NODE_VAR: &str = "INTEROP_NODE";

/// One process of a deployment: a server for what it provides, connections to what it uses.
pub struct Node {
    plan: Arc<NodePlan>,
    server: Server,
}

/// What a node knows of the plan: its name and provided services, and its links.
struct NodePlan {
    manifest: std::path::PathBuf,
    name: String,
    provides: Vec<String>,
    links: Vec<Link>,
}

/// Connects a node to the services it uses; cheap to clone, usable from any thread.
#[derive(Clone)]
pub struct Connector {
    plan: Arc<NodePlan>,
}

impl Node {
    /// Node `node` of the manifest file at `manifest`.
    pub fn open(manifest: impl AsRef<Path>, node: &str) -> Result<Node, Error> {
        let manifest = Manifest::load(manifest).map_err(Error::Manifest)?;
        Node::of(&manifest, node)
    }

    /// The node named by `INTEROP_NODE` in the manifest named by `INTEROP_MANIFEST`, as
    /// `interopc deploy` starts processes.
    pub fn from_env() -> Result<Node, Error> {
        let var = |name: &str, what: &str| {
            std::env::var(name).map_err(|_| Error::Config {
                message: format!(
                    "{name} is not set: set it to {what} (or call Node::open with them)"
                ),
            })
        };
        let manifest = var(MANIFEST_VAR, "the path of the deployment manifest")?;
        let node = var(NODE_VAR, "this process's node name in the manifest")?;
        Node::open(manifest, &node)
    }

    /// Node `node` of a manifest already read; it listens on what the plan gives it.
    pub fn of(manifest: &Manifest, node: &str) -> Result<Node, Error> {
        let path = manifest.path().display().to_string();
        let Some(entry) = manifest.node(node) else {
            let names: Vec<String> = manifest
                .nodes()
                .iter()
                .map(|node| format!("`{}`", node.name))
                .collect();
            return Err(Error::Config {
                message: format!(
                    "{path}: there is no node `{node}`; the manifest has {}",
                    names.join(", ")
                ),
            });
        };
        let plan = manifest.plan();
        let mut server = Server::new()?;
        if let Some(listens) = plan.node(node) {
            for name in &listens.inproc {
                server.listen_at(Endpoint::Inproc(name.clone()))?;
            }
            if let Some(socket) = &listens.unix {
                server.listen_at(Endpoint::Pipe(socket.clone()))?;
            }
            if let Some(address) = &listens.tcp {
                server.listen_at(Endpoint::Tcp(address.clone()))?;
            }
        }
        #[cfg(target_os = "linux")]
        server.set_wait(wait_strategy(entry.settings.spin));
        let plan = NodePlan {
            manifest: manifest.path().to_owned(),
            name: node.to_owned(),
            provides: entry.provides.clone(),
            links: plan.links_from(node).cloned().collect(),
        };
        Ok(Node {
            plan: Arc::new(plan),
            server,
        })
    }

    /// The node's name.
    pub fn name(&self) -> &str {
        &self.plan.name
    }

    /// Serves `service`, which the manifest must list in this node's `provides`.
    pub fn serve(&mut self, service: impl Service) -> Result<&mut Node, Error> {
        let name = service.descriptor().qualified_name;
        if !self.plan.provides.iter().any(|provided| provided == name) {
            return Err(Error::Config {
                message: format!(
                    "{}: node `{}` does not provide `{name}`; add it to the node's `provides`",
                    self.plan.manifest.display(),
                    self.plan.name
                ),
            });
        }
        self.server.serve(service)?;
        Ok(self)
    }

    /// The node's server, to publish events or serve beyond the manifest.
    pub fn server(&mut self) -> &mut Server {
        &mut self.server
    }

    /// Connects to the services this node uses, from any thread.
    pub fn connector(&self) -> Connector {
        Connector {
            plan: Arc::clone(&self.plan),
        }
    }

    /// Connects to `service`, one of those this node uses.
    pub fn connect(&self, service: &'static ServiceDescriptor) -> Result<Client, Error> {
        self.connector().connect(service)
    }

    /// Stops [`Node::run`] from another thread.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped.
    pub fn run(&mut self) -> Result<(), Error> {
        self.server.run()
    }
}

impl Connector {
    /// Connects to `service` over the transport the plan chose for this node.
    pub fn connect(&self, service: &'static ServiceDescriptor) -> Result<Client, Error> {
        let name = service.qualified_name;
        let Some(link) = self.plan.links.iter().find(|link| link.service == name) else {
            return Err(Error::Config {
                message: format!(
                    "{}: node `{}` does not use `{name}`; add it to the node's `uses`",
                    self.plan.manifest.display(),
                    self.plan.name
                ),
            });
        };
        log::debug!(
            "node `{}` connects to `{name}` on node `{}` over {} ({})",
            self.plan.name,
            link.provider,
            link.endpoint,
            link.reason
        );
        Client::connect_with(&link.endpoint, service, client_options(&link.settings))
    }
}

fn client_options(settings: &Settings) -> ClientOptions {
    ClientOptions {
        timeout: settings.timeout,
        ring_slots: settings.ring_slots,
        #[cfg(target_os = "linux")]
        wait: wait_strategy(settings.spin),
        ..ClientOptions::default()
    }
}

/// A spin time of zero sleeps at once; any other spins that long first.
#[cfg(target_os = "linux")]
fn wait_strategy(spin: Duration) -> crate::shm::WaitStrategy {
    if spin.is_zero() {
        crate::shm::WaitStrategy::Block
    } else {
        crate::shm::WaitStrategy::Adaptive { spin }
    }
}
