//! The interface between the runtime and a service implementation: generated code implements
//! [`Service`] for an adapter around the user's handler trait.

use crate::message::{self, ErrorValue, Message};
use crate::service::{MethodDescriptor, ServiceDescriptor};

/// A service the runtime can serve: it names its descriptor and handles calls.
///
/// Generated code implements it (`FleetControlServer<T>` for any `T: FleetControl`); the
/// runtime validates every request before [`Service::call`] sees it.
pub trait Service: Send + 'static {
    /// The service's descriptor.
    fn descriptor(&self) -> &'static ServiceDescriptor;

    /// Handles one validated call; generated code dispatches on [`Call::method`] and finishes
    /// with [`Call::handle`].
    fn call(&mut self, call: Call<'_>) -> Outcome;
}

/// One call as the runtime hands it to a [`Service`]: the validated request in the receive
/// buffer or ring slot, and the reply in the send buffer or ring slot, both in place.
pub struct Call<'a> {
    pub(crate) method: &'static MethodDescriptor,
    pub(crate) request: &'a [u8],
    pub(crate) reply: &'a mut [u8],
}

/// How a call ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The reply is written (or the one-way message handled).
    Done,
    /// The handler answered with a value of the method's IDL error enum: its bytes.
    Error(Vec<u8>),
    /// The call could not be handled; the caller gets a failure with this message.
    Failed(String),
}

impl<'a> Call<'a> {
    /// The method called.
    pub fn method(&self) -> &'static MethodDescriptor {
        self.method
    }

    /// Runs `handler` on the request, viewed in place, and a reply initialized to its default
    /// and written in place. Requests and replies the method does not have are [`Empty`]
    /// (`crate::message::Empty`); methods without `error` use [`crate::NoError`].
    pub fn handle<Req, Rep, E>(
        self,
        handler: impl FnOnce(&Req, &mut Rep) -> Result<(), E>,
    ) -> Outcome
    where
        Req: Message,
        Rep: Message,
        E: ErrorValue,
    {
        let Some(request) = message::view::<Req>(self.request) else {
            return Outcome::Failed(message::mismatch::<Req>());
        };
        let Some(reply) = message::init::<Rep>(self.reply) else {
            return Outcome::Failed(message::mismatch::<Rep>());
        };
        match handler(request, reply) {
            Ok(()) => Outcome::Done,
            Err(error) => Outcome::Error(error.to_bytes()),
        }
    }

    /// The outcome for a method id the generated code does not know: a failure.
    pub fn unknown(self) -> Outcome {
        Outcome::Failed(format!(
            "`{}` has no handler in this server's generated code; regenerate it",
            self.method.qualified_name
        ))
    }
}
