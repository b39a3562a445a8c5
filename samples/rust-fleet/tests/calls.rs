//! Calls between a client in this process and the sample server in another, over each
//! transport; and in-process, with the server on a thread of this process.

mod support;

use std::thread;
use std::time::Duration;

use interop::CallError;
use rust_fleet::fleet::control::{Fault, FleetControlClient, FleetControlEvent, Order};
use rust_fleet::fleet::geometry::Pose;
use support::{unique_url, ServerProcess, Transport};

const TRANSPORTS: [Transport; 3] = [Transport::Pipe, Transport::Tcp, Transport::Shm];

fn every_transport(test: impl Fn(&str)) {
    for transport in TRANSPORTS {
        let server = ServerProcess::start(&unique_url(transport));
        test(&server.url);
    }
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let url = &format!("inproc://calls-{n}");
    let mut server = interop::Server::bind(url).expect("bind inproc");
    rust_fleet::serve_fleet(&mut server).expect("serve");
    let handle = server.handle();
    let running = thread::spawn(move || server.run());
    test(url);
    handle.stop();
    running.join().unwrap().unwrap();
}

#[test]
fn rpc_replies_errors_and_empty_calls() {
    every_transport(|url| {
        let mut client = FleetControlClient::connect(url).unwrap();
        client.ping().unwrap();
        let vehicle = client.get_vehicle(7).unwrap();
        assert_eq!(vehicle.id, 7);
        assert_eq!(vehicle.name.as_str().unwrap(), "van-7");
        assert_eq!(vehicle.odometer_km, 7000);
        match client.get_vehicle(5000) {
            Err(CallError::Remote(Fault::UnknownVehicle)) => {}
            other => panic!("{url}: expected the IDL error, got {other:?}"),
        }
        let reply = client.dispatch(3, Order::default(), 4).unwrap();
        assert_eq!((reply.mission, reply.eta_ms), (3004, 60_000));
        assert!(matches!(
            client.dispatch(3, Order::default(), -1),
            Err(CallError::Remote(Fault::Busy))
        ));
        // The connection stays usable after errors.
        assert_eq!(client.get_vehicle(8).unwrap().id, 8);
    });
}

#[test]
fn zero_copy_loans_and_replies_in_place() {
    every_transport(|url| {
        let mut client = FleetControlClient::connect(url).unwrap();
        let mut request = client.loan_in_zone().unwrap();
        for corner in 0..5 {
            request.zone.corners.push(Default::default()).unwrap();
            let _ = corner;
        }
        let reply = request.send().unwrap();
        assert_eq!(reply.count, 5);
        assert_eq!(reply.ids.as_slice(), [1, 2, 3, 4, 5]);
        drop(reply);
        // A loan dropped unsent sends nothing: the next call still pairs with its own reply.
        let mut unsent = client.loan_get_vehicle().unwrap();
        unsent.id = 99;
        drop(unsent);
        assert_eq!(client.get_vehicle(12).unwrap().id, 12);
    });
}

#[test]
fn pipelined_calls_complete_in_any_order_of_collection() {
    every_transport(|url| {
        let mut client = FleetControlClient::connect(url).unwrap();
        let mut pending = Vec::new();
        for id in 1..=50 {
            let mut request = client.loan_get_vehicle().unwrap();
            request.id = id;
            pending.push((id, request.send_later().unwrap()));
        }
        // Collect the last ones first: earlier replies are parked meanwhile.
        for (id, call) in pending.into_iter().rev() {
            let reply = client.0.wait(call).unwrap();
            assert_eq!(reply.result.id, id);
        }
    });
}

#[test]
fn one_way_reports_reach_every_subscriber_as_events() {
    every_transport(|url| {
        let mut subscribers: Vec<FleetControlClient> = (0..3)
            .map(|_| FleetControlClient::connect(url).unwrap())
            .collect();
        for subscriber in &mut subscribers {
            subscriber.subscribe_moved().unwrap();
            subscriber.subscribe_low_battery().unwrap();
        }
        let mut reporter = FleetControlClient::connect(url).unwrap();
        for seq in 0..10u16 {
            reporter
                .report(u32::from(seq), Pose::default(), 0, 1.0, 0.0, seq)
                .unwrap();
        }
        reporter
            .report(77, Pose::default(), 0, -1.0, 0.0, 10)
            .unwrap();
        for subscriber in &mut subscribers {
            for seq in 0..10 {
                match subscriber.next_event(Some(Duration::from_secs(5))).unwrap() {
                    Some(FleetControlEvent::Moved(event)) => assert_eq!(event.vehicle, seq),
                    other => panic!("{url}: expected moved({seq}), got {other:?}"),
                }
            }
            match subscriber.next_event(Some(Duration::from_secs(5))).unwrap() {
                Some(FleetControlEvent::LowBattery(event)) => {
                    assert_eq!((event.vehicle, event.charge), (77, 5))
                }
                other => panic!("{url}: expected low_battery, got {other:?}"),
            }
            subscriber.unsubscribe_moved().unwrap();
        }
        reporter
            .report(1, Pose::default(), 0, 1.0, 0.0, 11)
            .unwrap();
        for subscriber in &mut subscribers {
            let next = subscriber
                .next_event(Some(Duration::from_millis(100)))
                .unwrap();
            assert!(next.is_none(), "{url}: unsubscribed, yet got {next:?}");
        }
    });
}

#[test]
fn events_arriving_during_a_call_are_kept_for_later() {
    every_transport(|url| {
        let mut client = FleetControlClient::connect(url).unwrap();
        client.subscribe_moved().unwrap();
        client.report(5, Pose::default(), 0, 1.0, 0.0, 0).unwrap();
        // The event may come before this reply; it waits in the client's queue.
        assert_eq!(client.get_vehicle(9).unwrap().id, 9);
        match client.next_event(Some(Duration::from_secs(5))).unwrap() {
            Some(FleetControlEvent::Moved(event)) => assert_eq!(event.vehicle, 5),
            other => panic!("{url}: expected moved(5), got {other:?}"),
        }
    });
}

#[test]
fn many_clients_at_once() {
    every_transport(|url| {
        let workers: Vec<_> = (0..8u32)
            .map(|worker| {
                let url = url.to_owned();
                thread::spawn(move || {
                    let mut client = FleetControlClient::connect(&url).unwrap();
                    for call in 0..200u32 {
                        let id = 1 + (worker * 200 + call) % 1000;
                        assert_eq!(client.get_vehicle(id).unwrap().id, id);
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.join().unwrap();
        }
    });
}

#[test]
fn a_slow_subscriber_loses_events_and_is_told_how_many() {
    use interop::endpoint::Endpoint;
    use rust_fleet::fleet::control::FLEET_CONTROL;

    let server = ServerProcess::start(&unique_url(Transport::Shm));
    let endpoint = Endpoint::parse(&server.url).unwrap();
    let options = interop::ClientOptions {
        ring_slots: 2,
        ..Default::default()
    };
    let mut slow = FleetControlClient(
        interop::Client::connect_with(&endpoint, &FLEET_CONTROL, options).unwrap(),
    );
    slow.subscribe_moved().unwrap();
    let mut reporter = FleetControlClient::connect(&server.url).unwrap();
    const REPORTS: u32 = 100;
    for vehicle in 0..REPORTS {
        reporter
            .report(vehicle, Pose::default(), 0, 1.0, 0.0, 0)
            .unwrap();
    }
    // A call after the reports: once it returns, every report was handled and published.
    reporter.ping().unwrap();
    // The server tells the subscriber how many events it lost as soon as the ring has room
    // again, so the count may arrive while the subscriber drains, or in parts.
    enum Arrival {
        Moved(u32),
        Lost,
        Nothing,
    }
    let mut received = 0_u32;
    let mut missed = 0_u64;
    let mut next = |timeout: Duration| match slow.next_event(Some(timeout)) {
        Ok(Some(FleetControlEvent::Moved(event))) => {
            received += u32::from(event.vehicle < REPORTS);
            Arrival::Moved(event.vehicle)
        }
        Err(interop::Error::Lagged { missed: lost, .. }) => {
            missed += lost;
            Arrival::Lost
        }
        Ok(None) => Arrival::Nothing,
        other => panic!("expected events or the count of those lost, got {other:?}"),
    };
    while !matches!(next(Duration::from_millis(200)), Arrival::Nothing) {}
    // One more report, which the emptied ring has room for, and which follows any count of
    // lost events still to come.
    reporter
        .report(REPORTS, Pose::default(), 0, 1.0, 0.0, 0)
        .unwrap();
    loop {
        match next(Duration::from_secs(5)) {
            Arrival::Moved(vehicle) if vehicle == REPORTS => break,
            Arrival::Moved(_) | Arrival::Lost => {}
            Arrival::Nothing => panic!("the event of the last report did not arrive"),
        }
    }
    assert!(missed > 0, "a ring of 2 slots held all {REPORTS} events");
    assert_eq!(u64::from(received) + missed, u64::from(REPORTS));
}

#[test]
fn a_server_driven_from_the_callers_own_loop() {
    use std::os::fd::AsRawFd;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    let url = unique_url(Transport::Pipe);
    let mut server = interop::Server::bind(&url).unwrap();
    rust_fleet::serve_fleet(&mut server).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let stop = Arc::clone(&done);
    let driver = thread::spawn(move || {
        let mut turns = 0u32;
        while !stop.load(Ordering::SeqCst) {
            let mut ready = libc::pollfd {
                fd: server.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd that outlives the call.
            let woken = unsafe { libc::poll(&mut ready, 1, 20) };
            if woken > 0 || server.is_busy() {
                server.run_once(Some(Duration::ZERO)).unwrap();
                turns += 1;
            }
        }
        turns
    });
    let mut client = FleetControlClient::connect(&url).unwrap();
    for id in 1..=10 {
        assert_eq!(client.get_vehicle(id).unwrap().id, id);
    }
    done.store(true, Ordering::SeqCst);
    assert!(driver.join().unwrap() > 0);
}
