//! Serves `bulk.Bulk` (idl/bulk.idl) on the endpoints given as arguments, until killed:
//! `bulk-server shm://bulk`. `checksum` answers with the length, byte sum and FNV-1a hash of
//! the 1 MiB blob it received, which it reads in place. Used by the Python end-to-end tests.

// The generated module also holds the client and constants, which the server does not use.
#[allow(dead_code)]
mod bulk {
    include!(concat!(env!("OUT_DIR"), "/bulk/bulk.rs"));
}

use bulk::{Bulk, BulkChecksumReply, BulkChecksumRequest, BulkServer};

/// The FNV-1a 64-bit hash of `bytes`.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Checksums what it receives.
struct Checksummer;

impl Bulk for Checksummer {
    fn checksum(&mut self, request: &BulkChecksumRequest, reply: &mut BulkChecksumReply) {
        let data = request.data.as_slice();
        let checksum = &mut reply.result;
        checksum.len = data.len() as u32;
        checksum.sum = data.iter().map(|&byte| u64::from(byte)).sum();
        checksum.fnv1a = fnv1a(data);
    }
}

fn main() {
    let urls: Vec<String> = std::env::args().skip(1).collect();
    if urls.is_empty() || urls.iter().any(|url| url.starts_with('-')) {
        eprintln!(
            "usage: bulk-server URL...\n\nServes bulk.Bulk on every URL: inproc://NAME, \
             shm://NAME, pipe://NAME or tcp://HOST:PORT."
        );
        std::process::exit(2);
    }
    if let Err(error) = serve(&urls) {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

fn serve(urls: &[String]) -> Result<(), interop::Error> {
    let mut server = interop::Server::new()?;
    for url in urls {
        server.listen(url)?;
    }
    server.serve(BulkServer(Checksummer))?;
    server.run()
}
