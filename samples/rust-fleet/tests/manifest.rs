//! Nodes of a deployment manifest find each other: the transport of each link follows the
//! placement and the overrides, and calls work over each.

mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rust_fleet::fleet::control::FleetControlClient;

/// Writes a manifest for this test run and returns its path.
fn manifest(name: &str, text: &str) -> std::path::PathBuf {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).expect("write the manifest");
    path
}

#[test]
fn each_node_reaches_the_service_over_the_transport_the_plan_chose() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let app = format!("fleet-test-{}", std::process::id());
    let path = manifest(
        "deployment.toml",
        &format!(
            r#"
app = "{app}"

[nodes.control]
provides = ["fleet.control.FleetControl"]
port = {port}

[nodes.dispatcher]
uses = ["fleet.control.FleetControl"]

[nodes.recorder]
uses = ["fleet.control.FleetControl"]

[nodes.remote]
uses = ["fleet.control.FleetControl"]

[[link]]
client = "recorder"
service = "fleet.control.FleetControl"
transport = "pipe"

[[link]]
client = "remote"
service = "fleet.control.FleetControl"
transport = "tcp"
"#
        ),
    );
    let mut server = Command::new(env!("CARGO_BIN_EXE_fleet-server"))
        .env(interop::MANIFEST_VAR, &path)
        .env(interop::NODE_VAR, "control")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start fleet-server as node `control`");
    for (node, scheme) in [
        ("dispatcher", "shm://"),
        ("recorder", "pipe://"),
        ("remote", "tcp://"),
    ] {
        let node = interop::Node::open(&path, node).unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut client = loop {
            match FleetControlClient::from_node(&node) {
                Ok(client) => break client,
                Err(error) if Instant::now() > deadline => panic!("{}: {error}", node.name()),
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        };
        assert!(
            client.0.endpoint().starts_with(scheme),
            "{}: {}",
            node.name(),
            client.0.endpoint()
        );
        assert_eq!(client.get_vehicle(4).unwrap().id, 4);
    }
    let _ = server.kill();
    let _ = server.wait();
}

#[test]
fn a_node_that_provides_and_uses_a_service_calls_it_in_process() {
    let path = manifest(
        "solo.toml",
        &format!(
            "app = \"solo-{}\"\n[nodes.solo]\nprovides = [\"fleet.control.FleetControl\"]\n\
             uses = [\"fleet.control.FleetControl\"]\n",
            std::process::id()
        ),
    );
    let mut node = interop::Node::open(&path, "solo").unwrap();
    rust_fleet::serve_fleet(node.server()).unwrap();
    let mut client = FleetControlClient::from_node(&node).unwrap();
    assert!(
        client.0.endpoint().starts_with("inproc://"),
        "{}",
        client.0.endpoint()
    );
    assert_eq!(client.get_vehicle(9).unwrap().id, 9);
}

#[test]
fn mistakes_are_explained() {
    let path = manifest(
        "broken.toml",
        "app = \"broken\"\n[nodes.ui]\nuses = [\"fleet.control.FleetControl\"]\n",
    );
    let error = interop::Node::open(&path, "ui")
        .err()
        .expect("a manifest error")
        .to_string();
    assert!(error.contains("broken.toml:3:"), "{error}");
    assert!(error.contains("which no node provides"), "{error}");

    let path = manifest(
        "one.toml",
        "app = \"one\"\n[nodes.solo]\nprovides = [\"fleet.control.FleetControl\"]\n",
    );
    let error = interop::Node::open(&path, "nobody")
        .err()
        .expect("no such node")
        .to_string();
    assert!(error.contains("no node `nobody`"), "{error}");
    let node = interop::Node::open(&path, "solo").unwrap();
    let error = FleetControlClient::from_node(&node)
        .err()
        .expect("not used")
        .to_string();
    assert!(
        error.contains("does not use `fleet.control.FleetControl`"),
        "{error}"
    );
}
