//! The hash of the maps and sets of a header's names (and of the model's types by address):
//! a multiply-and-rotate hash in the manner of rustc's `FxHasher`, several times cheaper than
//! the standard `SipHash` for the short keys hashed here. Crafted collisions could only slow
//! down the generation of the schema that crafts them.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A map with [`NameHasher`].
pub(super) type NameMap<K, V> = HashMap<K, V, BuildHasherDefault<NameHasher>>;

/// A set with [`NameHasher`].
pub(super) type NameSet<T> = HashSet<T, BuildHasherDefault<NameHasher>>;

/// The multiplier (from `rustc-hash` 2).
const MULTIPLIER: u64 = 0xf135_7aea_2e62_a9c5;

/// A hasher of words: each is added, then the state multiplied.
#[derive(Default, Clone, Copy)]
pub(super) struct NameHasher {
    hash: u64,
}

impl NameHasher {
    fn add(&mut self, word: u64) {
        self.hash = self.hash.wrapping_add(word).wrapping_mul(MULTIPLIER);
    }
}

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.add(u64::from_le_bytes(word.try_into().expect("8 bytes")));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            // The length tells `ab` from `ab\0`.
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, value: u8) {
        self.add(u64::from(value));
    }

    fn write_u32(&mut self, value: u32) {
        self.add(u64::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        self.add(value);
    }

    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    fn finish(&self) -> u64 {
        // The multiplications leave the most varied bits at the top; the tables index by the
        // bottom ones.
        self.hash.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, BuildHasherDefault};

    fn hash<T: std::hash::Hash + ?Sized>(value: &T) -> u64 {
        BuildHasherDefault::<NameHasher>::default().hash_one(value)
    }

    #[test]
    fn keys_that_differ_hash_apart() {
        let names = [
            "",
            "a",
            "ab",
            "ab\0",
            "fleet_control_Vehicle",
            "fleet_control_Vehiclf",
        ];
        for (index, name) in names.iter().enumerate() {
            for other in &names[index + 1..] {
                assert_ne!(hash(*name), hash(*other), "{name:?} and {other:?}");
            }
        }
        // Addresses that differ only in bits the alignment keeps apart.
        let buckets: NameSet<u64> = (0..64usize).map(|index| hash(&(index * 64)) % 64).collect();
        assert!(buckets.len() > 32, "{buckets:?}");
    }
}
