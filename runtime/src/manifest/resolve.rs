//! From the raw manifest to hosts and nodes: names, addresses, hosts of nodes, service names,
//! single providers, ports, sockets, commands and settings, each problem reported where it is.

use std::collections::HashMap;
use std::net::Ipv6Addr;
use std::ops::Range;

use toml::Spanned;

use super::error::Problems;
use super::raw::{in_file_order, RawLink, RawManifest, RawNode};
use super::settings::{Settings, SettingsLayer};
use super::{Host, Node};
use crate::endpoint::{check_host, SocketName};

/// The host of nodes that name none, when the manifest declares no host.
const IMPLICIT_HOST: &str = "localhost";

/// The address of [`IMPLICIT_HOST`].
const IMPLICIT_ADDRESS: &str = "127.0.0.1";

/// Hosts and nodes, checked; the links are left to the plan.
pub(super) struct Resolved {
    pub app: String,
    pub hosts: Vec<Host>,
    pub defaults: Settings,
    pub nodes: Vec<NodeEntry>,
    pub links: Vec<Spanned<RawLink>>,
}

/// A node and where its parts are written.
pub(super) struct NodeEntry {
    pub node: Node,
    /// `[nodes.NAME]`, or the inline table.
    pub header: Range<usize>,
    /// Whether `node.host` is a declared host (otherwise already reported).
    pub host_known: bool,
    /// The span of each entry of `node.uses`.
    pub uses: Vec<Range<usize>>,
}

impl NodeEntry {
    /// The node's host, when it is known.
    pub fn host<'h>(&self, hosts: &'h [Host]) -> Option<&'h Host> {
        hosts
            .iter()
            .find(|host| self.host_known && host.name == self.node.host)
    }
}

pub(super) fn resolve(raw: RawManifest, problems: &mut Problems<'_>) -> Resolved {
    check_name("the application", &raw.app, problems);
    let app = raw.app.into_inner();
    let hosts = resolve_hosts(in_file_order(raw.hosts), problems);
    let defaults = Settings::default().under(&SettingsLayer::read(raw.defaults.keys(), problems));
    let raw_nodes = in_file_order(raw.nodes);
    let nodes: Vec<NodeEntry> = raw_nodes
        .into_iter()
        .map(|(name, body)| resolve_node(&app, &hosts, defaults, name, body, problems))
        .collect();
    if nodes.is_empty() {
        problems.report(
            0..0,
            "the manifest declares no node".to_owned(),
            vec![
                "declare each process as `[nodes.NAME]` with the services it `provides` and `uses`"
                    .to_owned(),
            ],
        );
    }
    let hosts = if hosts.is_empty() {
        vec![Host {
            name: IMPLICIT_HOST.to_owned(),
            address: IMPLICIT_ADDRESS.to_owned(),
        }]
    } else {
        hosts
    };
    check_single_providers(&nodes, problems);
    check_unique_ports(&nodes, problems);
    check_unique_sockets(&nodes, problems);
    Resolved {
        app,
        hosts,
        defaults,
        nodes,
        links: raw.links,
    }
}

/// A name that can be part of a socket name: ASCII letters, digits, `-` and `_`.
fn check_name(what: &str, name: &Spanned<String>, problems: &mut Problems<'_>) {
    let text = name.get_ref();
    let valid = !text.is_empty()
        && text
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
    if !valid {
        problems.report(
            name.span(),
            format!("{what}'s name `{text}` is not a plain name"),
            vec![
                "use ASCII letters, digits, `-` and `_` only (it becomes part of socket names)"
                    .to_owned(),
            ],
        );
    }
}

/// Whether `name` is shaped `package.Service`: lowercase package segments and an identifier.
pub(super) fn is_service_name(name: &str) -> bool {
    let Some((package, service)) = name.rsplit_once('.') else {
        return false;
    };
    let package_ok = package.split('.').all(|segment| {
        segment.starts_with(|c: char| c.is_ascii_lowercase())
            && segment
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    });
    let service_ok = service.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && service
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    package_ok && service_ok
}

/// Reports `name` if it is not shaped `package.Service`; `true` when it is.
pub(super) fn check_service_name(name: &Spanned<String>, problems: &mut Problems<'_>) -> bool {
    if is_service_name(name.get_ref()) {
        return true;
    }
    problems.report(
        name.span(),
        format!(
            "`{}` is not a qualified service name (`package.Service`)",
            name.get_ref()
        ),
        vec![
            "write the IDL package and the service: `package fleet.control;` with `service \
             FleetControl` is `fleet.control.FleetControl`"
                .to_owned(),
        ],
    );
    false
}

fn resolve_hosts(
    entries: Vec<(Spanned<String>, Spanned<String>)>,
    problems: &mut Problems<'_>,
) -> Vec<Host> {
    entries
        .into_iter()
        .map(|(name, address)| {
            check_name("a host", &name, problems);
            let text = address.get_ref();
            if text.parse::<Ipv6Addr>().is_err() && check_host(text).is_err() {
                problems.report(
                    address.span(),
                    format!(
                        "host `{}` has the address `{text}`, which is not an IPv4 address, an \
                         IPv6 address or a host name",
                        name.get_ref()
                    ),
                    vec![
                        "write e.g. `10.0.0.1`, `fd00::1` (no brackets) or `alpha.example.net`"
                            .to_owned(),
                    ],
                );
            }
            Host {
                name: name.into_inner(),
                address: address.into_inner(),
            }
        })
        .collect()
}

fn resolve_node(
    app: &str,
    hosts: &[Host],
    defaults: Settings,
    name: Spanned<String>,
    body: Spanned<RawNode>,
    problems: &mut Problems<'_>,
) -> NodeEntry {
    check_name("a node", &name, problems);
    let header = body.span();
    let body = body.into_inner();
    let name = name.into_inner();
    let (host, host_known) = node_host(&name, body.host.as_ref(), hosts, header.clone(), problems);
    check_services(&name, "provides", &body.provides, problems);
    check_services(&name, "uses", &body.uses, problems);
    let settings = defaults.under(&SettingsLayer::read(body.settings(), problems));
    let socket = node_socket(app, &name, body.socket.as_ref(), problems);
    let uses = body.uses.iter().map(Spanned::span).collect();
    let node = Node {
        command: body
            .command
            .and_then(|command| check_command(&name, command, problems)),
        port: body
            .port
            .and_then(|port| check_port(&name, &port, problems)),
        host,
        provides: body.provides.into_iter().map(Spanned::into_inner).collect(),
        uses: body.uses.into_iter().map(Spanned::into_inner).collect(),
        socket,
        settings,
        name,
    };
    NodeEntry {
        node,
        header,
        host_known,
        uses,
    }
}

/// The node's host and whether it is declared.
fn node_host(
    node: &str,
    written: Option<&Spanned<String>>,
    hosts: &[Host],
    header: Range<usize>,
    problems: &mut Problems<'_>,
) -> (String, bool) {
    let names: Vec<String> = hosts
        .iter()
        .map(|host| format!("`{}`", host.name))
        .collect();
    match written {
        Some(host) if hosts.iter().any(|known| &known.name == host.get_ref()) => {
            (host.get_ref().clone(), true)
        }
        Some(host) => {
            let mut hints = Vec::new();
            if !names.is_empty() {
                hints.push(format!("declared hosts: {}", names.join(", ")));
            }
            hints.push(format!(
                "declare it under `[hosts]`: `{} = \"ADDRESS\"`",
                host.get_ref()
            ));
            problems.report(
                host.span(),
                format!(
                    "node `{node}` runs on host `{}`, which is not declared",
                    host.get_ref()
                ),
                hints,
            );
            (host.get_ref().clone(), false)
        }
        None => match hosts {
            [] => (IMPLICIT_HOST.to_owned(), true),
            [only] => (only.name.clone(), true),
            _ => {
                problems.report(
                    header,
                    format!(
                        "node `{node}` has no `host`, and the manifest declares {} hosts",
                        hosts.len()
                    ),
                    vec![format!("add `host = ...` with one of {}", names.join(", "))],
                );
                (String::new(), false)
            }
        },
    }
}

fn check_services(
    node: &str,
    key: &str,
    services: &[Spanned<String>],
    problems: &mut Problems<'_>,
) {
    for (index, service) in services.iter().enumerate() {
        if !check_service_name(service, problems) {
            continue;
        }
        if let Some(first) = services[..index]
            .iter()
            .find(|earlier| earlier.get_ref() == service.get_ref())
        {
            problems.report(
                service.span(),
                format!(
                    "node `{node}` lists `{}` twice in `{key}`",
                    service.get_ref()
                ),
                vec![format!(
                    "remove one; the first is at {}",
                    problems.location(first.span().start)
                )],
            );
        }
    }
}

fn check_command(
    node: &str,
    command: Spanned<Vec<String>>,
    problems: &mut Problems<'_>,
) -> Option<Vec<String>> {
    if command
        .get_ref()
        .first()
        .is_some_and(|program| !program.is_empty())
    {
        return Some(command.into_inner());
    }
    problems.report(
        command.span(),
        format!("node `{node}` has a `command` without a program"),
        vec![
            "write the program, then its arguments: `command = [\"fleet-control\", \"--verbose\"]`"
                .to_owned(),
        ],
    );
    None
}

fn check_port(node: &str, port: &Spanned<i64>, problems: &mut Problems<'_>) -> Option<u16> {
    match u16::try_from(*port.get_ref()) {
        Ok(0) => problems.report(
            port.span(),
            format!("node `{node}` has port 0, but its clients need a fixed port"),
            vec!["pick a free port from 1 to 65535, e.g. `port = 7000`".to_owned()],
        ),
        Ok(valid) => return Some(valid),
        Err(_) => problems.report(
            port.span(),
            format!(
                "node `{node}` has port {}, which is not a TCP port",
                port.get_ref()
            ),
            vec!["pick a free port from 1 to 65535, e.g. `port = 7000`".to_owned()],
        ),
    }
    None
}

/// `socket` when written and valid, otherwise the abstract name `APP/NODE`.
fn node_socket(
    app: &str,
    node: &str,
    written: Option<&Spanned<String>>,
    problems: &mut Problems<'_>,
) -> SocketName {
    let derived = SocketName::Abstract(format!("{app}/{node}"));
    let Some(written) = written else {
        return derived;
    };
    SocketName::parse(written.get_ref()).unwrap_or_else(|error| {
        problems.report(
            written.span(),
            format!("node `{node}` has an invalid `socket`: {error}"),
            vec![format!(
                "write a path (`/run/{app}/{node}.sock`) or an abstract name (`{app}/{node}`, \
                 the socket `@interop/{app}/{node}`)"
            )],
        );
        derived
    })
}

/// Each service has one provider: the second and later are errors.
fn check_single_providers(nodes: &[NodeEntry], problems: &mut Problems<'_>) {
    let mut providers: HashMap<&str, &NodeEntry> = HashMap::new();
    for entry in nodes {
        for service in &entry.node.provides {
            let Some(first) = providers.get(service.as_str()) else {
                providers.insert(service, entry);
                continue;
            };
            if first.node.name == entry.node.name {
                continue; // listed twice by one node: reported with the list
            }
            problems.report(
                entry.header.clone(),
                format!(
                    "`{service}` is provided by two nodes, `{}` and `{}`",
                    first.node.name, entry.node.name
                ),
                vec![
                    format!(
                        "node `{}` provides it at {}",
                        first.node.name,
                        problems.location(first.header.start)
                    ),
                    "a service has one provider: remove it from one of them".to_owned(),
                ],
            );
        }
    }
}

/// No two nodes of one host listen on one port.
fn check_unique_ports(nodes: &[NodeEntry], problems: &mut Problems<'_>) {
    let mut taken: HashMap<(&str, u16), &NodeEntry> = HashMap::new();
    for entry in nodes.iter().filter(|entry| entry.host_known) {
        let Some(port) = entry.node.port else {
            continue;
        };
        let Some(first) = taken.get(&(entry.node.host.as_str(), port)) else {
            taken.insert((&entry.node.host, port), entry);
            continue;
        };
        problems.report(
            entry.header.clone(),
            format!(
                "nodes `{}` and `{}` both listen on port {port} of host `{}`",
                first.node.name, entry.node.name, entry.node.host
            ),
            vec![
                format!(
                    "node `{}` is declared at {}",
                    first.node.name,
                    problems.location(first.header.start)
                ),
                format!("give node `{}` another port", entry.node.name),
            ],
        );
    }
}

/// No two nodes share a Unix socket (abstract names are per host, so are paths).
fn check_unique_sockets(nodes: &[NodeEntry], problems: &mut Problems<'_>) {
    let mut taken: HashMap<(&str, &SocketName), &NodeEntry> = HashMap::new();
    for entry in nodes.iter().filter(|entry| entry.host_known) {
        let key = (entry.node.host.as_str(), &entry.node.socket);
        let Some(first) = taken.get(&key) else {
            taken.insert(key, entry);
            continue;
        };
        problems.report(
            entry.header.clone(),
            format!(
                "nodes `{}` and `{}` both serve on the Unix socket `{}` of host `{}`",
                first.node.name,
                entry.node.name,
                entry.node.socket.address(),
                entry.node.host
            ),
            vec![format!(
                "give node `{}` another `socket`, or leave `socket` out to get its own",
                entry.node.name
            )],
        );
    }
}
