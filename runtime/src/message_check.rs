//! How to check the messages of a service's methods, worked out once from its descriptor: the
//! size of each message, and whether its length is all there is to check (numbers only, no
//! padding) or the validator must walk it.

use crate::service::{MethodDescriptor, ServiceDescriptor};
use crate::validate::{self, Problem, ValidationError};

/// How to check one message.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MessageCheck {
    /// The message's descriptor record; `None` for an empty message.
    record: Option<u32>,
    /// Its size in bytes.
    size: usize,
    /// Whether every byte pattern of that size is valid.
    plain: bool,
}

impl MessageCheck {
    fn new(descriptor: &[u8], record: Option<u32>) -> Option<MessageCheck> {
        let Some(index) = record else {
            return Some(MessageCheck {
                record,
                size: 0,
                plain: true,
            });
        };
        let (_, size) = validate::record_name_and_size(descriptor, index)?;
        Some(MessageCheck {
            record,
            size: usize::try_from(size).ok()?,
            plain: validate::is_plain(descriptor, index),
        })
    }

    /// The message's size in bytes.
    pub(crate) fn size(&self) -> usize {
        self.size
    }

    /// Checks received bytes (`docs/IDL.md` §11).
    pub(crate) fn check(&self, descriptor: &[u8], bytes: &[u8]) -> Result<(), ValidationError> {
        match self.record {
            Some(index) if !self.plain || bytes.len() != self.size => {
                validate::validate(descriptor, index, bytes)
            }
            Some(_) => Ok(()),
            None if bytes.is_empty() => Ok(()),
            None => Err(ValidationError {
                type_name: "(empty message)".to_owned(),
                field: String::new(),
                offset: 0,
                problem: Problem::WrongSize {
                    expected: 0,
                    found: bytes.len() as u64,
                },
            }),
        }
    }
}

/// The checks of the request (or event) and reply of every method of a service.
#[derive(Debug)]
pub(crate) struct MethodChecks {
    by_method: Vec<(u32, MessageCheck, MessageCheck)>,
}

impl MethodChecks {
    /// The checks of `service`'s methods; the error names the first record its descriptor
    /// lacks (generated code and runtime that do not match).
    pub(crate) fn of(service: &ServiceDescriptor) -> Result<MethodChecks, String> {
        let descriptor = service.descriptor;
        let check = |method: &MethodDescriptor, record: Option<u32>| {
            MessageCheck::new(descriptor, record).ok_or_else(|| {
                format!(
                    "the descriptor of `{}` has no record {} for `{}`; regenerate the code",
                    service.qualified_name,
                    record.unwrap_or_default(),
                    method.qualified_name
                )
            })
        };
        let by_method = service
            .methods
            .iter()
            .map(|method| {
                Ok((
                    method.id,
                    check(method, method.params)?,
                    check(method, method.results)?,
                ))
            })
            .collect::<Result<_, String>>()?;
        Ok(MethodChecks { by_method })
    }

    fn entry(&self, method: &MethodDescriptor) -> Option<&(u32, MessageCheck, MessageCheck)> {
        self.by_method.iter().find(|(id, ..)| *id == method.id)
    }

    /// The check of `method`'s request, one-way message or event.
    pub(crate) fn params(&self, method: &MethodDescriptor) -> MessageCheck {
        self.entry(method).map_or(EMPTY, |(_, params, _)| *params)
    }

    /// The check of `method`'s reply.
    pub(crate) fn results(&self, method: &MethodDescriptor) -> MessageCheck {
        self.entry(method).map_or(EMPTY, |(_, _, results)| *results)
    }
}

/// An empty message: for a method the service does not have, which is refused before any
/// message of it is checked.
const EMPTY: MessageCheck = MessageCheck {
    record: None,
    size: 0,
    plain: true,
};
