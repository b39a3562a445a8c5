//! Manifests end to end: text in, plan or located problems out.

use std::time::Duration;

use super::*;
use crate::endpoint::{Endpoint, SocketName, TcpAddress, Transport};

/// Three nodes: `control` serves and uses FleetControl, `dashboard` shares its host, `ui` is on
/// another host.
const FLEET: &str = r#"app = "fleet"

[hosts]
alpha = "10.0.0.1"
beta = "fd00::2"

[nodes.control]
host = "alpha"
provides = ["fleet.control.FleetControl"]
uses = ["fleet.control.FleetControl"]
port = 7000

[nodes.dashboard]
host = "alpha"
uses = ["fleet.control.FleetControl"]

[nodes.ui]
host = "beta"
uses = ["fleet.control.FleetControl"]
"#;

const SERVICE: &str = "fleet.control.FleetControl";

fn manifest(text: &str) -> Manifest {
    Manifest::parse(text, "manifest.toml").unwrap_or_else(|error| panic!("{error}"))
}

fn link<'p>(plan: &'p Plan, client: &'p str) -> &'p Link {
    let mut links = plan.links_from(client);
    let link = links.next().expect("a link");
    assert!(links.next().is_none(), "one link from {client}");
    link
}

/// The problems of a manifest that must fail: (line, column, message).
fn problems(text: &str) -> Vec<(usize, usize, String)> {
    let error = Manifest::parse(text, "manifest.toml").expect_err("the manifest is refused");
    error
        .problems()
        .iter()
        .map(|problem| {
            let position = problem.position.expect("a position");
            (position.line, position.column, problem.message.clone())
        })
        .collect()
}

/// The one problem of a manifest that must fail.
fn problem(text: &str) -> Problem {
    let error = Manifest::parse(text, "manifest.toml").expect_err("the manifest is refused");
    assert_eq!(error.problems().len(), 1, "{error}");
    error.problems()[0].clone()
}

fn assert_problem(text: &str, line: usize, column: usize, message: &str, hint: &str) {
    let problem = problem(text);
    assert_eq!(
        problem.position,
        Some(Position { line, column }),
        "{problem}"
    );
    assert_eq!(problem.message, message, "{problem}");
    assert!(
        problem.hints.iter().any(|h| h.contains(hint)),
        "hint `{hint}` missing: {problem}"
    );
}

fn tcp(host: &str, port: u16) -> Endpoint {
    Endpoint::Tcp(TcpAddress {
        host: host.to_owned(),
        port,
    })
}

fn socket(name: &str) -> SocketName {
    SocketName::Abstract(name.to_owned())
}

#[test]
fn placement_chooses_the_transport() {
    let manifest = manifest(FLEET);
    let plan = manifest.plan();
    assert_eq!(plan.links.len(), 3);

    let own = link(plan, "control");
    assert_eq!(own.provider, "control");
    assert_eq!(own.service, SERVICE);
    assert_eq!(own.transport, Transport::Inproc);
    assert_eq!(own.reason, Reason::SameNode);
    assert_eq!(own.endpoint, Endpoint::Inproc(SERVICE.to_owned()));

    let local = link(plan, "dashboard");
    assert_eq!(local.transport, Transport::Shm);
    assert_eq!(local.reason, Reason::SameHost("alpha".to_owned()));
    assert_eq!(local.reason.to_string(), "same host `alpha`");
    assert_eq!(local.endpoint, Endpoint::Shm(socket("fleet/control")));
    assert_eq!(local.endpoint.to_string(), "shm://fleet/control");

    let remote = link(plan, "ui");
    assert_eq!(remote.transport, Transport::Tcp);
    assert_eq!(
        remote.reason.to_string(),
        "client on host `beta`, provider on host `alpha`"
    );
    assert_eq!(remote.endpoint, tcp("10.0.0.1", 7000));
    assert_eq!(remote.settings, Settings::default());
}

#[test]
fn nodes_listen_only_where_their_clients_reach_them() {
    let manifest = manifest(FLEET);
    let control = manifest.plan().node("control").unwrap();
    assert_eq!(control.host, "alpha");
    assert_eq!(control.unix, Some(socket("fleet/control")));
    assert_eq!(
        control.tcp,
        Some(TcpAddress {
            host: "10.0.0.1".to_owned(),
            port: 7000
        })
    );
    assert_eq!(control.inproc, vec![SERVICE.to_owned()]);
    let ui = manifest.plan().node("ui").unwrap();
    assert_eq!((&ui.unix, &ui.tcp), (&None, &None));
    assert!(ui.inproc.is_empty());
    assert_eq!(manifest.plan().links_to("control").count(), 3);
    assert_eq!(manifest.plan().links_to("ui").count(), 0);
}

#[test]
fn the_manifest_keeps_hosts_and_nodes_in_file_order() {
    let manifest = manifest(FLEET);
    assert_eq!(manifest.app(), "fleet");
    assert_eq!(manifest.path(), std::path::Path::new("manifest.toml"));
    let names: Vec<&str> = manifest.nodes().iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["control", "dashboard", "ui"]);
    let hosts: Vec<&str> = manifest.hosts().iter().map(|h| h.name.as_str()).collect();
    assert_eq!(hosts, ["alpha", "beta"]);
    assert_eq!(manifest.host("beta").unwrap().address, "fd00::2");
    let control = manifest.node("control").unwrap();
    assert_eq!(control.port, Some(7000));
    assert_eq!(control.command, None);
    assert_eq!(control.socket, socket("fleet/control"));
}

#[test]
fn tcp_to_an_ipv6_host_is_bracketed() {
    let text = FLEET.replace(
        "[nodes.ui]\nhost = \"beta\"\nuses = [\"fleet.control.FleetControl\"]\n",
        "[nodes.ui]\nhost = \"beta\"\nprovides = [\"fleet.ui.Screen\"]\nport = 7100\n\
         [nodes.wall]\nhost = \"alpha\"\nuses = [\"fleet.ui.Screen\"]\n",
    );
    let manifest = manifest(&text);
    let wall = link(manifest.plan(), "wall");
    assert_eq!(wall.endpoint.to_string(), "tcp://[fd00::2]:7100");
}

#[test]
fn overrides_win_within_what_the_placement_allows() {
    let text = format!(
        "{FLEET}
[[link]]
client = \"dashboard\"
service = \"fleet.control.FleetControl\"
transport = \"pipe\"

[[link]]
client = \"control\"
service = \"fleet.control.FleetControl\"
transport = \"tcp\"
"
    );
    let manifest = manifest(&text);
    let plan = manifest.plan();
    let dashboard = link(plan, "dashboard");
    assert_eq!(dashboard.transport, Transport::Pipe);
    assert_eq!(dashboard.endpoint.to_string(), "pipe://fleet/control");
    assert_eq!(
        dashboard.reason.to_string(),
        "override at manifest.toml:21:1"
    );
    let own = link(plan, "control");
    assert_eq!(own.transport, Transport::Tcp);
    assert_eq!(own.endpoint, tcp("10.0.0.1", 7000));
    match &own.reason {
        Reason::Override(location) => {
            assert_eq!(
                location.position,
                Position {
                    line: 26,
                    column: 1
                }
            )
        }
        other => panic!("{other:?}"),
    }
    let control = plan.node("control").unwrap();
    assert!(control.inproc.is_empty());
    assert!(control.unix.is_some(), "the pipe client");
}

#[test]
fn shm_and_pipe_may_link_a_node_to_itself() {
    let text = format!(
        "{FLEET}
[[link]]
client = \"control\"
service = \"fleet.control.FleetControl\"
transport = \"shm\"
"
    );
    let manifest = manifest(&text);
    assert_eq!(
        link(manifest.plan(), "control").endpoint,
        Endpoint::Shm(socket("fleet/control"))
    );
}

#[test]
fn settings_layer_defaults_node_and_link() {
    let text = r#"app = "fleet"

[defaults]
ring-slots = 128
timeout = "250ms"

[nodes.control]
provides = ["fleet.control.FleetControl"]
spin = "0us"

[nodes.ui]
uses = ["fleet.control.FleetControl", "fleet.control.Other"]
timeout = "1.5s"
spin = "20us"

[nodes.other]
provides = ["fleet.control.Other"]

[[link]]
client = "ui"
service = "fleet.control.Other"
ring-slots = 1024
"#;
    let manifest = manifest(text);
    assert_eq!(
        manifest.defaults(),
        Settings {
            ring_slots: 128,
            timeout: Duration::from_millis(250),
            spin: DEFAULT_SPIN,
        }
    );
    assert_eq!(
        manifest.node("control").unwrap().settings,
        Settings {
            ring_slots: 128,
            timeout: Duration::from_millis(250),
            spin: Duration::ZERO,
        }
    );
    let links: Vec<&Link> = manifest.plan().links_from("ui").collect();
    let ui = Settings {
        ring_slots: 128,
        timeout: Duration::from_millis(1500),
        spin: Duration::from_micros(20),
    };
    assert_eq!(links[0].settings, ui);
    assert_eq!(
        links[1].settings,
        Settings {
            ring_slots: 1024,
            ..ui
        }
    );
    assert_eq!(links[1].reason, Reason::SameHost("localhost".to_owned()));
    assert_eq!(
        links[1].settings.to_string(),
        "ring-slots 1024, timeout 1500ms, spin 20us"
    );
}

#[test]
fn built_in_defaults() {
    assert_eq!(
        Settings::default(),
        Settings {
            ring_slots: 64,
            timeout: Duration::from_secs(5),
            spin: Duration::from_micros(10),
        }
    );
}

#[test]
fn without_hosts_every_node_is_on_localhost() {
    let manifest =
        manifest("app = \"a\"\n[nodes.s]\nprovides = [\"p.S\"]\n[nodes.c]\nuses = [\"p.S\"]\n");
    assert_eq!(manifest.hosts()[0].name, "localhost");
    assert_eq!(manifest.hosts()[0].address, "127.0.0.1");
    assert_eq!(link(manifest.plan(), "c").transport, Transport::Shm);
}

#[test]
fn with_one_host_nodes_need_not_name_it() {
    let manifest = manifest(
        "app = \"a\"\n[hosts]\nbox = \"box.example.net\"\n[nodes.s]\nprovides = [\"p.S\"]\n",
    );
    assert_eq!(manifest.node("s").unwrap().host, "box");
    assert!(manifest.plan().links.is_empty());
}

#[test]
fn commands_and_sockets_are_kept() {
    let manifest = manifest(
        "app = \"a\"\n[nodes.s]\nprovides = [\"p.S\"]\ncommand = [\"server\", \"--fast\"]\n\
         socket = \"/run/a/s.sock\"\n[nodes.c]\nuses = [\"p.S\"]\n",
    );
    let server = manifest.node("s").unwrap();
    assert_eq!(
        server.command,
        Some(vec!["server".to_owned(), "--fast".to_owned()])
    );
    assert_eq!(server.socket, SocketName::Path("/run/a/s.sock".into()));
    assert_eq!(
        link(manifest.plan(), "c").endpoint.to_string(),
        "shm:///run/a/s.sock"
    );
}

#[test]
fn an_unprovided_service_names_the_user_and_the_providers() {
    let text = "app = \"a\"\n[nodes.control]\nprovides = [\"fleet.control.FleetControl\"]\n\
                [nodes.ui]\nuses = [\"fleet.control.FleetControll\"]\n";
    assert_problem(
        text,
        5,
        9,
        "node `ui` uses `fleet.control.FleetControll`, which no node provides",
        "provided services: `fleet.control.FleetControl` (node `control`)",
    );
    assert_problem(
        text,
        5,
        9,
        "node `ui` uses `fleet.control.FleetControll`, which no node provides",
        "add `\"fleet.control.FleetControll\"` to `provides` of the node that serves it",
    );
}

#[test]
fn a_service_has_one_provider() {
    let text =
        "app = \"a\"\n[nodes.one]\nprovides = [\"p.S\"]\n\n[nodes.two]\nprovides = [\"p.S\"]\n";
    assert_problem(
        text,
        5,
        1,
        "`p.S` is provided by two nodes, `one` and `two`",
        "node `one` provides it at manifest.toml:2:1",
    );
}

#[test]
fn service_names_are_package_dot_service() {
    for (name, column) in [
        ("FleetControl", 13),
        ("Fleet.Control", 13),
        ("fleet.", 13),
        (".Control", 13),
        ("fleet..Control", 13),
        ("fleet.control.Fleet-Control", 13),
    ] {
        let text = format!("app = \"a\"\n[nodes.s]\nprovides = [\"{name}\"]\n");
        assert_problem(
            &text,
            3,
            column,
            &format!("`{name}` is not a qualified service name (`package.Service`)"),
            "`fleet.control.FleetControl`",
        );
    }
    assert!(resolve::is_service_name("fleet.control.FleetControl"));
    assert!(resolve::is_service_name("p2.s_1._Thing9"));
}

#[test]
fn a_service_listed_twice_is_reported_once() {
    let text = "app = \"a\"\n[nodes.s]\nprovides = [\"p.S\", \"p.S\"]\n";
    assert_problem(
        text,
        3,
        20,
        "node `s` lists `p.S` twice in `provides`",
        "the first is at manifest.toml:3:13",
    );
}

#[test]
fn unknown_and_missing_hosts() {
    let text = "app = \"a\"\n[hosts]\nalpha = \"10.0.0.1\"\nbeta = \"10.0.0.2\"\n\
                [nodes.s]\nhost = \"gamma\"\n[nodes.t]\nport = 1\n";
    let found = problems(text);
    assert_eq!(
        found,
        [
            (
                6,
                8,
                "node `s` runs on host `gamma`, which is not declared".to_owned()
            ),
            (
                7,
                1,
                "node `t` has no `host`, and the manifest declares 2 hosts".to_owned()
            ),
        ]
    );
    assert_problem(
        "app = \"a\"\n[hosts]\nalpha = \"10.0.0.1\"\n[nodes.s]\nhost = \"gamma\"\n",
        5,
        8,
        "node `s` runs on host `gamma`, which is not declared",
        "declare it under `[hosts]`: `gamma = \"ADDRESS\"`",
    );
}

#[test]
fn host_addresses_are_checked() {
    assert_problem(
        "app = \"a\"\n[hosts]\nalpha = \"10.0.0.300\"\n[nodes.s]\n",
        3,
        9,
        "host `alpha` has the address `10.0.0.300`, which is not an IPv4 address, an IPv6 \
         address or a host name",
        "no brackets",
    );
    assert!(!problems("app = \"a\"\n[hosts]\nalpha = \"[::1]\"\n[nodes.s]\n").is_empty());
}

#[test]
fn names_must_fit_in_socket_names() {
    assert_problem(
        "app = \"my app\"\n[nodes.s]\n",
        1,
        7,
        "the application's name `my app` is not a plain name",
        "ASCII letters, digits",
    );
    assert_problem(
        "app = \"a\"\n[nodes.\"s/t\"]\n",
        2,
        8,
        "a node's name `s/t` is not a plain name",
        "ASCII letters, digits",
    );
}

#[test]
fn a_manifest_without_nodes_is_refused() {
    assert_problem(
        "app = \"a\"\n",
        1,
        1,
        "the manifest declares no node",
        "[nodes.NAME]",
    );
}

#[test]
fn a_cross_host_link_needs_a_port() {
    let text = FLEET.replace("port = 7000\n", "");
    assert_problem(
        &text,
        7,
        1,
        "node `control` has no `port`, but node `ui` uses its `fleet.control.FleetControl` over \
         TCP (from host `beta`)",
        "add a free port to node `control`, e.g. `port = 7000`",
    );
}

#[test]
fn a_tcp_override_needs_a_port() {
    let text = "app = \"a\"\n[nodes.s]\nprovides = [\"p.S\"]\n[nodes.c]\nuses = [\"p.S\"]\n\
                [[link]]\nclient = \"c\"\nservice = \"p.S\"\ntransport = \"tcp\"\n";
    assert_problem(
        text,
        2,
        1,
        "node `s` has no `port`, but node `c` uses its `p.S` over TCP (as the override at \
         manifest.toml:6:1 asks)",
        "e.g. `port = 7000`",
    );
}

#[test]
fn ports_are_unique_per_host() {
    let text = "app = \"a\"\n[hosts]\nalpha = \"10.0.0.1\"\nbeta = \"10.0.0.2\"\n\
                [nodes.one]\nhost = \"alpha\"\nport = 7000\n\
                [nodes.two]\nhost = \"beta\"\nport = 7000\n\
                [nodes.three]\nhost = \"alpha\"\nport = 7000\n";
    assert_problem(
        text,
        11,
        1,
        "nodes `one` and `three` both listen on port 7000 of host `alpha`",
        "node `one` is declared at manifest.toml:5:1",
    );
}

#[test]
fn ports_are_tcp_ports() {
    assert_problem(
        "app = \"a\"\n[nodes.s]\nport = 0\n",
        3,
        8,
        "node `s` has port 0, but its clients need a fixed port",
        "from 1 to 65535",
    );
    assert_problem(
        "app = \"a\"\n[nodes.s]\nport = 70000\n",
        3,
        8,
        "node `s` has port 70000, which is not a TCP port",
        "from 1 to 65535",
    );
}

#[test]
fn commands_need_a_program() {
    for command in ["[]", "[\"\", \"-v\"]"] {
        assert_problem(
            &format!("app = \"a\"\n[nodes.s]\ncommand = {command}\n"),
            3,
            11,
            "node `s` has a `command` without a program",
            "command = [\"fleet-control\", \"--verbose\"]",
        );
    }
}

#[test]
fn sockets_are_checked_and_unique() {
    let problem = problem("app = \"a\"\n[nodes.s]\nsocket = \"\"\n");
    assert_eq!(
        problem.position,
        Some(Position {
            line: 3,
            column: 10
        })
    );
    assert!(problem
        .message
        .starts_with("node `s` has an invalid `socket`"));
    assert_problem(
        "app = \"a\"\n[nodes.s]\nsocket = \"/run/x.sock\"\n[nodes.t]\nsocket = \"/run/x.sock\"\n",
        4,
        1,
        "nodes `s` and `t` both serve on the Unix socket `/run/x.sock` of host `localhost`",
        "give node `t` another `socket`",
    );
}

#[test]
fn ring_slots_and_durations_are_checked() {
    let text = r#"app = "a"
[defaults]
ring-slots = 0
timeout = "250"
spin = "fast"
[nodes.s]
ring-slots = -1
timeout = "0s"
spin = "1.5ns"
"#;
    assert_eq!(
        problems(text),
        [
            (
                3,
                14,
                "`ring-slots` is 0, but a ring needs at least one slot".to_owned()
            ),
            (4, 11, "`timeout` = \"250\" has no unit".to_owned()),
            (5, 8, "`spin` = \"fast\" is not a duration".to_owned()),
            (
                7,
                14,
                "`ring-slots` is -1, which is not a number of slots".to_owned()
            ),
            (
                8,
                11,
                "`timeout` is zero, so every call would fail at once".to_owned()
            ),
            (
                9,
                8,
                "`spin` = \"1.5ns\" is finer than a nanosecond".to_owned()
            ),
        ]
    );
    assert_problem(
        "app = \"a\"\n[defaults]\ntimeout = \"250\"\n[nodes.s]\n",
        3,
        11,
        "`timeout` = \"250\" has no unit",
        "did you mean `timeout = \"250ms\"`?",
    );
}

#[test]
fn overrides_must_name_a_declared_client_and_a_used_service() {
    let base = "app = \"a\"\n[nodes.s]\nprovides = [\"p.S\"]\n[nodes.c]\nuses = [\"p.S\"]\n";
    assert_problem(
        &format!("{base}[[link]]\nclient = \"x\"\nservice = \"p.S\"\ntransport = \"pipe\"\n"),
        7,
        10,
        "`[[link]]` names node `x`, which is not declared",
        "declared nodes: `s`, `c`",
    );
    assert_problem(
        &format!("{base}[[link]]\nclient = \"s\"\nservice = \"p.S\"\ntransport = \"pipe\"\n"),
        8,
        11,
        "node `s` does not use `p.S`, so there is no link to override",
        "add it to `uses` of node `s`",
    );
    assert_problem(
        &format!("{base}[[link]]\nclient = \"c\"\nservice = \"S\"\ntransport = \"pipe\"\n"),
        8,
        11,
        "`S` is not a qualified service name (`package.Service`)",
        "package",
    );
    assert_problem(
        &format!("{base}[[link]]\nclient = \"c\"\nservice = \"p.S\"\ntransport = \"udp\"\n"),
        9,
        13,
        "unknown transport `udp`",
        "write one of `inproc`, `shm`, `pipe`, `tcp`",
    );
    assert_problem(
        &format!("{base}[[link]]\nclient = \"c\"\nservice = \"p.S\"\n"),
        6,
        1,
        "this `[[link]]` changes nothing",
        "set `transport`",
    );
    assert_problem(
        &format!(
            "{base}[[link]]\nclient = \"c\"\nservice = \"p.S\"\ntransport = \"pipe\"\n\
             [[link]]\nclient = \"c\"\nservice = \"p.S\"\nspin = \"0us\"\n"
        ),
        10,
        1,
        "a second `[[link]]` for node `c` and `p.S`",
        "merge it into the first, at manifest.toml:6:1",
    );
}

#[test]
fn overrides_must_fit_the_placement() {
    let override_for = |client: &str, transport: &str| {
        format!(
            "{FLEET}\n[[link]]\nclient = \"{client}\"\nservice = \"{SERVICE}\"\ntransport = \
             \"{transport}\"\n"
        )
    };
    assert_problem(
        &override_for("dashboard", "inproc"),
        24,
        13,
        "`inproc` works only when client and provider are one node, but node `control` is \
         another process",
        "this link can use `shm`, `pipe`, `tcp`",
    );
    assert_problem(
        &override_for("ui", "inproc"),
        24,
        13,
        "`inproc` works only when client and provider are one node, but node `ui` is on host \
         `beta`, node `control` on host `alpha`",
        "this link can use `tcp`",
    );
    for transport in ["shm", "pipe"] {
        assert_problem(
            &override_for("ui", transport),
            24,
            13,
            &format!(
                "`{transport}` works only when client and provider share a host, but node `ui` \
                 is on host `beta`, node `control` on host `alpha`"
            ),
            "or remove `transport` to let the placement choose",
        );
    }
}

#[test]
fn every_problem_is_reported_at_once_in_file_order() {
    let text = r#"app = "fleet"

[hosts]
alpha = "10.0.0.1"

[nodes.control]
host = "alpha"
provides = ["FleetControl"]
ring-slots = 0

[nodes.ui]
host = "beta"
uses = ["fleet.control.Missing"]
timeout = "soon"
"#;
    let found: Vec<(usize, usize)> = problems(text)
        .into_iter()
        .map(|(line, column, _)| (line, column))
        .collect();
    assert_eq!(found, [(8, 13), (9, 14), (12, 8), (13, 9), (14, 11)]);
}

#[test]
fn toml_errors_are_located() {
    assert_problem(
        "app = \"a\"\n[nodes.s]\nprovide = [\"p.S\"]\n",
        3,
        1,
        "unknown field `provide`, expected one of `host`, `provides`, `uses`, `command`, \
         `port`, `socket`, `ring-slots`, `timeout`, `spin`",
        "docs/MANIFEST.md",
    );
    assert_problem(
        "[nodes.s]\nport = 1\n",
        1,
        1,
        "missing field `app`",
        "`app = \"fleet\"`",
    );
    assert_problem(
        "app = \"a\"\n[nodes.s]\nport = \"7000\"\n",
        3,
        8,
        "invalid type: string \"7000\", expected i64",
        "docs/MANIFEST.md",
    );
    let syntax = problem("app = \"a\"\n[nodes.s\n");
    assert_eq!(syntax.position.map(|p| p.line), Some(2));
}

#[test]
fn problems_display_like_a_compiler() {
    let text = "app = \"a\"\n[nodes.ui]\nuses = [\"p.Missing\"]\n";
    let error = Manifest::parse(text, "deploy/manifest.toml").unwrap_err();
    assert_eq!(
        error.to_string(),
        "deploy/manifest.toml:3:9: error: node `ui` uses `p.Missing`, which no node provides
  |
3 | uses = [\"p.Missing\"]
  |         ^^^^^^^^^^^
  hint: add `\"p.Missing\"` to `provides` of the node that serves it
"
    );
    let problem = &error.problems()[0];
    assert_eq!(problem.path, std::path::Path::new("deploy/manifest.toml"));
    assert_eq!(problem.width, 11);
}

#[test]
fn load_reads_a_file_and_says_when_it_cannot() {
    let folder = std::env::temp_dir().join(format!("interop-manifest-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join("manifest.toml");
    std::fs::write(&path, FLEET).unwrap();
    let loaded = Manifest::load(&path).unwrap();
    assert_eq!(loaded.path(), path);
    assert_eq!(loaded.plan(), manifest(FLEET).plan());

    let missing = folder.join("missing.toml");
    let error = Manifest::load(&missing).unwrap_err();
    let problem = &error.problems()[0];
    assert_eq!(problem.position, None);
    assert!(error.to_string().starts_with(&format!(
        "{}: error: cannot read the manifest: ",
        missing.display()
    )));
    std::fs::remove_dir_all(&folder).unwrap();
}
