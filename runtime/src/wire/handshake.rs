//! The handshake: `Hello` from the client, `Welcome` from the server (`docs/PROTOCOL.md` §4).

use super::{put_str, ProtocolError, Reader};
use crate::service::{MethodKind, ServiceDescriptor};

/// How the connection carries frames after the handshake.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Mode {
    /// On the socket itself (pipe and tcp).
    Stream = 1,
    /// In shared-memory rings whose file descriptors come with the `Welcome`; the socket stays
    /// open to tell each side when the other is gone.
    SharedMemory = 2,
}

/// One method as the client's stubs know it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MethodOffer {
    /// The wire id.
    pub id: u32,
    /// rpc, oneway or event.
    pub kind: MethodKind,
    /// The client's fingerprint of the method.
    pub fingerprint: [u8; 32],
}

/// The first frame a client sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hello {
    /// How to carry frames from now on.
    pub mode: Mode,
    /// Authentication scheme; 0 (none) is the only one defined so far.
    pub auth: u8,
    /// Slots per ring the client asks for (shared memory only; the server may clamp it).
    pub ring_slots: u32,
    /// The service's qualified name, `package.Service`.
    pub service: String,
    /// Every method of the client's stubs.
    pub methods: Vec<MethodOffer>,
}

/// How a method offered in the `Hello` fares on the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum VerdictKind {
    /// The server's fingerprint differs: the two sides were generated from different schemas.
    FingerprintDiffers = 1,
    /// The server's service has no method with this id.
    Unknown = 2,
}

/// A method that cannot be called on this connection, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// The method's id.
    pub id: u32,
    /// Why it cannot be called.
    pub kind: VerdictKind,
    /// The server's fingerprint (zero when the method is unknown to it).
    pub server_fingerprint: [u8; 32],
}

/// Whether the server accepted the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum WelcomeStatus {
    /// Accepted: methods without a verdict may be called.
    Accepted = 0,
    /// The server provides no service of that name.
    UnknownService = 1,
    /// The server cannot serve in the requested mode or authentication scheme.
    Unsupported = 2,
}

/// The server's answer to a `Hello`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Welcome {
    /// Accepted or why not.
    pub status: WelcomeStatus,
    /// The methods the client may not call, with the reason.
    pub verdicts: Vec<Verdict>,
    /// Details for people when the connection is refused; empty otherwise.
    pub message: String,
}

impl Hello {
    /// The `Hello` that stubs of `service` send.
    pub fn for_service(service: &ServiceDescriptor, mode: Mode, ring_slots: u32) -> Hello {
        Hello {
            mode,
            auth: 0,
            ring_slots,
            service: service.qualified_name.to_owned(),
            methods: service
                .methods
                .iter()
                .map(|method| MethodOffer {
                    id: method.id,
                    kind: method.kind,
                    fingerprint: method.fingerprint,
                })
                .collect(),
        }
    }

    /// Encodes the payload.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.service.len() + 37 * self.methods.len());
        out.extend_from_slice(&[self.mode as u8, self.auth, 0, 0]);
        out.extend_from_slice(&self.ring_slots.to_le_bytes());
        put_str(&mut out, &self.service);
        out.extend_from_slice(&(self.methods.len() as u16).to_le_bytes());
        for method in &self.methods {
            out.extend_from_slice(&method.id.to_le_bytes());
            out.push(kind_to_u8(method.kind));
            out.extend_from_slice(&method.fingerprint);
        }
        out
    }

    /// Decodes a payload, refusing anything malformed.
    pub fn decode(bytes: &[u8]) -> Result<Hello, ProtocolError> {
        let mut reader = Reader::new(bytes, "hello");
        let mode = match reader.u8()? {
            1 => Mode::Stream,
            2 => Mode::SharedMemory,
            other => {
                return Err(ProtocolError::new(format!(
                    "unknown connection mode {other}"
                )))
            }
        };
        let auth = reader.u8()?;
        reader.u16()?;
        let ring_slots = reader.u32()?;
        let service = reader.str()?.to_owned();
        let count = reader.u16()?;
        let mut methods = Vec::with_capacity(usize::from(count).min(bytes.len() / 37));
        for _ in 0..count {
            let id = reader.u32()?;
            let kind = kind_from_u8(reader.u8()?)?;
            methods.push(MethodOffer {
                id,
                kind,
                fingerprint: reader.array()?,
            });
        }
        reader.finish()?;
        Ok(Hello {
            mode,
            auth,
            ring_slots,
            service,
            methods,
        })
    }
}

impl Welcome {
    /// Encodes the payload.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + 37 * self.verdicts.len() + self.message.len());
        out.extend_from_slice(&[self.status as u8, 0, 0, 0]);
        out.extend_from_slice(&(self.verdicts.len() as u16).to_le_bytes());
        for verdict in &self.verdicts {
            out.extend_from_slice(&verdict.id.to_le_bytes());
            out.push(verdict.kind as u8);
            out.extend_from_slice(&verdict.server_fingerprint);
        }
        put_str(&mut out, &self.message);
        out
    }

    /// Decodes a payload, refusing anything malformed.
    pub fn decode(bytes: &[u8]) -> Result<Welcome, ProtocolError> {
        let mut reader = Reader::new(bytes, "welcome");
        let status = match reader.u8()? {
            0 => WelcomeStatus::Accepted,
            1 => WelcomeStatus::UnknownService,
            2 => WelcomeStatus::Unsupported,
            other => {
                return Err(ProtocolError::new(format!(
                    "unknown welcome status {other}"
                )))
            }
        };
        reader.take(3)?;
        let count = reader.u16()?;
        let mut verdicts = Vec::with_capacity(usize::from(count).min(bytes.len() / 37));
        for _ in 0..count {
            let id = reader.u32()?;
            let kind = match reader.u8()? {
                1 => VerdictKind::FingerprintDiffers,
                2 => VerdictKind::Unknown,
                other => return Err(ProtocolError::new(format!("unknown verdict {other}"))),
            };
            verdicts.push(Verdict {
                id,
                kind,
                server_fingerprint: reader.array()?,
            });
        }
        let message = reader.str()?.to_owned();
        let _ = reader.rest();
        Ok(Welcome {
            status,
            verdicts,
            message,
        })
    }
}

fn kind_to_u8(kind: MethodKind) -> u8 {
    match kind {
        MethodKind::Rpc => 1,
        MethodKind::Oneway => 2,
        MethodKind::Event => 3,
    }
}

fn kind_from_u8(value: u8) -> Result<MethodKind, ProtocolError> {
    match value {
        1 => Ok(MethodKind::Rpc),
        2 => Ok(MethodKind::Oneway),
        3 => Ok(MethodKind::Event),
        other => Err(ProtocolError::new(format!("unknown method kind {other}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hello() -> Hello {
        Hello {
            mode: Mode::SharedMemory,
            auth: 0,
            ring_slots: 64,
            service: "fleet.control.FleetControl".into(),
            methods: vec![
                MethodOffer {
                    id: 7,
                    kind: MethodKind::Rpc,
                    fingerprint: [3; 32],
                },
                MethodOffer {
                    id: 9,
                    kind: MethodKind::Event,
                    fingerprint: [4; 32],
                },
            ],
        }
    }

    #[test]
    fn hello_and_welcome_round_trip() {
        let hello = hello();
        assert_eq!(Hello::decode(&hello.encode()).unwrap(), hello);
        let welcome = Welcome {
            status: WelcomeStatus::Accepted,
            verdicts: vec![Verdict {
                id: 7,
                kind: VerdictKind::FingerprintDiffers,
                server_fingerprint: [5; 32],
            }],
            message: String::new(),
        };
        assert_eq!(Welcome::decode(&welcome.encode()).unwrap(), welcome);
    }

    #[test]
    fn every_truncation_of_a_hello_is_refused() {
        let bytes = hello().encode();
        for len in 0..bytes.len() {
            assert!(Hello::decode(&bytes[..len]).is_err(), "{len}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Hello::decode(&longer).is_err());
    }

    #[test]
    fn a_huge_method_count_does_not_allocate_before_failing() {
        let mut bytes = hello().encode();
        let count_at = 8 + 2 + "fleet.control.FleetControl".len();
        bytes[count_at..count_at + 2].copy_from_slice(&u16::MAX.to_le_bytes());
        assert!(Hello::decode(&bytes).is_err());
    }
}
