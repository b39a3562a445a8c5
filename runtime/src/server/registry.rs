//! The services a server provides, shared by its event loop and by in-process clients.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};

use super::service::Service;
use crate::error::Error;
use crate::message_check::MethodChecks;
use crate::service::{MethodDescriptor, MethodKind, ServiceDescriptor};
use crate::transport::inproc::EventQueue;
use crate::wire::{Verdict, VerdictKind, Welcome, WelcomeStatus};

/// One service being served.
pub(crate) struct ServiceSlot {
    pub(crate) descriptor: &'static ServiceDescriptor,
    handler: Mutex<Box<dyn Service>>,
    /// How to check each method's messages, and their sizes.
    checks: MethodChecks,
    /// The largest request, reply or event of the service, in bytes.
    largest_message: usize,
    /// Event queues of in-process subscribers.
    pub(crate) inproc_subscribers: Mutex<Vec<std::sync::Weak<EventQueue>>>,
}

impl ServiceSlot {
    /// Wraps `service`, working out how to check its messages from its descriptor.
    pub(crate) fn new(service: Box<dyn Service>) -> Result<ServiceSlot, Error> {
        let descriptor = service.descriptor();
        let checks = MethodChecks::of(descriptor).map_err(|message| Error::Config { message })?;
        let largest_message = descriptor
            .methods
            .iter()
            .map(|method| {
                checks
                    .params(method)
                    .size()
                    .max(checks.results(method).size())
            })
            .max()
            .unwrap_or(0);
        Ok(ServiceSlot {
            descriptor,
            handler: Mutex::new(service),
            checks,
            largest_message,
            inproc_subscribers: Mutex::new(Vec::new()),
        })
    }

    /// How to check the messages of each method.
    pub(crate) fn checks(&self) -> &MethodChecks {
        &self.checks
    }

    /// The largest request, reply or event of the service, in bytes.
    pub(crate) fn largest_message(&self) -> usize {
        self.largest_message
    }

    /// The handler, locked for one call. A handler that panicked once keeps serving: the
    /// panic was reported to its caller.
    pub(crate) fn lock_handler(&self) -> MutexGuard<'_, Box<dyn Service>> {
        self.handler.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The answer to a client's `Hello` listing `offers`: accepted, with the methods whose
    /// fingerprints differ.
    pub(crate) fn welcome(&self, offers: &[crate::wire::MethodOffer]) -> Welcome {
        let verdicts = offers
            .iter()
            .filter_map(|offer| match self.descriptor.method(offer.id) {
                None => Some(Verdict {
                    id: offer.id,
                    kind: VerdictKind::Unknown,
                    server_fingerprint: [0; 32],
                }),
                Some(method)
                    if method.fingerprint != offer.fingerprint || method.kind != offer.kind =>
                {
                    Some(Verdict {
                        id: offer.id,
                        kind: VerdictKind::FingerprintDiffers,
                        server_fingerprint: method.fingerprint,
                    })
                }
                Some(_) => None,
            })
            .collect();
        Welcome {
            status: WelcomeStatus::Accepted,
            verdicts,
            message: String::new(),
        }
    }

    /// The event method with id `id`, if the service has one.
    pub(crate) fn event(&self, id: u32) -> Option<&'static MethodDescriptor> {
        self.descriptor
            .method(id)
            .filter(|method| method.kind == MethodKind::Event)
    }
}

/// The services of a server by qualified name.
#[derive(Default)]
pub(crate) struct Registry {
    services: RwLock<HashMap<&'static str, Arc<ServiceSlot>>>,
}

impl Registry {
    /// Adds a service; serving two services of one name is an error.
    pub(crate) fn add(&self, slot: ServiceSlot) -> Result<Arc<ServiceSlot>, Error> {
        let mut services = self
            .services
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let name = slot.descriptor.qualified_name;
        if services.contains_key(name) {
            return Err(Error::Config {
                message: format!("`{name}` is served twice by one server; serve it once"),
            });
        }
        let slot = Arc::new(slot);
        services.insert(name, Arc::clone(&slot));
        Ok(slot)
    }

    /// The service called `name`.
    pub(crate) fn get(&self, name: &str) -> Option<Arc<ServiceSlot>> {
        let services = self.services.read().unwrap_or_else(PoisonError::into_inner);
        services.get(name).cloned()
    }

    /// The answer to a `Hello` for a service this server does not provide.
    pub(crate) fn unknown_service(&self, name: &str) -> Welcome {
        let services = self.services.read().unwrap_or_else(PoisonError::into_inner);
        let mut names: Vec<&str> = services.keys().copied().collect();
        names.sort_unstable();
        Welcome {
            status: WelcomeStatus::UnknownService,
            verdicts: Vec::new(),
            message: format!(
                "this server does not provide `{name}`; it provides {}",
                if names.is_empty() {
                    "nothing yet".to_owned()
                } else {
                    names
                        .iter()
                        .map(|name| format!("`{name}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ),
        }
    }
}
