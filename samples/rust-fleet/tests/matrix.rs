//! The interop matrix: the fleet's client of every language (Rust, C, Python) against its
//! server of every language, over every transport (shared memory, a pipe, TCP), each side in
//! its own process; and each language's client against its own server in one process
//! (`inproc://`). Every pairing makes the same calls (an rpc with a reply, one answered with
//! the IDL error, one-way messages and the events they cause) and must print
//! `samples/fleet/transcript.txt` line for line.
//!
//! The C programs (`samples/c-fleet`) are compiled with gcc against the generated headers and
//! `libinterop.so`; the Python programs (`samples/python-fleet`) run under python3 with the
//! generated modules and the `interop` package of `runtime/python`.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use support::{
    free_port, library_folder, scratch_path, target_dir, unique_url, ServerProcess, Transport,
    STRICT_C,
};

/// A language the fleet's programs are written in.
#[derive(Clone, Copy, Debug)]
enum Language {
    Rust,
    C,
    Python,
}

/// The repository's root.
fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// Where build.rs generated the fleet's C headers and Python modules.
fn generated() -> PathBuf {
    Path::new(env!("OUT_DIR")).join("polyglot")
}

/// The C fleet programs, compiled once per test run: the folder holding `fleet_server` and
/// `fleet_client`.
fn c_programs() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let library = library_folder();
        let out = target_dir().join("c-fleet");
        std::fs::create_dir_all(&out).expect("a folder for the C programs");
        let sample = root().join("samples/c-fleet");
        for program in ["fleet_server", "fleet_client"] {
            let output = Command::new("gcc")
                .args(STRICT_C)
                .arg("-O2")
                .arg("-I")
                .arg(generated())
                .arg("-I")
                .arg(root().join("runtime/include"))
                .arg(sample.join(format!("{program}.c")))
                .arg(sample.join("fleet_handlers.c"))
                .arg("-L")
                .arg(&library)
                .arg("-linterop")
                .arg(format!("-Wl,-rpath,{}", library.display()))
                .arg("-o")
                .arg(out.join(program))
                .output()
                .unwrap_or_else(|error| panic!("cannot run gcc: {error}; install it"));
            assert!(
                output.status.success(),
                "gcc refuses samples/c-fleet/{program}.c:\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        out
    })
}

/// The command that runs `program` (`fleet_server` or `fleet_client`) of `language`.
fn command(language: Language, program: &str) -> Command {
    match language {
        Language::Rust => Command::new(match program {
            "fleet_server" => env!("CARGO_BIN_EXE_fleet-server"),
            _ => env!("CARGO_BIN_EXE_fleet-client"),
        }),
        Language::C => Command::new(c_programs().join(program)),
        Language::Python => {
            let mut command = Command::new("python3");
            let path = std::env::join_paths([generated(), root().join("runtime/python")])
                .expect("a PYTHONPATH");
            command
                .arg(root().join(format!("samples/python-fleet/{program}.py")))
                .env("PYTHONPATH", path)
                .env("INTEROP_LIBRARY", library_folder().join("libinterop.so"));
            command
        }
    }
}

/// Starts the fleet server of `language` on `url`.
fn server(language: Language, url: &str) -> ServerProcess {
    let mut command = command(language, "fleet_server");
    command.arg(url);
    ServerProcess::spawn(command, url)
}

/// Runs a fleet client to its end (a minute at most).
fn run_client(mut client: Command) -> Output {
    let out = scratch_path("client.out");
    let err = scratch_path("client.err");
    let mut child = client
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).expect("the client's output file"))
        .stderr(std::fs::File::create(&err).expect("the client's error file"))
        .spawn()
        .unwrap_or_else(|error| panic!("cannot start {client:?}: {error}"));
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("the client's status") {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            break child.wait().expect("the client's status");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let read = |path: &Path| {
        let bytes = std::fs::read(path).unwrap_or_default();
        std::fs::remove_file(path).ok();
        bytes
    };
    Output {
        status,
        stdout: read(&out),
        stderr: read(&err),
    }
}

/// Checks that the client of `language` (run by `client`) printed the transcript, talking to
/// the server at `url`.
fn check_transcript(
    language: Language,
    client: Command,
    url: &str,
    server: Option<&ServerProcess>,
) {
    let expected = std::fs::read_to_string(root().join("samples/fleet/transcript.txt"))
        .expect("samples/fleet/transcript.txt");
    let output = run_client(client);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let server_output = server.map(ServerProcess::output).unwrap_or_default();
    assert!(
        output.status.success() && stdout == expected,
        "the {language:?} client on {url} ({}):\n--- printed\n{stdout}--- expected\n{expected}--- \
         its errors\n{}--- the server's output\n{server_output}",
        output.status,
        String::from_utf8_lossy(&output.stderr),
    );
}

/// One cell of the matrix: `client` calls a `server` over `transport`.
fn cell(client: Language, server_language: Language, transport: Transport) {
    let url = unique_url(transport);
    let server = server(server_language, &url);
    let mut command = command(client, "fleet_client");
    command.arg(&url);
    check_transcript(client, command, &url, Some(&server));
}

/// A client that serves the fleet in its own process and calls it there.
fn in_process(language: Language) {
    let url = format!("inproc://matrix-{language:?}-{}", std::process::id());
    let mut client = command(language, "fleet_client");
    client.arg(&url);
    check_transcript(language, client, &url, None);
}

/// One test per cell, named `<client>_calls_<server>_over_<transport>`.
macro_rules! matrix {
    ($($name:ident: $client:ident -> $server:ident over $transport:ident;)*) => {
        $(
            #[test]
            fn $name() {
                cell(Language::$client, Language::$server, Transport::$transport);
            }
        )*
    };
}

matrix! {
    rust_calls_rust_over_shm: Rust -> Rust over Shm;
    rust_calls_rust_over_pipe: Rust -> Rust over Pipe;
    rust_calls_rust_over_tcp: Rust -> Rust over Tcp;
    rust_calls_c_over_shm: Rust -> C over Shm;
    rust_calls_c_over_pipe: Rust -> C over Pipe;
    rust_calls_c_over_tcp: Rust -> C over Tcp;
    rust_calls_python_over_shm: Rust -> Python over Shm;
    rust_calls_python_over_pipe: Rust -> Python over Pipe;
    rust_calls_python_over_tcp: Rust -> Python over Tcp;
    c_calls_rust_over_shm: C -> Rust over Shm;
    c_calls_rust_over_pipe: C -> Rust over Pipe;
    c_calls_rust_over_tcp: C -> Rust over Tcp;
    c_calls_c_over_shm: C -> C over Shm;
    c_calls_c_over_pipe: C -> C over Pipe;
    c_calls_c_over_tcp: C -> C over Tcp;
    c_calls_python_over_shm: C -> Python over Shm;
    c_calls_python_over_pipe: C -> Python over Pipe;
    c_calls_python_over_tcp: C -> Python over Tcp;
    python_calls_rust_over_shm: Python -> Rust over Shm;
    python_calls_rust_over_pipe: Python -> Rust over Pipe;
    python_calls_rust_over_tcp: Python -> Rust over Tcp;
    python_calls_c_over_shm: Python -> C over Shm;
    python_calls_c_over_pipe: Python -> C over Pipe;
    python_calls_c_over_tcp: Python -> C over Tcp;
    python_calls_python_over_shm: Python -> Python over Shm;
    python_calls_python_over_pipe: Python -> Python over Pipe;
    python_calls_python_over_tcp: Python -> Python over Tcp;
}

#[test]
fn rust_calls_rust_in_process() {
    in_process(Language::Rust);
}

#[test]
fn c_calls_c_in_process() {
    in_process(Language::C);
}

#[test]
fn python_calls_python_in_process() {
    in_process(Language::Python);
}

/// Clients of every language placed by a deployment manifest: each connects as its node, over
/// the transport the manifest gives its link (shared memory by placement, a pipe and TCP by
/// override), to a Rust server started as the node that provides the service.
#[test]
fn every_language_connects_as_a_node_of_a_manifest() {
    let port = free_port();
    let mut manifest = format!(
        "app = \"matrix-{}\"\n\n[nodes.control]\nprovides = [\"fleet.control.FleetControl\"]\n\
         port = {port}\n",
        std::process::id()
    );
    let clients: Vec<(Language, &str, String)> = [Language::Rust, Language::C, Language::Python]
        .into_iter()
        .flat_map(|language| {
            ["shm", "pipe", "tcp"]
                .map(|transport| (language, transport, format!("{language:?}-{transport}")))
        })
        .collect();
    for (_, transport, node) in &clients {
        manifest += &format!("\n[nodes.{node}]\nuses = [\"fleet.control.FleetControl\"]\n");
        if *transport != "shm" {
            manifest += &format!(
                "\n[[link]]\nclient = \"{node}\"\nservice = \"fleet.control.FleetControl\"\n\
                 transport = \"{transport}\"\n"
            );
        }
    }
    let path = scratch_path("manifest.toml");
    std::fs::write(&path, manifest).expect("write the manifest");
    let mut command = command(Language::Rust, "fleet_server");
    command
        .env(interop::MANIFEST_VAR, &path)
        .env(interop::NODE_VAR, "control");
    let server = ServerProcess::spawn(command, &format!("tcp://127.0.0.1:{port}"));
    for (language, _, node) in &clients {
        let mut client = self::command(*language, "fleet_client");
        client
            .env(interop::MANIFEST_VAR, &path)
            .env(interop::NODE_VAR, node);
        check_transcript(*language, client, &format!("node {node}"), Some(&server));
    }
    std::fs::remove_file(&path).ok();
}
