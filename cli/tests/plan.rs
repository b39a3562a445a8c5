//! `interopc plan` as a user runs it: the real binary on real manifest files.

mod support;

use std::path::{Path, PathBuf};

use support::{interopc, text, write_file};

/// A manifest written to a fresh folder under the target directory.
fn manifest(name: &str, contents: &str) -> PathBuf {
    write_file(name, "manifest.toml", contents)
}

#[test]
fn plan_shows_every_link_and_listener_of_the_sample() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../samples/fleet/manifest.toml");
    let output = interopc(&["plan", sample.to_str().unwrap()]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        stdout.starts_with("app `fleet`: 4 nodes on 2 hosts, 4 links\n"),
        "{stdout}"
    );
    let expected_links = [
        "  control → fleet.control.FleetControl → control\n    transport  inproc (same node)\n    \
         endpoint   inproc://fleet.control.FleetControl\n    settings   ring-slots 64, timeout \
         2s, spin 10us\n",
        "  dispatcher → fleet.control.FleetControl → control\n    transport  shm (same host \
         `alpha`)\n    endpoint   shm://fleet/control\n    settings   ring-slots 256, timeout \
         5s, spin 50us\n",
        "  recorder → fleet.control.FleetControl → control\n    transport  pipe (override at ",
        "  ui → fleet.control.FleetControl → control\n    transport  tcp (client on host `beta`, \
         provider on host `alpha`)\n    endpoint   tcp://10.0.0.1:7000\n    settings   \
         ring-slots 64, timeout 10s, spin 10us\n",
        "    endpoint   pipe://fleet/control\n",
    ];
    for expected in expected_links {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in\n{stdout}"
        );
    }
    assert!(
        stdout.contains("  control on host `alpha`\n    unix       @interop/fleet/control (shm, pipe)\n    tcp        10.0.0.1:7000\n    inproc     fleet.control.FleetControl\n    command    fleet-control --config /etc/fleet/control.toml\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  ui on host `beta`\n    listens    on nothing: it provides no service\n    command    fleet-ui\n"),
        "{stdout}"
    );
}

#[test]
fn plan_names_the_override_that_chose_a_transport() {
    let path = manifest(
        "override",
        "app = \"a\"\n[nodes.s]\nprovides = [\"p.S\"]\n[nodes.c]\nuses = [\"p.S\"]\n\
         [[link]]\nclient = \"c\"\nservice = \"p.S\"\ntransport = \"pipe\"\n\
         [nodes.idle]\nprovides = [\"p.Idle\"]\n",
    );
    let output = interopc(&["plan", path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains(&format!(
            "    transport  pipe (override at {}:6:1)\n    endpoint   pipe://a/s\n",
            path.display()
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("  idle on host `localhost`\n    listens    on nothing: no other node uses its services\n"),
        "{stdout}"
    );
}

#[test]
fn plan_reports_every_problem_with_place_and_fix() {
    let path = manifest(
        "errors",
        "app = \"fleet\"\n\n[hosts]\nalpha = \"10.0.0.1\"\nbeta = \"10.0.0.2\"\n\n\
         [nodes.control]\nhost = \"alpha\"\nprovides = [\"fleet.control.FleetControl\"]\n\n\
         [nodes.ui]\nhost = \"beta\"\nuses = [\"fleet.control.FleetControl\", \"fleet.control.Missing\"]\n\
         timeout = \"250\"\n",
    );
    let output = interopc(&["plan", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = text(&output.stderr);
    let at = |line: usize, column: usize| format!("{}:{line}:{column}: error: ", path.display());
    let expected = [
        format!(
            "{}node `control` has no `port`, but node `ui` uses its \
             `fleet.control.FleetControl` over TCP (from host `beta`)",
            at(7, 1)
        ),
        "  hint: add a free port to node `control`, e.g. `port = 7000`".to_owned(),
        format!(
            "{}node `ui` uses `fleet.control.Missing`, which no node provides",
            at(13, 39)
        ),
        "13 | uses = [".to_owned(),
        format!("{}`timeout` = \"250\" has no unit", at(14, 11)),
        "  hint: did you mean `timeout = \"250ms\"`?".to_owned(),
        "error: 3 problems found".to_owned(),
    ];
    for expected in &expected {
        assert!(
            stderr.contains(expected.as_str()),
            "missing {expected:?} in\n{stderr}"
        );
    }
}

#[test]
fn plan_says_when_the_manifest_cannot_be_read() {
    let output = interopc(&["plan", "no/such/manifest.toml"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with("no/such/manifest.toml: error: cannot read the manifest: "),
        "{stderr}"
    );
    assert!(stderr.contains("error: 1 problem found"), "{stderr}");
}

#[test]
fn plan_needs_a_manifest() {
    let output = interopc(&["plan"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("<MANIFEST>"));
}
