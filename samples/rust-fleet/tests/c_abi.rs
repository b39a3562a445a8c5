//! The runtime's C ABI between real processes: a C client (tests/c/fleet_client.c) calls the
//! Rust `fleet-server` over pipe, shm and tcp, and a C server (tests/c/fleet_server.c) serves
//! Rust clients. Both are compiled with gcc against `runtime/include/interop.h` and linked
//! with `libinterop.so`; the fleet's description is written for them from the generated Rust.

mod support;

use std::io::{BufRead, BufReader};
use std::mem::offset_of;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use interop::service::MethodKind;
use interop::validate::Described;
use interop::CallError;
use rust_fleet::fleet::control::{
    Fault, FleetControlClient, FleetControlGetVehicleReply, FleetControlGetVehicleRequest, Vehicle,
    DESCRIPTOR, FLEET_CONTROL,
};
use support::{library_folder, target_dir, unique_url, ServerProcess, Transport, STRICT_C};

/// The fleet service as generated C would describe it: `FLEET_CONTROL`, a `FLEET_<METHOD>`
/// index per method, and the offsets of the fields the programs read and write.
fn fleet_header() -> String {
    let mut c =
        String::from("#include <stddef.h>\n#include <stdint.h>\n#include \"interop.h\"\n\n");
    let offsets = [
        (
            "REQUEST_ID_OFFSET",
            offset_of!(FleetControlGetVehicleRequest, id),
        ),
        (
            "REPLY_RESULT_OFFSET",
            offset_of!(FleetControlGetVehicleReply, result),
        ),
        (
            "REPLY_SIZE",
            std::mem::size_of::<FleetControlGetVehicleReply>(),
        ),
        ("VEHICLE_ID_OFFSET", offset_of!(Vehicle, id)),
        ("VEHICLE_KIND_OFFSET", offset_of!(Vehicle, kind)),
        ("VEHICLE_CHARGE_OFFSET", offset_of!(Vehicle, charge)),
        (
            "VEHICLE_ODOMETER_KM_OFFSET",
            offset_of!(Vehicle, odometer_km),
        ),
    ];
    for (name, value) in offsets {
        c += &format!("#define {name} {value}\n");
    }
    c += &format!(
        "#define FLEET_METHOD_COUNT {}\n",
        FLEET_CONTROL.methods.len()
    );
    for (index, method) in FLEET_CONTROL.methods.iter().enumerate() {
        c += &format!("#define FLEET_{} {index}\n", method.name.to_uppercase());
    }
    c += "\nstatic const uint8_t FLEET_DESCRIPTOR[] = {";
    for (index, byte) in DESCRIPTOR.iter().enumerate() {
        if index % 16 == 0 {
            c += "\n   ";
        }
        c += &format!(" {byte},");
    }
    c += "\n};\n\nstatic const interop_method FLEET_METHODS[] = {\n";
    let record = |record: Option<u32>| record.map_or(-1, i64::from);
    for method in FLEET_CONTROL.methods {
        let kind = match method.kind {
            MethodKind::Rpc => "INTEROP_METHOD_RPC",
            MethodKind::Oneway => "INTEROP_METHOD_ONEWAY",
            MethodKind::Event => "INTEROP_METHOD_EVENT",
        };
        // The schema declares `error Fault` on these two.
        let error = matches!(method.name, "get_vehicle" | "dispatch")
            .then_some(<Fault as Described>::DESCRIPTOR_INDEX);
        let fingerprint: Vec<String> = method.fingerprint.iter().map(u8::to_string).collect();
        c += &format!(
            "    {{\"{}\", \"{}\", {kind}, {}u, {{{}}}, {}, {}, {}}},\n",
            method.qualified_name,
            method.name,
            method.id,
            fingerprint.join(", "),
            record(method.params),
            record(method.results),
            record(error),
        );
    }
    c += &format!(
        "}};\n\nstatic const interop_service FLEET_CONTROL = {{\"{}\", FLEET_METHODS, \
         FLEET_METHOD_COUNT, FLEET_DESCRIPTOR, sizeof FLEET_DESCRIPTOR}};\n",
        FLEET_CONTROL.qualified_name
    );
    c
}

/// A compiled C program, whose folder is removed when dropped.
struct Program {
    folder: PathBuf,
    exe: PathBuf,
}

impl Drop for Program {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.folder).ok();
    }
}

/// Compiles `tests/c/{name}.c` against the header and `libinterop.so`.
fn compile(name: &str) -> Program {
    let target = target_dir();
    let library = library_folder();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    // One folder per compilation: tests run in parallel.
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let out = target.join(format!("c-abi-test-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&out).expect("a folder for the C programs");
    std::fs::write(out.join("fleet_control.h"), fleet_header()).expect("write fleet_control.h");
    let exe = out.join(name);
    let output = Command::new("gcc")
        .args(STRICT_C)
        .arg("-D_POSIX_C_SOURCE=200809L")
        .arg("-I")
        .arg(manifest.join("../../runtime/include"))
        .arg("-I")
        .arg(&out)
        .arg(manifest.join(format!("tests/c/{name}.c")))
        .arg("-o")
        .arg(&exe)
        .arg("-L")
        .arg(&library)
        .arg(format!("-Wl,-rpath,{}", library.display()))
        .args(["-linterop", "-lpthread"])
        .output()
        .unwrap_or_else(|error| panic!("cannot run gcc: {error}; install it"));
    assert!(
        output.status.success(),
        "gcc refuses tests/c/{name}.c:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Program { folder: out, exe }
}

/// Runs the C client against a Rust fleet-server on `transport`; its output.
fn run_c_client(transport: Transport) -> String {
    let client = compile("fleet_client");
    let server = ServerProcess::start(&unique_url(transport));
    let output = Command::new(&client.exe)
        .arg(&server.url)
        .output()
        .expect("run the C client");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "the C client failed on {}:\n{stdout}\n{}",
        server.url,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn line<'a>(output: &'a str, step: &str) -> &'a str {
    output
        .lines()
        .find(|line| line.starts_with(&format!("{step}:")))
        .unwrap_or_else(|| panic!("no line `{step}:` in the C client's output:\n{output}"))
}

fn check_c_client(transport: Transport) {
    let output = run_c_client(transport);
    let size = std::mem::size_of::<FleetControlGetVehicleReply>();
    assert_eq!(
        line(&output, "loaned get_vehicle"),
        format!("loaned get_vehicle: len={size} id=7 kind=1 charge=80 odometer_km=7000")
    );
    assert_eq!(
        line(&output, "copied get_vehicle"),
        format!("copied get_vehicle: len={size} id=8 kind=2 charge=80 odometer_km=8000")
    );
    assert_eq!(
        line(&output, "loaned unknown vehicle"),
        "loaned unknown vehicle: INTEROP_REMOTE_ERROR fault=1 len=2"
    );
    assert_eq!(
        line(&output, "copied unknown vehicle"),
        "copied unknown vehicle: INTEROP_REMOTE_ERROR fault=1 len=2"
    );
    assert_eq!(line(&output, "ping"), "ping: INTEROP_OK len=0");
    assert_eq!(line(&output, "subscribe"), "subscribe: INTEROP_OK");
    assert_eq!(line(&output, "report"), "report: INTEROP_OK");
    let moved = FLEET_CONTROL
        .methods
        .iter()
        .position(|method| method.name == "moved")
        .expect("the fleet has `moved`");
    assert!(
        line(&output, "event")
            .starts_with(&format!("event: INTEROP_OK method={moved} vehicle=42 ")),
        "{output}"
    );
    let expected = [
        (
            "no more events",
            "INTEROP_E_TIMEOUT",
            "no event of `fleet.control.FleetControl` within 50 ms",
        ),
        (
            "second loan",
            "INTEROP_E_STATE",
            "a request of `fleet.control.FleetControl.dispatch` is loaned and not sent",
        ),
        (
            "invalid dispatch",
            "INTEROP_E_INVALID",
            "fleet.control.FleetControlDispatchRequest",
        ),
        ("send without loan", "INTEROP_E_STATE", "nothing is loaned"),
        (
            "bad index",
            "INTEROP_E_ARGUMENT",
            "method index 99 is out of range",
        ),
        (
            "short request",
            "INTEROP_E_ARGUMENT",
            "takes 4 bytes, not 3",
        ),
        (
            "subscribe to an rpc",
            "INTEROP_E_ARGUMENT",
            "`fleet.control.FleetControl.get_vehicle` is Rpc, not Event",
        ),
        (
            "null client",
            "INTEROP_E_ARGUMENT",
            "interop_client_loan: `client` is NULL",
        ),
    ];
    for (step, status, message) in expected {
        let found = line(&output, step);
        assert!(
            found.starts_with(&format!("{step}: {status}: ")) && found.contains(message),
            "expected `{step}: {status}: ...{message}...`, got `{found}`"
        );
    }
    assert_eq!(
        line(&output, "small reply buffer"),
        format!("small reply buffer: INTEROP_E_ARGUMENT len={size}")
    );
    assert!(output.ends_with("done\n"), "{output}");
}

#[test]
fn a_c_client_calls_a_rust_server_over_a_pipe() {
    check_c_client(Transport::Pipe);
}

#[test]
fn a_c_client_calls_a_rust_server_over_shared_memory() {
    check_c_client(Transport::Shm);
}

#[test]
fn a_c_client_calls_a_rust_server_over_tcp() {
    check_c_client(Transport::Tcp);
}

/// The C server, stopped (and checked to stop cleanly) when dropped.
struct CServer {
    /// `None` once stopped.
    child: Option<Child>,
    stdin: Option<ChildStdin>,
    url: String,
    _program: Program,
}

impl CServer {
    fn start(transport: Transport, mode: &str) -> CServer {
        let program = compile("fleet_server");
        let url = unique_url(transport);
        let mut child = Command::new(&program.exe)
            .args([url.as_str(), mode])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the C server");
        let stdin = child.stdin.take();
        let mut first = String::new();
        BufReader::new(child.stdout.as_mut().expect("its output"))
            .read_line(&mut first)
            .expect("read the C server's output");
        assert_eq!(first, "listening\n", "the C server did not come up");
        CServer {
            child: Some(child),
            stdin,
            url,
            _program: program,
        }
    }

    /// Closes its input, which stops it; what it printed and logged.
    fn stop(mut self) -> (String, String) {
        drop(self.stdin.take());
        let child = self.child.take().expect("the C server runs until stopped");
        let output = child.wait_with_output().expect("wait for the C server");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(
            output.status.success(),
            "the C server failed:\n{stdout}\n{stderr}"
        );
        (stdout, stderr)
    }
}

impl Drop for CServer {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn check_c_server(transport: Transport, mode: &str) {
    let server = CServer::start(transport, mode);
    let mut client = FleetControlClient::connect(&server.url).expect("connect to the C server");
    let vehicle = client.get_vehicle(3).expect("vehicle 3");
    assert_eq!(
        (vehicle.id, vehicle.charge, vehicle.odometer_km),
        (3, 1, 30)
    );
    assert_eq!(vehicle.kind, rust_fleet::fleet::control::Kind::Drone);
    let mut loan = client.loan_get_vehicle().expect("a loan");
    loan.id = 4;
    let reply = loan.send().expect("vehicle 4");
    assert_eq!((reply.result.id, reply.result.charge), (4, 2));
    drop(reply);
    assert!(matches!(
        client.get_vehicle(0),
        Err(CallError::Remote(Fault::UnknownVehicle))
    ));
    client.ping().expect("ping");
    match client.get_vehicle(13) {
        Err(CallError::Runtime(interop::Error::Failed { failure, .. })) => assert!(
            failure
                .message
                .contains("the reply written of `fleet.control.FleetControl.get_vehicle`")
                && failure.message.contains("kind"),
            "{}",
            failure.message
        ),
        other => panic!("expected the invalid reply to be refused, got {other:?}"),
    }
    match client.dispatch(1, Default::default(), 1) {
        Err(CallError::Runtime(interop::Error::Failed { failure, .. })) => assert!(
            failure.message.contains("has no handler in this server"),
            "{}",
            failure.message
        ),
        other => panic!("expected dispatch to have no handler, got {other:?}"),
    }
    drop(client);
    let (stdout, stderr) = server.stop();
    assert!(
        stdout.contains("stopped after 4 get_vehicle calls"),
        "{stdout}"
    );
    assert!(
        stderr.contains("wrong handler count: INTEROP_E_ARGUMENT: interop_server_serve: `fleet.control.FleetControl` has 7 methods but handler_count is 2"),
        "{stderr}"
    );
}

#[test]
fn a_rust_client_calls_a_c_server_run_by_its_loop() {
    check_c_server(Transport::Pipe, "run");
}

#[test]
fn a_rust_client_calls_a_c_server_polled_by_its_own_loop_over_tcp() {
    check_c_server(Transport::Tcp, "poll");
}

#[test]
fn a_rust_client_calls_a_c_server_over_shared_memory() {
    check_c_server(Transport::Shm, "poll");
}
