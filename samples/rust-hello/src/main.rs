//! Builds a vehicle and an order of the fleet schema, validates their bytes as a receiver
//! would, and prints them.

use rust_hello::{round_trip, sample_order, sample_vehicle};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let vehicle = round_trip(&sample_vehicle())?;
    println!("{vehicle:#?}");
    println!("as JSON: {}", serde_json::to_string(&vehicle)?);
    let order = round_trip(&sample_order())?;
    println!("{order:#?}");
    Ok(())
}
