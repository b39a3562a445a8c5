//! Byte-level calls, for callers that know their messages only by size (the C ABI in
//! [`crate::ffi`]): the same loans, replies and events as the typed calls, held by position
//! instead of by borrow, so that the caller releases them explicitly.

use std::time::{Duration, Instant};

use super::{Answer, Client, EventGuard, ReplyGuard};
use crate::error::Error;
use crate::message::Empty;
use crate::service::{MethodDescriptor, MethodKind};
use crate::transport::buffer::{FrameAt, FrameBuffer};
use crate::validate;
use crate::wire::Kind;

/// A request (or one-way message) being built in the send buffer or ring slot: the last frame
/// there until [`Client::raw_send`] or [`Client::raw_cancel`].
#[derive(Debug)]
pub(crate) struct RawLoan {
    method: &'static MethodDescriptor,
    correlation: u64,
    len: usize,
}

impl RawLoan {
    /// The method loaned for.
    pub(crate) fn method(&self) -> &'static MethodDescriptor {
        self.method
    }
}

/// A reply or an event held in place where it arrived, until [`Client::raw_release`].
pub(crate) struct RawHeld {
    place: Place,
    at: FrameAt,
}

enum Place {
    /// A reply at the front of the inbox, or parked because it came while another was
    /// awaited.
    Reply(Option<FrameBuffer>),
    /// An event at the front of the inbox, or of the queue of events that came during calls.
    Event {
        method: &'static MethodDescriptor,
        queued: bool,
    },
}

/// What a sent rpc brought back.
pub(crate) enum RawAnswer {
    /// The reply, validated, held in place.
    Reply(RawHeld),
    /// The handler's IDL error value, validated against `error_record`.
    Error(Vec<u8>),
}

impl Client {
    /// Loans the request of `method` (rpc or one-way, as `kind` says) as zeroed bytes of the
    /// size its descriptor record gives.
    pub(crate) fn raw_loan(
        &mut self,
        method: &'static MethodDescriptor,
        kind: MethodKind,
    ) -> Result<RawLoan, Error> {
        self.check_method(method, kind)?;
        let len = self.request_size(method);
        let frame = if kind == MethodKind::Oneway {
            Kind::OneWay
        } else {
            Kind::Request
        };
        let correlation = self.begin(frame, method.id, len, method.qualified_name)?;
        self.link.out.building_mut(len).fill(0);
        Ok(RawLoan {
            method,
            correlation,
            len,
        })
    }

    /// The bytes of a loaned request, to fill in place.
    pub(crate) fn raw_request(&mut self, loan: &RawLoan) -> &mut [u8] {
        self.link.out.building_mut(loan.len)
    }

    /// Drops a loaned request unsent.
    pub(crate) fn raw_cancel(&mut self, loan: RawLoan) {
        self.link.out.cancel(loan.len);
    }

    /// Sends a loaned request once it validates (a request that does not is dropped unsent,
    /// with the error naming its type and field). A one-way message is done when this
    /// returns; an rpc's answer comes with `error_record`, the descriptor record of the
    /// method's IDL error type, checking an error value.
    pub(crate) fn raw_send(
        &mut self,
        loan: RawLoan,
        error_record: Option<u32>,
    ) -> Result<Option<RawAnswer>, Error> {
        let method = loan.method;
        let checked = self.check(method, true, self.link.out.building(loan.len));
        if let Err(error) = checked {
            self.raw_cancel(loan);
            return Err(match error {
                Error::Invalid { method, error } => Error::InvalidRequest { method, error },
                other => other,
            });
        }
        let deadline = Instant::now() + self.options.timeout;
        self.send(loan.len, deadline, method.qualified_name)?;
        if method.kind == MethodKind::Oneway {
            return Ok(None);
        }
        let parked = self.await_reply(loan.correlation, deadline, method)?;
        self.raw_answer(method, parked, error_record).map(Some)
    }

    /// The answer to a call, with an error value validated against `error_record`.
    fn raw_answer(
        &mut self,
        method: &'static MethodDescriptor,
        parked: Option<FrameBuffer>,
        error_record: Option<u32>,
    ) -> Result<RawAnswer, Error> {
        match self.answer(method, parked)? {
            Answer::Reply { parked, at } => Ok(RawAnswer::Reply(RawHeld {
                place: Place::Reply(parked),
                at,
            })),
            Answer::ErrorValue(bytes) => match error_record {
                Some(record) => validate::validate(self.service.descriptor, record, &bytes)
                    .map(|()| RawAnswer::Error(bytes))
                    .map_err(|error| Error::Invalid {
                        method: method.qualified_name.to_owned(),
                        error,
                    }),
                None => Err(Error::Config {
                    message: format!(
                        "the server answered `{}` with an error value, but its description \
                         declares no error type; describe the method as the schema does",
                        method.qualified_name
                    ),
                }),
            },
        }
    }

    /// The next event, held in place; `Ok(None)` when `timeout` passes first (`None` waits
    /// forever).
    pub(crate) fn raw_next_event(
        &mut self,
        timeout: Option<Duration>,
    ) -> Result<Option<RawHeld>, Error> {
        Ok(self.next_event(timeout)?.map(|guard| {
            let (method, queued, at) = guard.into_place();
            RawHeld {
                place: Place::Event { method, queued },
                at,
            }
        }))
    }

    /// The bytes of a held reply or event.
    pub(crate) fn raw_held<'a>(&'a self, held: &'a RawHeld) -> &'a [u8] {
        match &held.place {
            Place::Reply(Some(parked)) => parked.front_payload(),
            Place::Event { queued: true, .. } => self.events.front_payload(),
            Place::Reply(None) | Place::Event { queued: false, .. } => {
                self.link.inbox.front_payload()
            }
        }
    }

    /// The event method of a held event; `None` for a reply.
    pub(crate) fn raw_event_method(held: &RawHeld) -> Option<&'static MethodDescriptor> {
        match held.place {
            Place::Event { method, .. } => Some(method),
            Place::Reply(_) => None,
        }
    }

    /// Releases a held reply or event, as dropping its guard would.
    pub(crate) fn raw_release(&mut self, held: RawHeld) {
        match held.place {
            Place::Reply(parked) => drop(ReplyGuard::<Empty>::new(self, parked, held.at)),
            Place::Event { method, queued } => drop(EventGuard::new(self, method, queued, held.at)),
        }
    }
}
