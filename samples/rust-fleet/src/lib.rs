//! A sample fleet service: [`FleetHandlers`] implements the handlers of
//! `fleet.control.FleetControl`, which the `fleet-server` binary serves on the endpoints it is
//! given and the `fleet-client` binary calls.

#![warn(missing_docs)]

use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// The packages of the fleet schema, one module per package.
pub mod fleet {
    /// Package `fleet.control`: vehicles, their missions and the service that steers them.
    pub mod control {
        interop::include_idl!("fleet.control");
    }

    /// Package `fleet.geometry`: positions, headings and areas.
    pub mod geometry {
        interop::include_idl!("fleet.geometry");
    }
}

/// An older version of the fleet service, whose `get_vehicle` differs from today's.
pub mod v0 {
    /// Its packages.
    pub mod fleet {
        /// Package `fleet.control`, as it was.
        pub mod control {
            include!(concat!(env!("OUT_DIR"), "/v0/fleet.control.rs"));
        }
    }
}

use fleet::control::{
    Fault, FleetControl, FleetControlDispatchReply, FleetControlDispatchRequest,
    FleetControlGetVehicleReply, FleetControlGetVehicleRequest, FleetControlInZoneReply,
    FleetControlInZoneRequest, FleetControlPublisher, FleetControlReportRequest, Kind,
};

/// The log target of the line the handlers log for every message they receive
/// (`received get_vehicle(id=7)`), which `fleet-server` prints as it is.
pub const RECEIVED: &str = "fleet::received";

/// A vehicle id for which `get_vehicle` takes [`SLOW_CALL`] to answer, so that tests can stop
/// a server in the middle of a call.
pub const SLOW_VEHICLE: u32 = 4242;

/// How long `get_vehicle(SLOW_VEHICLE)` takes.
pub const SLOW_CALL: Duration = Duration::from_secs(30);

/// The fleet's handlers: vehicle `n` exists for `n` from 1 to 1000; every position report is
/// published as a `moved` event, and as `low_battery` when its speed is negative (a sample's
/// stand-in for a battery reading).
#[derive(Default)]
pub struct FleetHandlers {
    /// Set once the server is serving, to publish events.
    pub publisher: Arc<OnceLock<FleetControlPublisher>>,
    /// How many position reports arrived.
    pub reports: u64,
}

impl FleetControl for FleetHandlers {
    fn get_vehicle(
        &mut self,
        request: &FleetControlGetVehicleRequest,
        reply: &mut FleetControlGetVehicleReply,
    ) -> Result<(), Fault> {
        log::info!(target: RECEIVED, "received get_vehicle(id={})", request.id);
        if request.id == SLOW_VEHICLE {
            std::thread::sleep(SLOW_CALL);
        }
        if !(1..=1000).contains(&request.id) {
            return Err(Fault::UnknownVehicle);
        }
        let vehicle = &mut reply.result;
        vehicle.id = request.id;
        vehicle.kind = if request.id % 2 == 0 {
            Kind::Truck
        } else {
            Kind::Van
        };
        // "van-1000" at most: always fits the 16 bytes of `name`.
        vehicle.name.set(&format!("van-{}", request.id)).ok();
        vehicle.charge = 80;
        vehicle.odometer_km = u64::from(request.id) * 1000;
        Ok(())
    }

    fn dispatch(
        &mut self,
        request: &FleetControlDispatchRequest,
        reply: &mut FleetControlDispatchReply,
    ) -> Result<(), Fault> {
        log::info!(
            target: RECEIVED,
            "received dispatch(vehicle={}, priority={})",
            request.vehicle,
            request.priority
        );
        if request.priority < 0 {
            return Err(Fault::Busy);
        }
        reply.mission = u64::from(request.vehicle) * 1000 + request.priority as u64;
        reply.eta_ms = 60_000;
        Ok(())
    }

    fn in_zone(
        &mut self,
        request: &FleetControlInZoneRequest,
        reply: &mut FleetControlInZoneReply,
    ) {
        log::info!(
            target: RECEIVED,
            "received in_zone(zone with {} corners)",
            request.zone.corners.as_slice().len()
        );
        for (index, _) in request.zone.corners.as_slice().iter().enumerate() {
            if reply.ids.push(index as u32 + 1).is_err() {
                break;
            }
        }
        reply.count = reply.ids.as_slice().len() as u8;
    }

    fn ping(&mut self) {
        log::info!(target: RECEIVED, "received ping()");
    }

    fn report(&mut self, message: &FleetControlReportRequest) {
        log::info!(
            target: RECEIVED,
            "received report(vehicle={}, speed={:.2})",
            message.vehicle,
            message.speed
        );
        self.reports += 1;
        let Some(publisher) = self.publisher.get() else {
            return;
        };
        let published = if message.speed < 0.0 {
            publisher.publish_low_battery(message.vehicle, 5)
        } else {
            publisher.publish_moved(message.vehicle, message.pose)
        };
        if let Err(error) = published {
            log::warn!(
                "cannot publish the report of vehicle {}: {error}",
                message.vehicle
            );
        }
    }
}

/// Serves [`FleetHandlers`] on `urls` until the process ends.
pub fn serve(urls: &[String]) -> Result<(), interop::Error> {
    let mut server = interop::Server::new()?;
    for url in urls {
        server.listen(url)?;
    }
    serve_fleet(&mut server)?;
    server.run()
}

/// Serves [`FleetHandlers`] as the node of the deployment manifest that `INTEROP_MANIFEST`
/// and `INTEROP_NODE` name, until the process ends.
pub fn serve_node() -> Result<(), interop::Error> {
    let mut node = interop::Node::from_env()?;
    let (service, publisher) = fleet_service();
    node.serve(service)?;
    publisher
        .set(FleetControlPublisher::new(node.server())?)
        .ok();
    node.run()
}

/// Serves the fleet's handlers on `server`, publishing their events.
pub fn serve_fleet(server: &mut interop::Server) -> Result<(), interop::Error> {
    let (service, publisher) = fleet_service();
    server.serve(service)?;
    publisher.set(FleetControlPublisher::new(server)?).ok();
    Ok(())
}

/// The fleet's handlers as a service, and where to hand them their publisher once served.
fn fleet_service() -> (
    fleet::control::FleetControlServer<FleetHandlers>,
    Arc<OnceLock<FleetControlPublisher>>,
) {
    let handlers = FleetHandlers::default();
    let publisher = Arc::clone(&handlers.publisher);
    (fleet::control::FleetControlServer(handlers), publisher)
}
