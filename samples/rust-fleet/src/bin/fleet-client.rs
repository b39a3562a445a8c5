//! Calls every method of the sample fleet service and prints the transcript of
//! `samples/fleet/transcript.txt`: `fleet-client pipe://fleet`. Without a URL it connects as
//! the node `INTEROP_NODE` of the manifest `INTEROP_MANIFEST`; an `inproc://` URL first serves
//! the fleet in this process. With `--repeat N` it then times N zero-copy calls of
//! `get_vehicle` and prints their median and 99th percentile (samples/fleet/README.md).

use rust_fleet::fleet::control::{FleetControlClient, FleetControlEvent, Order};
use rust_fleet::fleet::geometry::{Point, Pose, Zone};
use std::time::{Duration, Instant};

/// How long the client waits for each event.
const EVENT_WAIT: Duration = Duration::from_secs(5);

fn main() {
    let (url, repeat) = parse_args(std::env::args().skip(1).collect());
    if let Err(error) = run(url.as_deref(), repeat) {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

/// The URL (none: the manifest's node) and how many timed calls to make.
fn parse_args(args: Vec<String>) -> (Option<String>, usize) {
    let mut url = None;
    let mut repeat = 0;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--repeat" => match args.next().map(|count| count.parse()) {
                Some(Ok(count)) => repeat = count,
                _ => usage("--repeat needs a number of calls"),
            },
            "-h" | "--help" => usage(""),
            _ if arg.starts_with('-') => usage(&format!("unknown option `{arg}`")),
            _ if url.is_none() => url = Some(arg),
            _ => usage(&format!("one URL only; `{arg}` is one too many")),
        }
    }
    if url.is_none() && std::env::var_os(interop::MANIFEST_VAR).is_none() {
        usage("give a URL, or set INTEROP_MANIFEST and INTEROP_NODE");
    }
    (url, repeat)
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("error: {problem}\n");
    }
    eprintln!(
        "usage: fleet-client [URL] [--repeat N]\n\nCalls fleet.control.FleetControl at URL \
         (inproc://NAME, shm://NAME, pipe://NAME or tcp://HOST:PORT) and prints what it sent \
         and received; without URL, as the node {} of the manifest {}. With --repeat, then \
         times N calls of get_vehicle.",
        interop::NODE_VAR,
        interop::MANIFEST_VAR
    );
    std::process::exit(2);
}

fn run(url: Option<&str>, repeat: usize) -> Result<(), Box<dyn std::error::Error>> {
    let mut client = connect(url)?;
    converse(&mut client)?;
    if repeat > 0 {
        time_calls(&mut client, repeat)?;
    }
    Ok(())
}

/// Connects to the fleet at `url` (serving it here first for `inproc://`), or as the node
/// the environment names.
fn connect(url: Option<&str>) -> Result<FleetControlClient, Box<dyn std::error::Error>> {
    let Some(url) = url else {
        let node = interop::Node::from_env()?;
        return Ok(FleetControlClient::from_node(&node)?);
    };
    if url.starts_with("inproc://") {
        let urls = vec![url.to_owned()];
        std::thread::spawn(move || {
            if let Err(error) = rust_fleet::serve(&urls) {
                eprintln!("error: the in-process fleet server stopped: {error}");
                std::process::exit(1);
            }
        });
        // The thread binds the name; until then connecting finds nobody.
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            match FleetControlClient::connect(url) {
                Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(1)),
                connected => return Ok(connected?),
            }
        }
    }
    Ok(FleetControlClient::connect(url)?)
}

/// Makes the calls of the fleet sample's contract, printing each with its answer.
fn converse(client: &mut FleetControlClient) -> Result<(), Box<dyn std::error::Error>> {
    client.ping()?;
    println!("ping() -> ok");
    for id in [7, 5000] {
        match client.get_vehicle(id) {
            Ok(vehicle) => println!(
                "get_vehicle(id={id}) -> id={} kind={:?} name={:?} charge={} odometer_km={}",
                vehicle.id,
                vehicle.kind,
                vehicle.name.as_str()?,
                vehicle.charge,
                vehicle.odometer_km
            ),
            Err(interop::CallError::Remote(fault)) => {
                println!("get_vehicle(id={id}) -> error {fault:?}")
            }
            Err(error) => return Err(error.into()),
        }
    }
    let mut halt = Order::default();
    halt.set_halt();
    let mut say = Order::default();
    let mut hello = Default::default();
    rust_fleet::fleet::control::inline::String64::set(&mut hello, "hello")?;
    say.set_say(hello);
    for (order, text, priority) in [(halt, "Halt", 2), (say, "Say(\"hello\")", -1)] {
        let call = format!("dispatch(vehicle=7, order={text}, priority={priority})");
        match client.dispatch(7, order, priority) {
            Ok(reply) => println!(
                "{call} -> mission={} eta_ms={}",
                reply.mission, reply.eta_ms
            ),
            Err(interop::CallError::Remote(fault)) => println!("{call} -> error {fault:?}"),
            Err(error) => return Err(error.into()),
        }
    }
    let mut zone = Zone::default();
    zone.name.set("depot")?;
    for (latitude, longitude) in [(1.0, 1.0), (1.0, 2.0), (2.0, 2.0)] {
        zone.corners.push(Point {
            latitude,
            longitude,
        })?;
    }
    let reply = client.in_zone(zone)?;
    println!(
        "in_zone(zone=\"depot\" with 3 corners) -> count={} ids={:?}",
        reply.count,
        reply.ids.as_slice()
    );
    client.subscribe_moved()?;
    println!("subscribe(moved) -> ok");
    client.subscribe_low_battery()?;
    println!("subscribe(low_battery) -> ok");
    let mut pose = Pose::default();
    pose.position = Point {
        latitude: 51.5,
        longitude: -0.25,
    };
    pose.heading = 90.0;
    pose.altitude.set(12.5);
    report(client, 42, pose, 1.5)?;
    report(client, 43, Pose::default(), -1.0)?;
    Ok(())
}

/// Sends a position report and prints the event it causes.
fn report(
    client: &mut FleetControlClient,
    vehicle: u32,
    pose: Pose,
    speed: f32,
) -> Result<(), Box<dyn std::error::Error>> {
    client.report(vehicle, pose, 0, speed, 0.0, 0)?;
    println!(
        "report(vehicle={vehicle}, {}, speed={speed:.2}) -> sent",
        describe_pose(&pose)
    );
    match client.next_event(Some(EVENT_WAIT))? {
        Some(FleetControlEvent::Moved(event)) => println!(
            "event moved(vehicle={}, {})",
            event.vehicle,
            describe_pose(&event.pose)
        ),
        Some(FleetControlEvent::LowBattery(event)) => println!(
            "event low_battery(vehicle={}, charge={})",
            event.vehicle, event.charge
        ),
        None => return Err(format!("no event within {EVENT_WAIT:?} of the report").into()),
    }
    Ok(())
}

/// A pose as the transcript prints it.
fn describe_pose(pose: &Pose) -> String {
    let altitude = match pose.altitude.get() {
        Some(altitude) => format!("{altitude:.2}"),
        None => "none".to_owned(),
    };
    format!(
        "latitude={:.2}, longitude={:.2}, heading={:.2}, altitude={altitude}",
        pose.position.latitude, pose.position.longitude, pose.heading
    )
}

/// Times `count` zero-copy calls of `get_vehicle` and prints their median and 99th percentile.
fn time_calls(
    client: &mut FleetControlClient,
    count: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut times = Vec::with_capacity(count);
    for _ in 0..count {
        let start = Instant::now();
        let mut request = client.loan_get_vehicle()?;
        request.id = 7;
        let reply = request.send()?;
        std::hint::black_box(reply.result.id);
        drop(reply);
        times.push(start.elapsed());
    }
    times.sort_unstable();
    let micros = |time: Duration| time.as_secs_f64() * 1e6;
    println!(
        "round trip: {count} calls of get_vehicle, median {:.1} us, p99 {:.1} us",
        micros(times[count / 2]),
        micros(times[(count * 99 / 100).min(count - 1)])
    );
    Ok(())
}
