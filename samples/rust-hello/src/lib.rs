//! A sample user of the interop IDL: `build.rs` generates the packages of `samples/fleet`,
//! which this crate includes as modules; [`sample_vehicle`] builds a message and
//! [`round_trip`] checks its bytes as a receiver would.

#![warn(missing_docs)]

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

use fleet::control::{inline, Assignment, Capability, Kind, Order, Vehicle, Waypoint};
use fleet::geometry::{Point, Pose, Source};
use interop::validate::ValidationError;
use interop::zerocopy::IntoBytes;

/// A vehicle with every kind of field filled in.
pub fn sample_vehicle() -> Vehicle {
    let mut vehicle = Vehicle {
        id: 7,
        kind: Kind::Van,
        pose: Pose {
            position: Point {
                latitude: 48.8566,
                longitude: 2.3522,
            },
            heading: 90.0,
            altitude: Some(35.5).into(),
            ..Pose::default()
        },
        source: Source::Gnss,
        capabilities: Capability::LIFT | Capability::CAMERA,
        charge: 87,
        odometer_km: 120_345,
        service_due: false,
        firmware: [1, 4, 2],
        r#type: -3,
        ..Vehicle::default()
    };
    vehicle.name.set("AB-123-CD").expect("fits in string<16>");
    vehicle
        .telemetry
        .set(&[0xde, 0xad, 0xbe, 0xef])
        .expect("fits in bytes<24>");
    vehicle.r#match.set(Assignment {
        mission: 42,
        priority: 2,
        deadline_ms: 3_600_000,
        ..Assignment::default()
    });
    vehicle
}

/// A mission order: drive through two waypoints.
pub fn sample_order() -> Order {
    let mut route = inline::Vec32OfWaypoint::default();
    for (index, latitude) in [48.85, 48.86].into_iter().enumerate() {
        let mut waypoint = Waypoint {
            at: Point {
                latitude,
                longitude: 2.35,
            },
            dwell_s: 30 * index as u16,
            ..Waypoint::default()
        };
        if index == 1 {
            waypoint
                .note
                .set("ring twice".try_into().expect("fits in string<260>"));
        }
        route.push(waypoint).expect("fits in the capacity");
    }
    let mut order = Order::default();
    order.set_drive(route);
    order
}

/// Checks `value`'s bytes as a receiver would and returns the validated view's copy.
pub fn round_trip<T>(value: &T) -> Result<T, ValidationError>
where
    T: Copy
        + IntoBytes
        + interop::validate::Described
        + interop::zerocopy::TryFromBytes
        + interop::zerocopy::KnownLayout
        + interop::zerocopy::Immutable,
{
    let bytes = value.as_bytes();
    let view: &T = interop::validate::view(bytes)?;
    Ok(*view)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fleet::control::OrderRef;

    #[test]
    fn vehicle_round_trips_through_validation() {
        let vehicle = sample_vehicle();
        let back = round_trip(&vehicle).expect("valid bytes");
        assert_eq!(back, vehicle);
        assert_eq!(back.name.as_str(), Ok("AB-123-CD"));
        assert_eq!(back.telemetry.as_slice(), [0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(back.r#match.get().map(|a| a.mission), Some(42));
        assert!(back.capabilities.contains(Capability::CAMERA));
        assert_eq!(back.as_bytes().len(), 152);
        let shown = format!("{back:?}");
        assert!(shown.contains("name: \"AB-123-CD\""), "{shown}");
        assert!(
            shown.contains("capabilities: Capability(Lift | Camera)"),
            "{shown}"
        );
    }

    #[test]
    fn order_round_trips_and_reads_back() {
        let order = round_trip(&sample_order()).expect("valid bytes");
        let Ok(OrderRef::Drive(route)) = order.get() else {
            panic!("not a drive: {order:?}")
        };
        assert_eq!(route.len(), 2);
        assert_eq!(
            route.as_slice()[1].note.get().map(|note| note.as_str()),
            Some(Ok("ring twice"))
        );
        let mut halted = order;
        halted.set_halt();
        assert_eq!(halted.get(), Ok(OrderRef::Halt));
        assert!(halted.payload.iter().all(|&byte| byte == 0));
    }

    #[test]
    fn bad_bytes_are_refused() {
        let mut bytes = sample_vehicle().as_bytes().to_vec();
        bytes[4] = 9; // `kind`: no such member
        let error = interop::validate::view::<Vehicle>(&bytes).unwrap_err();
        assert_eq!(error.field, "kind", "{error}");
    }

    #[test]
    fn json_round_trip() {
        let vehicle = sample_vehicle();
        let json = serde_json::to_string(&vehicle).unwrap();
        assert!(json.contains(r#""name":"AB-123-CD""#), "{json}");
        assert!(json.contains(r#""kind":"Van""#), "{json}");
        let back: Vehicle = serde_json::from_str(&json).unwrap();
        assert_eq!(back, vehicle);
        let too_long = json.replace("AB-123-CD", "a name far longer than sixteen bytes");
        let error = serde_json::from_str::<Vehicle>(&too_long)
            .unwrap_err()
            .to_string();
        assert!(error.contains("capacity 16"), "{error}");
    }
}
