//! Static descriptions of services, as generated code declares them: names, method ids,
//! fingerprints and the descriptor records of each method's messages.

/// What a method does on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MethodKind {
    /// A call with a reply.
    Rpc,
    /// A call without a reply.
    Oneway,
    /// A message from the server to every subscribed client.
    Event,
}

/// One method of a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MethodDescriptor {
    /// `package.Service.method`.
    pub qualified_name: &'static str,
    /// The method's name.
    pub name: &'static str,
    /// rpc, oneway or event.
    pub kind: MethodKind,
    /// The wire id: the first four bytes of the SHA-256 of the qualified name, little-endian.
    pub id: u32,
    /// SHA-256 over the method's name, kind, messages and error type; peers compare it.
    pub fingerprint: [u8; 32],
    /// Descriptor record of the request (or event) struct; `None` when it has no payload.
    pub params: Option<u32>,
    /// Descriptor record of the reply struct; `None` for an empty reply and for oneway and
    /// event methods.
    pub results: Option<u32>,
}

/// A service: its name, its methods and the descriptor their records index into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceDescriptor {
    /// `package.Service`, as peers name it when they connect.
    pub qualified_name: &'static str,
    /// The methods, in declaration order.
    pub methods: &'static [MethodDescriptor],
    /// The validation descriptor of the service's package.
    pub descriptor: &'static [u8],
}

impl ServiceDescriptor {
    /// The method with wire id `id`.
    pub fn method(&self, id: u32) -> Option<&'static MethodDescriptor> {
        self.methods.iter().find(|method| method.id == id)
    }
}
