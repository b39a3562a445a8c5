//! Service descriptions from C: `interop_service` and `interop_method`, turned into the
//! runtime's `&'static ServiceDescriptor` once per description.

use std::ffi::c_char;
use std::sync::{Mutex, PoisonError};

use super::status::{self, Failure};
use crate::service::{MethodDescriptor, MethodKind, ServiceDescriptor};
use crate::validate;

/// [`interop_method::kind`] of a call with a reply.
pub const INTEROP_METHOD_RPC: u8 = 0;
/// [`interop_method::kind`] of a call without a reply.
pub const INTEROP_METHOD_ONEWAY: u8 = 1;
/// [`interop_method::kind`] of a message from the server to subscribed clients.
pub const INTEROP_METHOD_EVENT: u8 = 2;

/// One method of a service, as generated C declares it.
#[repr(C)]
#[allow(non_camel_case_types)]
pub struct interop_method {
    /// `package.Service.method`, NUL-terminated UTF-8.
    pub qualified_name: *const c_char,
    /// The method's name, NUL-terminated UTF-8.
    pub name: *const c_char,
    /// `INTEROP_METHOD_RPC`, `INTEROP_METHOD_ONEWAY` or `INTEROP_METHOD_EVENT`.
    pub kind: u8,
    /// The wire id: the first four bytes of the SHA-256 of the qualified name, little-endian.
    pub id: u32,
    /// SHA-256 over the method's name, kind, messages and error type.
    pub fingerprint: [u8; 32],
    /// Descriptor record of the request (or event) struct; -1 when it has no payload.
    pub params_record: i64,
    /// Descriptor record of the reply struct; -1 for an empty reply and for one-way and
    /// event methods.
    pub results_record: i64,
    /// Descriptor record of the method's IDL error enum; -1 when it declares no `error`.
    pub error_record: i64,
}

/// A service, as generated C declares it (`static const`): its name, its methods and the
/// validation descriptor of its package.
///
/// The runtime copies a description the first time it sees it and keeps the copy for the
/// life of the process, found again by the description's address (and checked to be
/// unchanged), so using the same description again costs nothing more.
#[repr(C)]
#[allow(non_camel_case_types)]
pub struct interop_service {
    /// `package.Service`, NUL-terminated UTF-8.
    pub qualified_name: *const c_char,
    /// The methods, in declaration order; method indexes in calls index this array.
    pub methods: *const interop_method,
    /// How many methods there are.
    pub method_count: usize,
    /// The validation descriptor of the service's package.
    pub descriptor: *const u8,
    /// Its length in bytes.
    pub descriptor_len: usize,
}

/// A description from C as the runtime keeps it.
#[derive(Debug)]
pub(crate) struct Service {
    pub(crate) descriptor: &'static ServiceDescriptor,
    /// The error record of each method, by index.
    errors: Vec<Option<u32>>,
}

impl Service {
    /// The method at `index`, checked to be of `kind` when given.
    pub(crate) fn method(
        &self,
        index: u32,
        kind: Option<MethodKind>,
    ) -> Result<&'static MethodDescriptor, Failure> {
        let methods = self.descriptor.methods;
        let method = methods.get(index as usize).ok_or_else(|| {
            Failure::argument(format!(
                "method index {index} is out of range: `{}` has {} methods",
                self.descriptor.qualified_name,
                methods.len()
            ))
        })?;
        match kind {
            Some(kind) if method.kind != kind => Err(Failure::argument(format!(
                "`{}` is {:?}, not {kind:?}",
                method.qualified_name, method.kind
            ))),
            _ => Ok(method),
        }
    }

    /// The index of `method` in the service.
    pub(crate) fn index_of(&self, method: &MethodDescriptor) -> u32 {
        let position = self
            .descriptor
            .methods
            .iter()
            .position(|own| own.id == method.id);
        position.map_or(u32::MAX, |index| index as u32)
    }

    /// The error record of `method`.
    pub(crate) fn error_record(&self, method: &MethodDescriptor) -> Option<u32> {
        self.errors
            .get(self.index_of(method) as usize)
            .copied()
            .flatten()
    }

    /// The size of the message in `record` (`None`: no message).
    pub(crate) fn size(&self, record: Option<u32>) -> usize {
        record
            .and_then(|index| validate::record_name_and_size(self.descriptor.descriptor, index))
            .map_or(0, |(_, size)| size as usize)
    }

    /// Checks `bytes` against `record`, naming `method` and `what` they are.
    pub(crate) fn check(
        &self,
        method: &MethodDescriptor,
        record: Option<u32>,
        bytes: &[u8],
        what: &str,
    ) -> Result<(), String> {
        let result = match record {
            Some(index) => validate::validate(self.descriptor.descriptor, index, bytes)
                .map_err(|error| error.to_string()),
            None if bytes.is_empty() => Ok(()),
            None => Err(format!("{} bytes, but the message is empty", bytes.len())),
        };
        result.map_err(|error| format!("{what} of `{}`: {error}", method.qualified_name))
    }
}

/// A description as read from C, owned, to compare with the descriptions seen before.
#[derive(PartialEq)]
struct Description {
    name: String,
    methods: Vec<Method>,
    descriptor: Vec<u8>,
}

#[derive(PartialEq)]
struct Method {
    qualified_name: String,
    name: String,
    kind: MethodKind,
    id: u32,
    fingerprint: [u8; 32],
    params: Option<u32>,
    results: Option<u32>,
    error: Option<u32>,
}

impl Description {
    /// The runtime's copy, kept for the life of the process.
    fn keep(&self) -> &'static Service {
        let methods = self.methods.iter().map(|method| MethodDescriptor {
            qualified_name: leak_str(&method.qualified_name),
            name: leak_str(&method.name),
            kind: method.kind,
            id: method.id,
            fingerprint: method.fingerprint,
            params: method.params,
            results: method.results,
        });
        Box::leak(Box::new(Service {
            descriptor: Box::leak(Box::new(ServiceDescriptor {
                qualified_name: leak_str(&self.name),
                methods: Box::leak(methods.collect()),
                descriptor: Box::leak(self.descriptor.clone().into_boxed_slice()),
            })),
            errors: self.methods.iter().map(|method| method.error).collect(),
        }))
    }
}

/// The descriptions seen so far, by address.
type Seen = Vec<(usize, Description, &'static Service)>;

static SEEN: Mutex<Seen> = Mutex::new(Vec::new());

/// The runtime's copy of the description at `service`, made the first time it is seen there
/// (or when it changed since).
///
/// # Safety
/// A non-null `service` must point to a valid `interop_service` whose pointers are valid
/// for the lengths it gives.
pub(crate) unsafe fn resolve(service: *const interop_service) -> Result<&'static Service, Failure> {
    // SAFETY: the caller vouches for the description.
    let description = unsafe { read(status::non_null(service, "service")?)? };
    let mut seen = SEEN.lock().unwrap_or_else(PoisonError::into_inner);
    let address = service as usize;
    if let Some((_, _, kept)) = seen
        .iter()
        .find(|(at, known, _)| *at == address && *known == description)
    {
        return Ok(kept);
    }
    let kept = description.keep();
    seen.retain(|(at, _, _)| *at != address);
    seen.push((address, description, kept));
    Ok(kept)
}

/// Reads and checks a description.
///
/// # Safety
/// As for [`resolve`].
unsafe fn read(service: &interop_service) -> Result<Description, Failure> {
    // SAFETY: the caller vouches for the strings.
    let name = unsafe { status::text(service.qualified_name, "service.qualified_name")? };
    let problem = |message: String| {
        Failure::new(
            status::INTEROP_E_CONFIG,
            format!("the description of `{name}` {message}; regenerate the C code"),
        )
    };
    if service.descriptor.is_null() || service.descriptor_len == 0 {
        return Err(problem("has no descriptor".to_owned()));
    }
    if service.methods.is_null() && service.method_count > 0 {
        return Err(problem("has a NULL method array".to_owned()));
    }
    // SAFETY: the caller vouches for `descriptor_len` readable bytes.
    let descriptor =
        unsafe { std::slice::from_raw_parts(service.descriptor, service.descriptor_len) };
    let methods = if service.method_count == 0 {
        &[][..]
    } else {
        // SAFETY: the caller vouches for `method_count` methods.
        unsafe { std::slice::from_raw_parts(service.methods, service.method_count) }
    };
    let mut read_methods: Vec<Method> = Vec::with_capacity(methods.len());
    for (index, method) in methods.iter().enumerate() {
        let field = |name: &str| format!("service.methods[{index}].{name}");
        // SAFETY: the caller vouches for the strings.
        let qualified_name =
            unsafe { status::text(method.qualified_name, &field("qualified_name"))? };
        // SAFETY: as above.
        let short_name = unsafe { status::text(method.name, &field("name"))? };
        let kind = match method.kind {
            INTEROP_METHOD_RPC => MethodKind::Rpc,
            INTEROP_METHOD_ONEWAY => MethodKind::Oneway,
            INTEROP_METHOD_EVENT => MethodKind::Event,
            other => {
                return Err(problem(format!(
                    "gives `{qualified_name}` kind {other}, which is none of \
                     INTEROP_METHOD_RPC, _ONEWAY, _EVENT"
                )))
            }
        };
        if let Some(other) = read_methods.iter().find(|other| other.id == method.id) {
            return Err(problem(format!(
                "gives `{qualified_name}` the id of `{}`",
                other.qualified_name
            )));
        }
        let record = |value: i64, what: &str| -> Result<Option<u32>, Failure> {
            if value < 0 {
                return Ok(None);
            }
            let index = u32::try_from(value)
                .ok()
                .filter(|index| validate::record_name_and_size(descriptor, *index).is_some());
            index.map(Some).ok_or_else(|| {
                problem(format!(
                    "gives `{qualified_name}` {what} record {value}, which its descriptor \
                     does not have"
                ))
            })
        };
        read_methods.push(Method {
            qualified_name: qualified_name.to_owned(),
            name: short_name.to_owned(),
            kind,
            id: method.id,
            fingerprint: method.fingerprint,
            params: record(method.params_record, "params")?,
            results: record(method.results_record, "results")?,
            error: record(method.error_record, "error")?,
        });
    }
    Ok(Description {
        name: name.to_owned(),
        methods: read_methods,
        descriptor: descriptor.to_vec(),
    })
}

fn leak_str(text: &str) -> &'static str {
    Box::leak(text.to_owned().into_boxed_str())
}
