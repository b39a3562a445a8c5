//! `interopc plan`: how the nodes of a deployment manifest reach each other.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use interop::manifest::{Link, Manifest, NodePlan};

/// Check a deployment manifest and show its plan: for every node and service it uses, the
/// provider, the transport and why, the endpoint and the settings; then what each node
/// listens on.
///
/// Exits with 0 when the manifest is valid and 1, after every problem found, when it is not.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  interopc plan samples/fleet/manifest.toml")]
pub struct Args {
    /// The manifest (TOML; docs/MANIFEST.md describes it).
    #[arg(value_name = "MANIFEST")]
    manifest: PathBuf,
}

/// Runs the command.
pub fn run(args: Args) -> ExitCode {
    match Manifest::load(&args.manifest) {
        Ok(manifest) => {
            print!("{}", render(&manifest));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprint!("{error}");
            let count = error.problems().len();
            eprintln!(
                "error: {count} problem{} found",
                if count == 1 { "" } else { "s" }
            );
            ExitCode::FAILURE
        }
    }
}

/// `count` of `noun`, with the plural as needed: `1 host`, `2 hosts`.
fn counted(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// The plan as people read it.
fn render(manifest: &Manifest) -> String {
    let plan = manifest.plan();
    let mut out = format!(
        "app `{}`: {} on {}, {}\n",
        manifest.app(),
        counted(manifest.nodes().len(), "node"),
        counted(manifest.hosts().len(), "host"),
        counted(plan.links.len(), "link")
    );
    out.push_str("\nlinks:\n");
    if plan.links.is_empty() {
        out.push_str("  none: no node uses a service\n");
    }
    for link in &plan.links {
        out.push_str(&link_block(link));
    }
    out.push_str("\nnodes:\n");
    for node in &plan.nodes {
        out.push_str(&node_block(manifest, node));
    }
    out
}

fn link_block(link: &Link) -> String {
    format!(
        "  {} → {} → {}\n    transport  {} ({})\n    endpoint   {}\n    settings   {}\n",
        link.client,
        link.service,
        link.provider,
        link.transport,
        link.reason,
        link.endpoint,
        link.settings
    )
}

fn node_block(manifest: &Manifest, plan: &NodePlan) -> String {
    let mut out = format!("  {} on host `{}`\n", plan.name, plan.host);
    let mut row = |label: &str, value: &str| {
        writeln!(out, "    {label:<11}{value}").expect("writing to a String");
    };
    if let Some(socket) = &plan.unix {
        row("unix", &format!("{} (shm, pipe)", socket.address()));
    }
    if let Some(address) = &plan.tcp {
        row("tcp", &address.to_string());
    }
    let node = manifest.node(&plan.name);
    if plan.unix.is_none() && plan.tcp.is_none() {
        let provides_nothing = node.is_some_and(|node| node.provides.is_empty());
        row(
            "listens",
            if provides_nothing {
                "on nothing: it provides no service"
            } else {
                "on nothing: no other node uses its services"
            },
        );
    }
    if !plan.inproc.is_empty() {
        row("inproc", &plan.inproc.join(", "));
    }
    if let Some(node) = node {
        if let Some(command) = &node.command {
            row("command", &command.join(" "));
        }
        row("settings", &node.settings.to_string());
    }
    out
}
