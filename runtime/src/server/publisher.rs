//! Publishing events to subscribed clients, from any thread.

use std::sync::{Arc, PoisonError};

use super::registry::ServiceSlot;
use super::Shared;
use crate::error::Error;
use crate::message::Message;
use crate::service::MethodDescriptor;

/// An event on its way from a [`Publisher`] to the loop.
pub(crate) struct PublishedEvent {
    pub(crate) slot: Arc<ServiceSlot>,
    pub(crate) method: u32,
    pub(crate) bytes: Vec<u8>,
}

/// Sends a service's events to every client subscribed to them. Cheap to clone; usable from
/// any thread, handlers included.
///
/// A subscriber that does not keep up loses events rather than slowing the others down: its
/// next event is preceded by a count of those it lost, which its client reports as
/// [`Error::Lagged`].
#[derive(Clone)]
pub struct Publisher {
    slot: Arc<ServiceSlot>,
    shared: Arc<Shared>,
}

impl Publisher {
    pub(super) fn new(slot: Arc<ServiceSlot>, shared: Arc<Shared>) -> Publisher {
        Publisher { slot, shared }
    }

    /// Sends `message` as event `event` of the service to its subscribers.
    pub fn publish<T: Message>(
        &self,
        event: &'static MethodDescriptor,
        message: &T,
    ) -> Result<(), Error> {
        self.publish_bytes(event, message.as_bytes())
    }

    /// Sends the bytes of a message as event `event`; the caller vouches that they are a
    /// valid message of the event (the C ABI validates them first).
    pub(crate) fn publish_bytes(
        &self,
        event: &'static MethodDescriptor,
        bytes: &[u8],
    ) -> Result<(), Error> {
        let descriptor = self.slot.descriptor;
        if self.slot.event(event.id).is_none() {
            return Err(Error::Config {
                message: format!(
                    "`{}` is not an event of `{}`",
                    event.qualified_name, descriptor.qualified_name
                ),
            });
        }
        crate::transport::inproc::publish(&self.slot, event.id, bytes);
        self.shared
            .events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(PublishedEvent {
                slot: Arc::clone(&self.slot),
                method: event.id,
                bytes: bytes.to_vec(),
            });
        self.shared
            .waker
            .wake()
            .map_err(|error| Error::io("wake the server loop", error))
    }
}
