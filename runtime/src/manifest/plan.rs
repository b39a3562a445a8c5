//! The plan: for every node and every service it uses, the provider, the transport and why,
//! the endpoint to connect to and the settings; for every node, what it listens on.
//!
//! The transport of a link: the same node → `inproc`; the same host → `shm`; another host →
//! `tcp`. A `[[link]]` entry naming the client and the service overrides this, within what
//! the placement allows (`inproc` within one node, `shm` and `pipe` within one host).

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use toml::Spanned;

use super::error::{Location, Problems};
use super::raw::RawLink;
use super::resolve::{check_service_name, NodeEntry, Resolved};
use super::settings::{Settings, SettingsLayer};
use super::Host;
use crate::endpoint::{Endpoint, SocketName, TcpAddress, Transport};

/// Every link of a deployment and what every node listens on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// One link per node and service it uses, in the order of the nodes and their `uses`.
    pub links: Vec<Link>,
    /// One entry per node, in the order of the manifest.
    pub nodes: Vec<NodePlan>,
}

/// How one client node reaches one service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The node that calls.
    pub client: String,
    /// The service, `package.Service`.
    pub service: String,
    /// The node that serves it.
    pub provider: String,
    /// How messages move.
    pub transport: Transport,
    /// Why this transport.
    pub reason: Reason,
    /// Where the client connects: `inproc://SERVICE`, the provider's Unix socket for `shm`
    /// and `pipe`, its host's address and port for `tcp`.
    pub endpoint: Endpoint,
    /// The client's settings for this link: `[defaults]`, then the client node's, then the
    /// `[[link]]` entry's.
    pub settings: Settings,
}

/// Why a link has its transport.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Client and provider are one node: `inproc`.
    SameNode,
    /// Client and provider are on this host: `shm`.
    SameHost(String),
    /// Client and provider are on different hosts: `tcp`.
    OtherHost {
        /// The client's host.
        client: String,
        /// The provider's host.
        provider: String,
    },
    /// A `[[link]]` entry, at this place, chose the transport.
    Override(Location),
}

/// What a node serves on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodePlan {
    /// The node.
    pub name: String,
    /// Its host.
    pub host: String,
    /// The Unix socket it serves its `shm` and `pipe` clients on, when it has such clients.
    pub unix: Option<SocketName>,
    /// The address and port it accepts TCP clients on, when it has such clients.
    pub tcp: Option<TcpAddress>,
    /// The services its own code calls in-process.
    pub inproc: Vec<String>,
}

impl Plan {
    /// What node `name` serves on.
    pub fn node(&self, name: &str) -> Option<&NodePlan> {
        self.nodes.iter().find(|node| node.name == name)
    }

    /// The links node `client` opens.
    pub fn links_from<'a>(&'a self, client: &'a str) -> impl Iterator<Item = &'a Link> + 'a {
        self.links.iter().filter(move |link| link.client == client)
    }

    /// The links that reach node `provider`.
    pub fn links_to<'a>(&'a self, provider: &'a str) -> impl Iterator<Item = &'a Link> + 'a {
        self.links
            .iter()
            .filter(move |link| link.provider == provider)
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::SameNode => f.write_str("same node"),
            Reason::SameHost(host) => write!(f, "same host `{host}`"),
            Reason::OtherHost { client, provider } => {
                write!(
                    f,
                    "client on host `{client}`, provider on host `{provider}`"
                )
            }
            Reason::Override(location) => write!(f, "override at {location}"),
        }
    }
}

/// A `[[link]]` entry, checked.
struct Override {
    transport: Option<Spanned<Transport>>,
    settings: SettingsLayer,
    header: Range<usize>,
}

/// Builds the plan, reporting the links that cannot be made; the plan is complete when
/// nothing was reported.
pub(super) fn build(resolved: &Resolved, problems: &mut Problems<'_>) -> Plan {
    let overrides = read_overrides(resolved, problems);
    let providers = providers(&resolved.nodes);
    let mut links = Vec::new();
    let mut portless: Vec<&str> = Vec::new();
    for client in &resolved.nodes {
        for (service, span) in client.node.uses.iter().zip(&client.uses) {
            let Some(&provider) = providers.get(service.as_str()) else {
                report_unprovided(client, service, span.clone(), &providers, problems);
                continue;
            };
            let (Some(client_host), Some(provider_host)) =
                (client.host(&resolved.hosts), provider.host(&resolved.hosts))
            else {
                continue; // an unknown host, already reported
            };
            let key = (client.node.name.as_str(), service.as_str());
            let chosen = overrides.get(&key);
            let Some((transport, reason)) = choose(client, provider, client_host, chosen, problems)
            else {
                continue;
            };
            let Some(endpoint) = endpoint(transport, service, provider, provider_host) else {
                if !portless.contains(&provider.node.name.as_str()) {
                    portless.push(&provider.node.name);
                    report_missing_port(client, service, provider, &reason, problems);
                }
                continue;
            };
            let settings = match chosen {
                Some(chosen) => client.node.settings.under(&chosen.settings),
                None => client.node.settings,
            };
            links.push(Link {
                client: client.node.name.clone(),
                service: service.clone(),
                provider: provider.node.name.clone(),
                transport,
                reason,
                endpoint,
                settings,
            });
        }
    }
    let nodes = resolved
        .nodes
        .iter()
        .map(|entry| node_plan(entry, &resolved.hosts, &links))
        .collect();
    Plan { links, nodes }
}

/// Who provides each service (the first, when several do: that is reported elsewhere).
fn providers(nodes: &[NodeEntry]) -> HashMap<&str, &NodeEntry> {
    let mut providers = HashMap::new();
    for entry in nodes {
        for service in &entry.node.provides {
            providers.entry(service.as_str()).or_insert(entry);
        }
    }
    providers
}

/// The transport of a link and why; `None` when an override asks for one the placement
/// does not allow (reported).
fn choose(
    client: &NodeEntry,
    provider: &NodeEntry,
    client_host: &Host,
    chosen: Option<&Override>,
    problems: &mut Problems<'_>,
) -> Option<(Transport, Reason)> {
    let same_node = client.node.name == provider.node.name;
    let same_host = client.node.host == provider.node.host;
    let Some(transport) = chosen.and_then(|chosen| chosen.transport.as_ref()) else {
        return Some(if same_node {
            (Transport::Inproc, Reason::SameNode)
        } else if same_host {
            (Transport::Shm, Reason::SameHost(client_host.name.clone()))
        } else {
            let reason = Reason::OtherHost {
                client: client.node.host.clone(),
                provider: provider.node.host.clone(),
            };
            (Transport::Tcp, reason)
        });
    };
    let (allowed, needs) = match transport.get_ref() {
        Transport::Inproc => (same_node, "client and provider are one node"),
        Transport::Shm | Transport::Pipe => (same_host, "client and provider share a host"),
        Transport::Tcp => (true, ""),
    };
    if !allowed {
        let placement = if same_host {
            format!("node `{}` is another process", provider.node.name)
        } else {
            format!(
                "node `{}` is on host `{}`, node `{}` on host `{}`",
                client.node.name, client.node.host, provider.node.name, provider.node.host
            )
        };
        let possible: Vec<String> = [
            (Transport::Inproc, same_node),
            (Transport::Shm, same_host),
            (Transport::Pipe, same_host),
            (Transport::Tcp, true),
        ]
        .into_iter()
        .filter(|&(_, possible)| possible)
        .map(|(transport, _)| format!("`{transport}`"))
        .collect();
        problems.report(
            transport.span(),
            format!(
                "`{}` works only when {needs}, but {placement}",
                transport.get_ref()
            ),
            vec![format!(
                "this link can use {}; or remove `transport` to let the placement choose",
                possible.join(", ")
            )],
        );
        return None;
    }
    let header = chosen.map_or(0, |chosen| chosen.header.start);
    Some((
        *transport.get_ref(),
        Reason::Override(problems.location(header)),
    ))
}

/// Where the client connects; `None` for TCP to a node without a port.
fn endpoint(
    transport: Transport,
    service: &str,
    provider: &NodeEntry,
    provider_host: &Host,
) -> Option<Endpoint> {
    Some(match transport {
        Transport::Inproc => Endpoint::Inproc(service.to_owned()),
        Transport::Shm => Endpoint::Shm(provider.node.socket.clone()),
        Transport::Pipe => Endpoint::Pipe(provider.node.socket.clone()),
        Transport::Tcp => Endpoint::Tcp(TcpAddress {
            host: provider_host.address.clone(),
            port: provider.node.port?,
        }),
    })
}

fn node_plan(entry: &NodeEntry, hosts: &[Host], links: &[Link]) -> NodePlan {
    let name = &entry.node.name;
    let reaching = |transports: &[Transport]| {
        links
            .iter()
            .any(|link| &link.provider == name && transports.contains(&link.transport))
    };
    let tcp = entry
        .host(hosts)
        .zip(entry.node.port)
        .filter(|_| reaching(&[Transport::Tcp]))
        .map(|(host, port)| TcpAddress {
            host: host.address.clone(),
            port,
        });
    NodePlan {
        name: name.clone(),
        host: entry.node.host.clone(),
        unix: reaching(&[Transport::Shm, Transport::Pipe]).then(|| entry.node.socket.clone()),
        tcp,
        inproc: links
            .iter()
            .filter(|link| &link.client == name && link.transport == Transport::Inproc)
            .map(|link| link.service.clone())
            .collect(),
    }
}

/// Checks the `[[link]]` entries; the valid ones by client and service.
fn read_overrides<'r>(
    resolved: &'r Resolved,
    problems: &mut Problems<'_>,
) -> HashMap<(&'r str, &'r str), Override> {
    let mut overrides: HashMap<(&str, &str), Override> = HashMap::new();
    for link in &resolved.links {
        let header = link.span();
        let raw: &RawLink = link.get_ref();
        let settings = SettingsLayer::read(raw.settings(), problems);
        let transport = raw
            .transport
            .as_ref()
            .and_then(|name| read_transport(name, problems));
        if raw.transport.is_none() && settings == SettingsLayer::default() {
            problems.report(
                header.clone(),
                "this `[[link]]` changes nothing".to_owned(),
                vec!["set `transport`, `ring-slots`, `timeout` or `spin`, or remove it".to_owned()],
            );
        }
        let Some(client) = find_client(resolved, &raw.client, problems) else {
            continue;
        };
        if !check_service_name(&raw.service, problems) {
            continue;
        }
        let service = raw.service.get_ref();
        let Some(service) = client.node.uses.iter().find(|used| *used == service) else {
            problems.report(
                raw.service.span(),
                format!(
                    "node `{}` does not use `{service}`, so there is no link to override",
                    client.node.name
                ),
                vec![format!(
                    "add it to `uses` of node `{}`, or name the client that uses it",
                    client.node.name
                )],
            );
            continue;
        };
        let key = (client.node.name.as_str(), service.as_str());
        if let Some(first) = overrides.get(&key) {
            problems.report(
                header,
                format!(
                    "a second `[[link]]` for node `{}` and `{service}`",
                    client.node.name
                ),
                vec![format!(
                    "merge it into the first, at {}",
                    problems.location(first.header.start)
                )],
            );
            continue;
        }
        overrides.insert(
            key,
            Override {
                transport,
                settings,
                header,
            },
        );
    }
    overrides
}

fn read_transport(
    name: &Spanned<String>,
    problems: &mut Problems<'_>,
) -> Option<Spanned<Transport>> {
    match Transport::from_name(name.get_ref()) {
        Some(transport) => Some(Spanned::new(name.span(), transport)),
        None => {
            let known: Vec<String> = Transport::ALL
                .iter()
                .map(|transport| format!("`{transport}`"))
                .collect();
            problems.report(
                name.span(),
                format!("unknown transport `{}`", name.get_ref()),
                vec![format!("write one of {}", known.join(", "))],
            );
            None
        }
    }
}

fn find_client<'r>(
    resolved: &'r Resolved,
    client: &Spanned<String>,
    problems: &mut Problems<'_>,
) -> Option<&'r NodeEntry> {
    let found = resolved
        .nodes
        .iter()
        .find(|entry| &entry.node.name == client.get_ref());
    if found.is_none() {
        let names: Vec<String> = resolved
            .nodes
            .iter()
            .map(|entry| format!("`{}`", entry.node.name))
            .collect();
        problems.report(
            client.span(),
            format!(
                "`[[link]]` names node `{}`, which is not declared",
                client.get_ref()
            ),
            vec![format!("declared nodes: {}", names.join(", "))],
        );
    }
    found
}

fn report_unprovided(
    client: &NodeEntry,
    service: &str,
    span: Range<usize>,
    providers: &HashMap<&str, &NodeEntry>,
    problems: &mut Problems<'_>,
) {
    if !super::resolve::is_service_name(service) {
        return; // reported with the `uses` list
    }
    let mut provided: Vec<String> = providers
        .iter()
        .map(|(service, node)| format!("`{service}` (node `{}`)", node.node.name))
        .collect();
    provided.sort();
    let mut hints = vec![format!(
        "add `\"{service}\"` to `provides` of the node that serves it"
    )];
    if !provided.is_empty() {
        hints.push(format!("provided services: {}", provided.join(", ")));
    }
    problems.report(
        span,
        format!(
            "node `{}` uses `{service}`, which no node provides",
            client.node.name
        ),
        hints,
    );
}

fn report_missing_port(
    client: &NodeEntry,
    service: &str,
    provider: &NodeEntry,
    reason: &Reason,
    problems: &mut Problems<'_>,
) {
    let why = match reason {
        Reason::Override(location) => format!("as the override at {location} asks"),
        _ => format!("from host `{}`", client.node.host),
    };
    problems.report(
        provider.header.clone(),
        format!(
            "node `{}` has no `port`, but node `{}` uses its `{service}` over TCP ({why})",
            provider.node.name, client.node.name
        ),
        vec![format!(
            "add a free port to node `{}`, e.g. `port = 7000`",
            provider.node.name
        )],
    );
}
