//! The syntax tree of one schema file, exactly as written. Every node carries its span.
//!
//! Names are not resolved and expressions are not evaluated here: that is the checker's job.

use crate::source::{FileId, Span};

/// A name as written, with where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    /// The text of the name (a dotted path for qualified names).
    pub text: String,
    /// Where it was written.
    pub span: Span,
}

/// Doc comment lines (`///`), without the slashes and with one leading space removed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Docs(pub Vec<String>);

impl Docs {
    /// The doc comment as one text, lines joined by `\n`.
    pub fn text(&self) -> String {
        self.0.join("\n")
    }
}

/// One parsed schema file.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaFile {
    /// The file this tree was parsed from.
    pub file: FileId,
    /// The package's doc comment.
    pub docs: Docs,
    /// The package path (`robot.telemetry`).
    pub package: Ident,
    /// The imports, in order.
    pub imports: Vec<Import>,
    /// Every item, in order.
    pub items: Vec<Item>,
    /// The span of the whole file.
    pub span: Span,
}

/// `import "path";`
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    /// The path as written, relative to the importing file.
    pub path: String,
    /// The span of the whole import statement.
    pub span: Span,
}

/// A named top-level declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// Its doc comment.
    pub docs: Docs,
    /// Its name.
    pub name: Ident,
    /// What it declares.
    pub kind: ItemKind,
    /// The span of the keyword and name, used to point at the item.
    pub span: Span,
}

/// What an [`Item`] declares.
#[derive(Clone, Debug, PartialEq)]
pub enum ItemKind {
    /// `const NAME: T = expr;`
    Const(ConstDecl),
    /// `enum Name: T { ... }`
    Enum(EnumDecl),
    /// `flags Name: T { ... }`
    Flags(EnumDecl),
    /// `struct Name { ... }`
    Struct(StructDecl),
    /// `union Name: T { ... }`
    Union(UnionDecl),
    /// `service Name { ... }`
    Service(ServiceDecl),
}

impl ItemKind {
    /// The keyword that declares this kind of item.
    pub fn keyword(&self) -> &'static str {
        match self {
            ItemKind::Const(_) => "const",
            ItemKind::Enum(_) => "enum",
            ItemKind::Flags(_) => "flags",
            ItemKind::Struct(_) => "struct",
            ItemKind::Union(_) => "union",
            ItemKind::Service(_) => "service",
        }
    }
}

/// A constant.
#[derive(Clone, Debug, PartialEq)]
pub struct ConstDecl {
    /// Its declared type.
    pub ty: TypeRef,
    /// Its value.
    pub value: Expr,
}

/// An enum or flags declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumDecl {
    /// The underlying type, if given.
    pub repr: Option<TypeRef>,
    /// The members in order.
    pub members: Vec<EnumMember>,
}

/// One member of an enum or flags.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumMember {
    /// Its doc comment.
    pub docs: Docs,
    /// Its name.
    pub name: Ident,
    /// Its explicit value, if given.
    pub value: Option<Expr>,
    /// The span of the whole member, doc comment included.
    pub span: Span,
}

/// A struct declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct StructDecl {
    /// The fields in order.
    pub fields: Vec<Field>,
}

/// A struct field, a method parameter or a named result.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Its doc comment.
    pub docs: Docs,
    /// Its name.
    pub name: Ident,
    /// Its type.
    pub ty: TypeRef,
    /// The span of the whole field, doc comment included.
    pub span: Span,
}

/// A union declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct UnionDecl {
    /// The tag type, if given.
    pub repr: Option<TypeRef>,
    /// The variants in order.
    pub variants: Vec<Variant>,
}

/// One variant of a union.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// Its doc comment.
    pub docs: Docs,
    /// Its name.
    pub name: Ident,
    /// The type of its payload, if it has one.
    pub payload: Option<TypeRef>,
    /// Its explicit tag, if given.
    pub tag: Option<Expr>,
    /// The span of the whole variant, doc comment included.
    pub span: Span,
}

/// A service declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceDecl {
    /// The methods in order.
    pub methods: Vec<Method>,
}

/// What a method does on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MethodKind {
    /// A call with a reply.
    Rpc,
    /// A call without a reply.
    Oneway,
    /// A message from the server to every subscribed client.
    Event,
}

impl MethodKind {
    /// The keyword that declares this kind of method.
    pub fn keyword(self) -> &'static str {
        match self {
            MethodKind::Rpc => "rpc",
            MethodKind::Oneway => "oneway",
            MethodKind::Event => "event",
        }
    }
}

/// A method of a service.
#[derive(Clone, Debug, PartialEq)]
pub struct Method {
    /// Its doc comment.
    pub docs: Docs,
    /// Its name.
    pub name: Ident,
    /// rpc, oneway or event.
    pub kind: MethodKind,
    /// The parameters.
    pub params: Vec<Field>,
    /// The results of an rpc (`None` for oneway and event).
    pub results: Option<Results>,
    /// The error enum of an rpc.
    pub error: Option<TypeRef>,
    /// The span of the keyword and name.
    pub span: Span,
}

/// What an rpc returns.
#[derive(Clone, Debug, PartialEq)]
pub enum Results {
    /// `-> T`
    Type(TypeRef),
    /// `-> (a: A, b: B)`, possibly empty.
    Named(Vec<Field>),
}

/// A type as written.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeRef {
    /// Which type.
    pub kind: TypeRefKind,
    /// Where it was written.
    pub span: Span,
}

/// The forms a type can be written in.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeRefKind {
    /// `u32`, `bool`...
    Scalar(Scalar),
    /// A declared type, possibly qualified by its package.
    Named(Ident),
    /// `[T; N]`
    Array(Box<TypeRef>, Expr),
    /// `string<N>`
    String(Expr),
    /// `bytes<N>`
    Bytes(Expr),
    /// `vec<T, N>`
    Vec(Box<TypeRef>, Expr),
    /// `optional<T>`
    Optional(Box<TypeRef>),
}

/// The scalar types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)] // The names are the documentation.
pub enum Scalar {
    Bool,
    U8,
    U16,
    U32,
    U64,
    I8,
    I16,
    I32,
    I64,
    F32,
    F64,
}

impl Scalar {
    /// Every scalar, in the order the IDL reference lists them.
    pub const ALL: [Scalar; 11] = [
        Scalar::Bool,
        Scalar::U8,
        Scalar::U16,
        Scalar::U32,
        Scalar::U64,
        Scalar::I8,
        Scalar::I16,
        Scalar::I32,
        Scalar::I64,
        Scalar::F32,
        Scalar::F64,
    ];

    /// The IDL keyword for the scalar.
    pub fn name(self) -> &'static str {
        match self {
            Scalar::Bool => "bool",
            Scalar::U8 => "u8",
            Scalar::U16 => "u16",
            Scalar::U32 => "u32",
            Scalar::U64 => "u64",
            Scalar::I8 => "i8",
            Scalar::I16 => "i16",
            Scalar::I32 => "i32",
            Scalar::I64 => "i64",
            Scalar::F32 => "f32",
            Scalar::F64 => "f64",
        }
    }

    /// The scalar named by `name`, if any.
    pub fn from_name(name: &str) -> Option<Scalar> {
        Scalar::ALL.into_iter().find(|scalar| scalar.name() == name)
    }

    /// Size in bytes, which is also the alignment.
    pub fn size(self) -> u64 {
        match self {
            Scalar::Bool | Scalar::U8 | Scalar::I8 => 1,
            Scalar::U16 | Scalar::I16 => 2,
            Scalar::U32 | Scalar::I32 | Scalar::F32 => 4,
            Scalar::U64 | Scalar::I64 | Scalar::F64 => 8,
        }
    }

    /// The inclusive range of an integer scalar, `None` for `bool` and floats.
    pub fn integer_range(self) -> Option<(i128, i128)> {
        let bits = 8 * self.size() as u32;
        match self {
            Scalar::U8 | Scalar::U16 | Scalar::U32 | Scalar::U64 => Some((0, (1i128 << bits) - 1)),
            Scalar::I8 | Scalar::I16 | Scalar::I32 | Scalar::I64 => {
                Some((-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1))
            }
            Scalar::Bool | Scalar::F32 | Scalar::F64 => None,
        }
    }

    /// Whether this is `f32` or `f64`.
    pub fn is_float(self) -> bool {
        matches!(self, Scalar::F32 | Scalar::F64)
    }
}

/// A constant expression as written.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// Its form.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// The forms of constant expressions.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// An integer literal (its magnitude; negation is [`ExprKind::Neg`]).
    Int(u128),
    /// A floating-point literal.
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
    /// A reference to a constant.
    Name(Ident),
    /// `-e`
    Neg(Box<Expr>),
    /// `a op b`
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `(e)`, kept so the tree prints back as written.
    Paren(Box<Expr>),
}

/// The arithmetic operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/` (integer division truncates toward zero)
    Div,
}

impl BinaryOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }
}
