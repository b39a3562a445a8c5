//! Calls every method of the sample fleet service at the endpoint given as the argument and
//! prints what comes back: `fleet-client pipe://fleet`. With `--repeat N` it then calls
//! `get_vehicle` N more times (a load for tests and demos).

use rust_fleet::fleet::control::{FleetControlClient, FleetControlEvent, Order};
use rust_fleet::fleet::geometry::Pose;
use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (url, repeat) = match args.as_slice() {
        [url] if !url.starts_with('-') => (url, 0),
        [url, flag, count] if flag == "--repeat" => match count.parse() {
            Ok(count) => (url, count),
            Err(_) => usage(),
        },
        _ => usage(),
    };
    if let Err(error) = run(url, repeat) {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

fn usage() -> ! {
    eprintln!(
        "usage: fleet-client URL [--repeat N]\n\nCalls fleet.control.FleetControl at URL; with \
         --repeat, then calls get_vehicle N more times."
    );
    std::process::exit(2);
}

fn run(url: &str, repeat: u64) -> Result<(), Box<dyn std::error::Error>> {
    let mut client = FleetControlClient::connect(url)?;
    client.ping()?;
    println!("get_vehicle(7) = {:?}", client.get_vehicle(7)?);
    match client.get_vehicle(0) {
        Err(interop::CallError::Remote(fault)) => println!("get_vehicle(0) failed: {fault:?}"),
        other => println!("get_vehicle(0) = {other:?}"),
    }
    let mut request = client.loan_dispatch()?;
    request.vehicle = 7;
    request.order = Order::default();
    request.priority = 2;
    let reply = request.send()?;
    println!(
        "dispatch(7) = mission {}, eta {} ms",
        reply.mission, reply.eta_ms
    );
    drop(reply);
    client.subscribe_moved()?;
    client.report(7, Pose::default(), 0, 1.5, 0.0, 1)?;
    match client.next_event(Some(Duration::from_secs(5)))? {
        Some(FleetControlEvent::Moved(event)) => println!("moved: vehicle {}", event.vehicle),
        other => println!("event: {other:?}"),
    }
    for call in 0..repeat {
        client.get_vehicle(1 + (call % 1000) as u32)?;
    }
    Ok(())
}
