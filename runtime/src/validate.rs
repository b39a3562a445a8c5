//! Validation of received bytes (`docs/IDL.md` §11): before any code sees a message, check it
//! against the descriptor that generated code embeds, and name the field that is wrong.
//!
//! One routine serves every language: generated Rust, C and Python embed the same descriptor
//! table and call this code. It walks the message with an explicit work list, so deep types
//! cannot exhaust the stack, and it trusts the descriptor no more than the message: a
//! malformed table is an error, never a panic or an endless loop.

use std::fmt;

use zerocopy::{Immutable, KnownLayout, TryFromBytes};

/// A generated type or message: the descriptor of its package and its record there.
pub trait Described {
    /// The validation descriptor of the type's package.
    const DESCRIPTOR: &'static [u8];
    /// The type's record in [`Described::DESCRIPTOR`].
    const DESCRIPTOR_INDEX: u32;
}

/// Checks `bytes` as a `T` and returns a reference to it, in place.
pub fn view<T>(bytes: &[u8]) -> Result<&T, ValidationError>
where
    T: Described + TryFromBytes + KnownLayout + Immutable,
{
    validate(T::DESCRIPTOR, T::DESCRIPTOR_INDEX, bytes)?;
    T::try_ref_from_bytes(bytes).map_err(|error| {
        let name = record_name_and_size(T::DESCRIPTOR, T::DESCRIPTOR_INDEX)
            .map_or("?", |(name, _)| name)
            .to_owned();
        let problem = match error {
            zerocopy::TryCastError::Alignment(_) => Problem::Misaligned,
            // The validator and the type disagree about the bytes: the generated code and the
            // runtime come from different versions.
            zerocopy::TryCastError::Size(_) | zerocopy::TryCastError::Validity(_) => {
                Problem::BadDescriptor(
                    "the type refuses bytes its descriptor accepts; regenerate the code",
                )
            }
        };
        ValidationError {
            type_name: name,
            field: String::new(),
            offset: 0,
            problem,
        }
    })
}

/// Checks that `bytes` hold a valid value of record `index` of `descriptor`.
pub fn validate(descriptor: &[u8], index: u32, bytes: &[u8]) -> Result<(), ValidationError> {
    let table = Table::new(descriptor).map_err(|problem| ValidationError::whole("?", problem))?;
    let root = table
        .record(index)
        .map_err(|problem| ValidationError::whole("?", problem))?;
    let type_name = root.name.to_owned();
    if bytes.len() as u64 != root.size {
        let problem = Problem::WrongSize {
            expected: root.size,
            found: bytes.len() as u64,
        };
        return Err(ValidationError::whole(&type_name, problem));
    }
    Walker {
        table,
        bytes,
        paths: Vec::new(),
        work: Vec::new(),
        steps: 0,
    }
    .run(index)
    .map_err(|failure| ValidationError {
        type_name,
        field: failure.field,
        offset: failure.offset,
        problem: failure.problem,
    })
}

/// Why a message was refused, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// The qualified name of the message's type (`fleet.control.Vehicle`).
    pub type_name: String,
    /// The path of the wrong field (`pose.position`, `waypoints[2].note`, `order(Drive)`);
    /// empty when the message as a whole is wrong.
    pub field: String,
    /// Offset of the wrong bytes in the message.
    pub offset: u64,
    /// What is wrong.
    pub problem: Problem,
}

impl ValidationError {
    fn whole(type_name: &str, problem: Problem) -> ValidationError {
        ValidationError {
            type_name: type_name.to_owned(),
            field: String::new(),
            offset: 0,
            problem,
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "invalid `{}`: {}", self.type_name, self.problem)
        } else {
            write!(
                f,
                "invalid `{}`: field `{}` at byte {}: {}",
                self.type_name, self.field, self.offset, self.problem
            )
        }
    }
}

impl std::error::Error for ValidationError {}

/// What is wrong with a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The message has the wrong number of bytes.
    WrongSize {
        /// The type's size.
        expected: u64,
        /// The bytes received.
        found: u64,
    },
    /// The bytes are not aligned for the type (a local error, not the peer's).
    Misaligned,
    /// A `bool` (or an optional's `present`) other than 0 or 1.
    InvalidBool(u8),
    /// An enum value that is not one of its members.
    UnknownEnumValue(i64),
    /// Flags with bits that name no member.
    UnknownFlags(u64),
    /// A union tag that names no variant.
    UnknownTag(i64),
    /// A `len` larger than the container's capacity.
    LengthOverCapacity {
        /// The length received.
        len: u32,
        /// The most the container holds.
        capacity: u32,
    },
    /// A string whose bytes are not UTF-8.
    InvalidUtf8 {
        /// Offset of the first invalid byte within the string's data.
        at: usize,
    },
    /// A padding byte that is not zero.
    NonZeroPadding,
    /// The descriptor itself is malformed (generated code and runtime disagree).
    BadDescriptor(&'static str),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::WrongSize { expected, found } => {
                write!(f, "{found} bytes, but the type has {expected}")
            }
            Problem::Misaligned => write!(f, "the buffer is not aligned for the type"),
            Problem::InvalidBool(value) => write!(f, "a bool must be 0 or 1, found {value}"),
            Problem::UnknownEnumValue(value) => write!(f, "{value} is not a value of the enum"),
            Problem::UnknownFlags(bits) => write!(f, "unknown flag bits {bits:#x}"),
            Problem::UnknownTag(tag) => write!(f, "{tag} is not a tag of the union"),
            Problem::LengthOverCapacity { len, capacity } => {
                write!(f, "length {len} is more than the capacity {capacity}")
            }
            Problem::InvalidUtf8 { at } => write!(f, "not UTF-8 from byte {at} of the text"),
            Problem::NonZeroPadding => write!(f, "padding bytes must be zero"),
            Problem::BadDescriptor(what) => write!(f, "malformed type descriptor: {what}"),
        }
    }
}

/// A check that failed, before the type name is attached.
struct Failure {
    field: String,
    offset: u64,
    problem: Problem,
}

// ---------------------------------------------------------------------------------------------
// Reading the descriptor
// ---------------------------------------------------------------------------------------------

const MAGIC: &[u8; 4] = b"IDSC";
const VERSION: u8 = 1;

/// Reads little-endian values from the descriptor, refusing to run past its end.
#[derive(Clone, Copy)]
struct Reader<'d> {
    bytes: &'d [u8],
    position: usize,
}

impl<'d> Reader<'d> {
    fn take(&mut self, count: usize) -> Result<&'d [u8], Problem> {
        let end = self
            .position
            .checked_add(count)
            .filter(|&end| end <= self.bytes.len());
        let end = end.ok_or(Problem::BadDescriptor("truncated"))?;
        let slice = &self.bytes[self.position..end];
        self.position = end;
        Ok(slice)
    }

    fn u8(&mut self) -> Result<u8, Problem> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, Problem> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().expect("two bytes"),
        ))
    }

    fn u32(&mut self) -> Result<u32, Problem> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("four bytes"),
        ))
    }

    fn u64(&mut self) -> Result<u64, Problem> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("eight bytes"),
        ))
    }

    fn str(&mut self) -> Result<&'d str, Problem> {
        let len = usize::from(self.u16()?);
        std::str::from_utf8(self.take(len)?)
            .map_err(|_| Problem::BadDescriptor("a name is not UTF-8"))
    }
}

/// The header of a descriptor: where each record starts.
#[derive(Clone, Copy)]
struct Table<'d> {
    bytes: &'d [u8],
    count: u32,
}

/// The start of a record: its kind, size and name, and a reader at its body.
struct RecordHead<'d> {
    kind: u8,
    size: u64,
    name: &'d str,
    body: Reader<'d>,
}

impl<'d> Table<'d> {
    fn new(bytes: &'d [u8]) -> Result<Table<'d>, Problem> {
        let mut reader = Reader { bytes, position: 0 };
        if reader.take(4)? != MAGIC {
            return Err(Problem::BadDescriptor("not a descriptor"));
        }
        if reader.u8()? != VERSION {
            return Err(Problem::BadDescriptor("unsupported version"));
        }
        Ok(Table {
            bytes,
            count: reader.u32()?,
        })
    }

    fn record(&self, index: u32) -> Result<RecordHead<'d>, Problem> {
        if index >= self.count {
            return Err(Problem::BadDescriptor("record index out of range"));
        }
        let mut table = Reader {
            bytes: self.bytes,
            position: 9 + 4 * index as usize,
        };
        let mut body = Reader {
            bytes: self.bytes,
            position: table.u32()? as usize,
        };
        let kind = body.u8()?;
        let size = body.u64()?;
        let _align = body.u64()?;
        let name = body.str()?;
        Ok(RecordHead {
            kind,
            size,
            name,
            body,
        })
    }
}

/// Whether every byte pattern of the right length is a valid value of record `index`: a
/// struct of numbers and arrays of numbers without padding, whose check is its length alone.
/// False for anything else, and when the descriptor is malformed (the full check then
/// reports it).
pub fn is_plain(descriptor: &[u8], index: u32) -> bool {
    plain_record(descriptor, index).unwrap_or(false)
}

/// [`is_plain`], with `None` for a malformed descriptor.
fn plain_record(descriptor: &[u8], index: u32) -> Option<bool> {
    /// More records than any schema nests: a descriptor that loops is not plain.
    const MAX_RECORDS: usize = 10_000;
    let table = Table::new(descriptor).ok()?;
    let mut records = vec![index];
    let mut seen = 0;
    while let Some(index) = records.pop() {
        seen += 1;
        let head = table.record(index).ok()?;
        if head.kind != 1 || seen > MAX_RECORDS {
            return Some(false);
        }
        let mut body = head.body;
        for _ in 0..body.u32().ok()? {
            body.str().ok()?;
            body.u64().ok()?;
            let mut ty = body;
            skip_ty(&mut body).ok()?;
            loop {
                match ty.u8().ok()? {
                    2..=code::LAST_SCALAR => break,
                    code::NAMED => {
                        ty.u64().ok()?;
                        records.push(ty.u32().ok()?);
                        break;
                    }
                    code::ARRAY => {
                        ty.take(12).ok()?;
                    }
                    _ => return Some(false),
                }
            }
        }
        if body.u32().ok()? != 0 {
            return Some(false);
        }
    }
    Some(true)
}

/// The qualified name and the size in bytes of record `index` of `descriptor`; `None` when the
/// descriptor is malformed or has no such record.
pub fn record_name_and_size(descriptor: &[u8], index: u32) -> Option<(&str, u64)> {
    let record = Table::new(descriptor).ok()?.record(index).ok()?;
    Some((record.name, record.size))
}

// ---------------------------------------------------------------------------------------------
// Walking the message
// ---------------------------------------------------------------------------------------------

/// One step of a field path.
#[derive(Clone, Copy)]
enum Segment<'d> {
    Field(&'d str),
    Index(u64),
    Variant(&'d str),
}

/// Pending work: a type (by its encoding in the descriptor) at an offset of the message.
struct Work<'d> {
    ty: Reader<'d>,
    offset: u64,
    /// Index into [`Walker::paths`] of the value's path, or `None` for the message itself.
    path: Option<usize>,
}

/// Checks bounding the walk of a malformed descriptor: work per message byte.
const STEPS_PER_BYTE: u64 = 64;

struct Walker<'d, 'm> {
    table: Table<'d>,
    bytes: &'m [u8],
    /// A path is a segment and the index of its parent path.
    paths: Vec<(Option<usize>, Segment<'d>)>,
    work: Vec<Work<'d>>,
    steps: u64,
}

/// Type codes of the descriptor.
mod code {
    pub const BOOL: u8 = 1;
    pub const LAST_SCALAR: u8 = 11;
    pub const NAMED: u8 = 0x20;
    pub const ARRAY: u8 = 0x21;
    pub const STRING: u8 = 0x22;
    pub const BYTES: u8 = 0x23;
    pub const VEC: u8 = 0x24;
    pub const OPTIONAL: u8 = 0x25;
}

impl<'d> Walker<'d, '_> {
    fn run(mut self, root: u32) -> Result<(), Failure> {
        self.record(root, 0, None)?;
        let budget = STEPS_PER_BYTE * (self.bytes.len() as u64 + 16);
        while let Some(work) = self.work.pop() {
            self.steps += 1;
            if self.steps > budget {
                return Err(self.fail(
                    work.path,
                    work.offset,
                    Problem::BadDescriptor("the walk does not end"),
                ));
            }
            self.value(work)?;
        }
        Ok(())
    }

    fn fail(&self, path: Option<usize>, offset: u64, problem: Problem) -> Failure {
        Failure {
            field: self.path_text(path),
            offset,
            problem,
        }
    }

    fn bad(&self, path: Option<usize>, offset: u64) -> impl Fn(Problem) -> Failure + '_ {
        move |problem| self.fail(path, offset, problem)
    }

    fn path_text(&self, mut path: Option<usize>) -> String {
        let mut segments = Vec::new();
        while let Some(index) = path {
            let (parent, segment) = self.paths[index];
            segments.push(segment);
            path = parent;
        }
        let mut text = String::new();
        for segment in segments.iter().rev() {
            match segment {
                Segment::Field(name) => {
                    if !text.is_empty() {
                        text.push('.');
                    }
                    text.push_str(name);
                }
                Segment::Index(index) => text.push_str(&format!("[{index}]")),
                Segment::Variant(name) => text.push_str(&format!("({name})")),
            }
        }
        text
    }

    fn child(&mut self, parent: Option<usize>, segment: Segment<'d>) -> Option<usize> {
        self.paths.push((parent, segment));
        Some(self.paths.len() - 1)
    }

    /// The `len` bytes at `offset`, or a descriptor error if they lie outside the message.
    fn slice(&self, offset: u64, len: u64, path: Option<usize>) -> Result<&[u8], Failure> {
        let end = offset
            .checked_add(len)
            .filter(|&end| end <= self.bytes.len() as u64);
        let end = end.ok_or_else(|| {
            self.fail(
                path,
                offset,
                Problem::BadDescriptor("a field lies outside the message"),
            )
        })?;
        Ok(&self.bytes[offset as usize..end as usize])
    }

    fn zero(&self, offset: u64, len: u64, path: Option<usize>) -> Result<(), Failure> {
        let bytes = self.slice(offset, len, path)?;
        match bytes.iter().position(|&byte| byte != 0) {
            None => Ok(()),
            Some(at) => Err(self.fail(path, offset + at as u64, Problem::NonZeroPadding)),
        }
    }

    /// Checks a record (struct, enum, flags or union) at `offset`.
    fn record(&mut self, index: u32, offset: u64, path: Option<usize>) -> Result<(), Failure> {
        let head = self.table.record(index).map_err(self.bad(path, offset))?;
        // The whole record must lie inside the message.
        self.slice(offset, head.size, path)?;
        let mut body = head.body;
        match head.kind {
            1 => {
                let fields = body.u32().map_err(self.bad(path, offset))?;
                for _ in 0..fields {
                    let name = body.str().map_err(self.bad(path, offset))?;
                    let field_offset = body.u64().map_err(self.bad(path, offset))?;
                    let ty = body;
                    skip_ty(&mut body).map_err(self.bad(path, offset))?;
                    let child = self.child(path, Segment::Field(name));
                    let at = offset.checked_add(field_offset).ok_or_else(|| {
                        self.fail(child, offset, Problem::BadDescriptor("offset overflows"))
                    })?;
                    self.work.push(Work {
                        ty,
                        offset: at,
                        path: child,
                    });
                }
                self.paddings(&mut body, offset, path)
            }
            2 => {
                let repr = body.u8().map_err(self.bad(path, offset))?;
                let value = self.integer(repr, offset, path)?;
                let members = body.u32().map_err(self.bad(path, offset))?;
                for _ in 0..members {
                    if body.u64().map_err(self.bad(path, offset))? as i64 == value {
                        return Ok(());
                    }
                }
                Err(self.fail(path, offset, Problem::UnknownEnumValue(value)))
            }
            3 => {
                let repr = body.u8().map_err(self.bad(path, offset))?;
                let bits = self.integer(repr, offset, path)? as u64 & width_mask(repr);
                let mask = body.u64().map_err(self.bad(path, offset))?;
                match bits & !mask {
                    0 => Ok(()),
                    unknown => Err(self.fail(path, offset, Problem::UnknownFlags(unknown))),
                }
            }
            4 => {
                let repr = body.u8().map_err(self.bad(path, offset))?;
                let tag = self.integer(repr, offset, path)?;
                let payload_offset = body.u64().map_err(self.bad(path, offset))?;
                self.paddings(&mut body, offset, path)?;
                let variants = body.u32().map_err(self.bad(path, offset))?;
                for _ in 0..variants {
                    let variant_tag = body.u64().map_err(self.bad(path, offset))? as i64;
                    let name = body.str().map_err(self.bad(path, offset))?;
                    let has_payload = body.u8().map_err(self.bad(path, offset))? != 0;
                    let ty = body;
                    if has_payload {
                        skip_ty(&mut body).map_err(self.bad(path, offset))?;
                    }
                    if variant_tag == tag {
                        if has_payload {
                            let child = self.child(path, Segment::Variant(name));
                            self.work.push(Work {
                                ty,
                                offset: offset + payload_offset,
                                path: child,
                            });
                        }
                        return Ok(());
                    }
                }
                Err(self.fail(path, offset, Problem::UnknownTag(tag)))
            }
            _ => Err(self.fail(path, offset, Problem::BadDescriptor("unknown record kind"))),
        }
    }

    fn paddings(
        &self,
        body: &mut Reader<'d>,
        offset: u64,
        path: Option<usize>,
    ) -> Result<(), Failure> {
        let count = body.u32().map_err(self.bad(path, offset))?;
        for _ in 0..count {
            let gap = body.u64().map_err(self.bad(path, offset))?;
            let len = body.u64().map_err(self.bad(path, offset))?;
            self.zero(offset.saturating_add(gap), len, path)?;
        }
        Ok(())
    }

    /// Reads the integer of scalar type `repr` at `offset`, sign-extended for signed types.
    fn integer(&self, repr: u8, offset: u64, path: Option<usize>) -> Result<i64, Failure> {
        let (size, signed) = match repr {
            2 => (1, false),
            3 => (2, false),
            4 => (4, false),
            5 => (8, false),
            6 => (1, true),
            7 => (2, true),
            8 => (4, true),
            9 => (8, true),
            _ => {
                return Err(self.fail(path, offset, Problem::BadDescriptor("not an integer type")))
            }
        };
        let bytes = self.slice(offset, size, path)?;
        let mut buffer = [0u8; 8];
        buffer[..bytes.len()].copy_from_slice(bytes);
        let raw = u64::from_le_bytes(buffer);
        let shift = 64 - 8 * size as u32;
        Ok(if signed {
            ((raw << shift) as i64) >> shift
        } else {
            raw as i64
        })
    }

    /// Checks one value described by `work.ty`.
    fn value(&mut self, work: Work<'d>) -> Result<(), Failure> {
        let Work {
            mut ty,
            offset,
            path,
        } = work;
        let bad = |walker: &Self, problem| walker.fail(path, offset, problem);
        let code = ty.u8().map_err(|p| bad(self, p))?;
        match code {
            code::BOOL => match self.slice(offset, 1, path)?[0] {
                0 | 1 => Ok(()),
                other => Err(bad(self, Problem::InvalidBool(other))),
            },
            2..=code::LAST_SCALAR => self.slice(offset, scalar_size(code), path).map(drop),
            code::NAMED => {
                let _size = ty.u64().map_err(|p| bad(self, p))?;
                let index = ty.u32().map_err(|p| bad(self, p))?;
                self.record(index, offset, path)
            }
            code::ARRAY => {
                let size = ty.u64().map_err(|p| bad(self, p))?;
                let len = u64::from(ty.u32().map_err(|p| bad(self, p))?);
                self.elements(ty, offset, size.checked_div(len).unwrap_or(0), len, path)
            }
            code::STRING | code::BYTES => {
                let size = ty.u64().map_err(|p| bad(self, p))?;
                let capacity = ty.u32().map_err(|p| bad(self, p))?;
                let len = self.length(offset, capacity, path)?;
                let data_end = 4 + u64::from(capacity);
                self.zero(offset + data_end, size.saturating_sub(data_end), path)?;
                if code == code::STRING {
                    let data = self.slice(offset + 4, u64::from(len), path)?;
                    if let Err(error) = std::str::from_utf8(data) {
                        return Err(bad(
                            self,
                            Problem::InvalidUtf8 {
                                at: error.valid_up_to(),
                            },
                        ));
                    }
                }
                Ok(())
            }
            code::VEC => {
                let size = ty.u64().map_err(|p| bad(self, p))?;
                let capacity = ty.u32().map_err(|p| bad(self, p))?;
                let items_offset = ty.u64().map_err(|p| bad(self, p))?;
                let len = self.length(offset, capacity, path)?;
                self.zero(offset + 4, items_offset.saturating_sub(4), path)?;
                let element_size = element_size(ty).map_err(|p| bad(self, p))?;
                let items_end =
                    items_offset.saturating_add(element_size.saturating_mul(u64::from(capacity)));
                self.zero(
                    offset.saturating_add(items_end),
                    size.saturating_sub(items_end),
                    path,
                )?;
                self.elements(
                    ty,
                    offset + items_offset,
                    element_size,
                    u64::from(len),
                    path,
                )
            }
            code::OPTIONAL => {
                let size = ty.u64().map_err(|p| bad(self, p))?;
                let value_offset = ty.u64().map_err(|p| bad(self, p))?;
                match self.slice(offset, 1, path)?[0] {
                    0 => Ok(()),
                    1 => {
                        self.zero(offset + 1, value_offset.saturating_sub(1), path)?;
                        let value_end = value_offset
                            .saturating_add(element_size(ty).map_err(|p| bad(self, p))?);
                        self.zero(
                            offset.saturating_add(value_end),
                            size.saturating_sub(value_end),
                            path,
                        )?;
                        self.work.push(Work {
                            ty,
                            offset: offset + value_offset,
                            path,
                        });
                        Ok(())
                    }
                    other => Err(bad(self, Problem::InvalidBool(other))),
                }
            }
            _ => Err(bad(self, Problem::BadDescriptor("unknown type code"))),
        }
    }

    /// Reads a container's `u32` length and checks it against the capacity.
    fn length(&self, offset: u64, capacity: u32, path: Option<usize>) -> Result<u32, Failure> {
        let bytes = self.slice(offset, 4, path)?;
        let len = u32::from_le_bytes(bytes.try_into().expect("four bytes"));
        if len > capacity {
            return Err(self.fail(path, offset, Problem::LengthOverCapacity { len, capacity }));
        }
        Ok(len)
    }

    /// Queues `count` elements of type `ty`, `stride` bytes apart, unless every bit pattern
    /// of the element is valid (integers and floats), which needs no look.
    fn elements(
        &mut self,
        ty: Reader<'d>,
        offset: u64,
        stride: u64,
        count: u64,
        path: Option<usize>,
    ) -> Result<(), Failure> {
        let first = ty.bytes.get(ty.position).copied();
        if matches!(first, Some(2..=code::LAST_SCALAR)) {
            return self
                .slice(offset, stride.saturating_mul(count), path)
                .map(drop);
        }
        if count > self.bytes.len() as u64 {
            return Err(self.fail(
                path,
                offset,
                Problem::BadDescriptor("more elements than bytes"),
            ));
        }
        for index in (0..count).rev() {
            let child = self.child(path, Segment::Index(index));
            let at = offset.saturating_add(stride.saturating_mul(index));
            self.work.push(Work {
                ty,
                offset: at,
                path: child,
            });
        }
        Ok(())
    }
}

fn scalar_size(code: u8) -> u64 {
    match code {
        1 | 2 | 6 => 1,
        3 | 7 => 2,
        4 | 8 | 10 => 4,
        _ => 8,
    }
}

/// Keeps the bits of an integer of scalar type `repr`.
fn width_mask(repr: u8) -> u64 {
    match scalar_size(repr) {
        8 => u64::MAX,
        size => (1u64 << (8 * size)) - 1,
    }
}

/// The size of the type encoded at `ty`.
fn element_size(mut ty: Reader<'_>) -> Result<u64, Problem> {
    match ty.u8()? {
        code @ 1..=code::LAST_SCALAR => Ok(scalar_size(code)),
        code::NAMED | code::ARRAY | code::STRING | code::BYTES | code::VEC | code::OPTIONAL => {
            ty.u64()
        }
        _ => Err(Problem::BadDescriptor("unknown type code")),
    }
}

/// Moves `ty` past one encoded type (types nest only through arrays, vecs and optionals,
/// each level a few bytes, so the loop ends within the descriptor).
fn skip_ty(ty: &mut Reader<'_>) -> Result<(), Problem> {
    loop {
        match ty.u8()? {
            1..=code::LAST_SCALAR => return Ok(()),
            code::NAMED => {
                ty.take(12)?;
                return Ok(());
            }
            code::STRING | code::BYTES => {
                ty.take(12)?;
                return Ok(());
            }
            code::ARRAY => {
                ty.take(12)?;
            }
            code::VEC => {
                ty.take(20)?;
            }
            code::OPTIONAL => {
                ty.take(16)?;
            }
            _ => return Err(Problem::BadDescriptor("unknown type code")),
        }
    }
}
