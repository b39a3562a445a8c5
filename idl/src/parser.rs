//! Text to syntax tree: the pest grammar in `grammar.pest`, plus the limits that keep parsing
//! of hostile input bounded.

use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser as _;

use crate::ast::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};

mod syntax_error;

/// How deep brackets, parentheses and braces may nest. Real schemas stay far below; the bound
/// keeps every recursive walk of the tree within a small, fixed stack.
pub const MAX_NESTING: usize = 32;

/// How many operands and operators (unary minus included) one constant expression may have.
pub const MAX_EXPRESSION_TOKENS: usize = 512;

/// The pest parser; private, so that its generated `Rule` enum stays out of the public API.
mod grammar {
    #[derive(pest_derive::Parser)]
    #[grammar = "grammar.pest"]
    pub(super) struct Grammar;
}

use grammar::{Grammar, Rule};

/// Parses the text of one file into its syntax tree.
pub fn parse(file: FileId, text: &str) -> Result<SchemaFile, Diagnostic> {
    check_nesting(file, text)?;
    let mut pairs = Grammar::parse(Rule::file, text).map_err(|_| syntax_error(file, text))?;
    let root = pairs.next().expect("the file rule matched");
    Builder { file }.file(root)
}

/// Parses `text` again with pest's tracking of expected tokens, which slows parsing down, so
/// it runs only once a parse has failed. The setting is global to pest: the lock keeps one
/// detailed parse from switching it off under another.
fn syntax_error(file: FileId, text: &str) -> Diagnostic {
    static DETAILED: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = DETAILED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    pest::set_error_detail(true);
    let result = Grammar::parse(Rule::file, text);
    pest::set_error_detail(false);
    match result {
        Err(error) => syntax_error::convert(file, text, error),
        Ok(_) => unreachable!("the same text parsed differently"),
    }
}

/// Refuses nesting deeper than [`MAX_NESTING`] before the grammar sees the text.
fn check_nesting(file: FileId, text: &str) -> Result<(), Diagnostic> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'/' if bytes.get(index + 1) == Some(&b'/') => {
                index += bytes[index..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .unwrap_or(bytes.len());
                continue;
            }
            b'/' if bytes.get(index + 1) == Some(&b'*') => {
                index += text[index + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |end| end + 4);
                continue;
            }
            b'"' => {
                index += 1 + bytes[index + 1..]
                    .iter()
                    .position(|&b| b == b'"' || b == b'\n')
                    .unwrap_or(bytes.len());
            }
            b'(' | b'[' | b'{' | b'<' => {
                depth += 1;
                if depth > MAX_NESTING {
                    let span = Span::new(file, index..index + 1);
                    return Err(Diagnostic::error(
                        Code::TooDeep,
                        span,
                        format!("brackets nest more than {MAX_NESTING} levels deep"),
                    )
                    .with_label("this bracket is too deep")
                    .with_help("name an inner part as its own type or constant"));
                }
            }
            // The `>` of `->` closes nothing.
            b'>' if index > 0 && bytes[index - 1] == b'-' => {}
            b')' | b']' | b'}' | b'>' => depth = depth.saturating_sub(1),
            _ => {}
        }
        index += 1;
    }
    Ok(())
}

/// Builds the tree from pest's pairs. The grammar guarantees each pair's shape, so the
/// `expect`s below state facts of the grammar, not assumptions about the input.
struct Builder {
    file: FileId,
}

type Result<T, E = Diagnostic> = std::result::Result<T, E>;

impl Builder {
    /// The span of a pair without the whitespace pest may consume after its last token (an
    /// optional repetition that fails after skipping whitespace keeps the skip).
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let span = pair.as_span();
        let end = span.start() + pair.as_str().trim_end().len();
        Span::new(self.file, span.start()..end)
    }

    fn ident(&self, pair: Pair<'_, Rule>) -> Ident {
        Ident {
            text: pair.as_str().to_owned(),
            span: self.span(&pair),
        }
    }

    fn file(&self, root: Pair<'_, Rule>) -> Result<SchemaFile> {
        let span = self.span(&root);
        let mut inner = root.into_inner();
        let package = inner.next().expect("file starts with a package");
        let mut package_parts = package.into_inner();
        let docs = take_docs(&mut package_parts);
        let package = self.ident(package_parts.nth(1).expect("package path after `package`"));
        let mut imports = Vec::new();
        let mut items = Vec::new();
        for pair in inner {
            match pair.as_rule() {
                Rule::import_decl => {
                    let span = self.span(&pair);
                    let literal = pair
                        .into_inner()
                        .nth(1)
                        .expect("import path after `import`");
                    let path = literal.into_inner().next().expect("string body").as_str();
                    imports.push(Import {
                        path: path.to_owned(),
                        span,
                    });
                }
                Rule::item => items.push(self.item(pair)?),
                Rule::EOI => {}
                rule => unreachable!("file contains {rule:?}"),
            }
        }
        Ok(SchemaFile {
            file: self.file,
            docs,
            package,
            imports,
            items,
            span,
        })
    }

    fn item(&self, pair: Pair<'_, Rule>) -> Result<Item> {
        let mut inner = pair.into_inner();
        let docs = take_docs(&mut inner);
        let decl = inner.next().expect("item declaration");
        let rule = decl.as_rule();
        let mut parts = decl.into_inner();
        let keyword = parts.next().expect("item keyword");
        let name = self.ident(parts.next().expect("item name"));
        let span = self.span(&keyword).to(name.span);
        let kind = match rule {
            Rule::const_decl => {
                let ty = self.type_ref(parts.next().expect("const type"))?;
                let value = self.expr(parts.next().expect("const value"))?;
                ItemKind::Const(ConstDecl { ty, value })
            }
            Rule::enum_decl => ItemKind::Enum(self.enum_decl(parts)?),
            Rule::flags_decl => ItemKind::Flags(self.enum_decl(parts)?),
            Rule::struct_decl => ItemKind::Struct(StructDecl {
                fields: parts
                    .map(|field| self.field(field))
                    .collect::<Result<_>>()?,
            }),
            Rule::union_decl => {
                let mut parts = parts.peekable();
                let repr = match parts.next_if(|pair| pair.as_rule() == Rule::repr) {
                    Some(repr) => Some(self.repr(repr)?),
                    None => None,
                };
                let variants = parts
                    .map(|variant| self.variant(variant))
                    .collect::<Result<_>>()?;
                ItemKind::Union(UnionDecl { repr, variants })
            }
            Rule::service_decl => ItemKind::Service(ServiceDecl {
                methods: parts
                    .map(|method| self.method(method))
                    .collect::<Result<_>>()?,
            }),
            rule => unreachable!("item contains {rule:?}"),
        };
        Ok(Item {
            docs,
            name,
            kind,
            span,
        })
    }

    fn repr(&self, pair: Pair<'_, Rule>) -> Result<TypeRef> {
        self.type_ref(pair.into_inner().next().expect("repr type"))
    }

    fn enum_decl(&self, parts: pest::iterators::Pairs<'_, Rule>) -> Result<EnumDecl> {
        let mut repr = None;
        let mut members = Vec::new();
        for pair in parts {
            match pair.as_rule() {
                Rule::repr => repr = Some(self.repr(pair)?),
                Rule::enum_member => {
                    let span = self.span(&pair);
                    let mut inner = pair.into_inner();
                    let docs = take_docs(&mut inner);
                    let name = self.ident(inner.next().expect("member name"));
                    let value = inner.next().map(|value| self.expr(value)).transpose()?;
                    members.push(EnumMember {
                        docs,
                        name,
                        value,
                        span,
                    });
                }
                rule => unreachable!("enum contains {rule:?}"),
            }
        }
        Ok(EnumDecl { repr, members })
    }

    fn field(&self, pair: Pair<'_, Rule>) -> Result<Field> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let docs = take_docs(&mut inner);
        let name = self.ident(inner.next().expect("field name"));
        let ty = self.type_ref(inner.next().expect("field type"))?;
        Ok(Field {
            docs,
            name,
            ty,
            span,
        })
    }

    fn variant(&self, pair: Pair<'_, Rule>) -> Result<Variant> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let docs = take_docs(&mut inner);
        let name = self.ident(inner.next().expect("variant name"));
        let mut payload = None;
        let mut tag = None;
        for part in inner {
            match part.as_rule() {
                Rule::variant_payload => {
                    payload = Some(self.type_ref(part.into_inner().next().expect("payload"))?)
                }
                Rule::expr => tag = Some(self.expr(part)?),
                rule => unreachable!("variant contains {rule:?}"),
            }
        }
        Ok(Variant {
            docs,
            name,
            payload,
            tag,
            span,
        })
    }

    fn method(&self, pair: Pair<'_, Rule>) -> Result<Method> {
        let mut inner = pair.into_inner();
        let docs = take_docs(&mut inner);
        let decl = inner.next().expect("method declaration");
        let kind = match decl.as_rule() {
            Rule::rpc => MethodKind::Rpc,
            Rule::oneway => MethodKind::Oneway,
            Rule::event => MethodKind::Event,
            rule => unreachable!("method is {rule:?}"),
        };
        let mut parts = decl.into_inner();
        let keyword = parts.next().expect("method keyword");
        let name = self.ident(parts.next().expect("method name"));
        let span = self.span(&keyword).to(name.span);
        let params = self.fields(parts.next().expect("parameters"))?;
        let mut results = None;
        let mut error = None;
        for part in parts {
            match part.as_rule() {
                Rule::results => {
                    let result = part.into_inner().next().expect("result");
                    results = Some(match result.as_rule() {
                        Rule::params => Results::Named(self.fields(result)?),
                        _ => Results::Type(self.type_ref(result)?),
                    });
                }
                Rule::error_clause => {
                    let ty = part.into_inner().nth(1).expect("error type");
                    error = Some(self.type_ref(ty)?);
                }
                rule => unreachable!("method contains {rule:?}"),
            }
        }
        Ok(Method {
            docs,
            name,
            kind,
            params,
            results,
            error,
            span,
        })
    }

    fn fields(&self, params: Pair<'_, Rule>) -> Result<Vec<Field>> {
        params.into_inner().map(|field| self.field(field)).collect()
    }

    fn type_ref(&self, pair: Pair<'_, Rule>) -> Result<TypeRef> {
        let span = self.span(&pair);
        let form = pair.into_inner().next().expect("type form");
        let rule = form.as_rule();
        let text = form.as_str();
        let mut parts = form.into_inner();
        let kind = match rule {
            Rule::scalar => {
                // `scalar` is atomic: its text is the keyword.
                TypeRefKind::Scalar(Scalar::from_name(text).expect("scalar keyword"))
            }
            Rule::named_type => TypeRefKind::Named(self.ident(parts.next().expect("path"))),
            Rule::array_type => {
                let element = self.type_ref(parts.next().expect("element type"))?;
                TypeRefKind::Array(Box::new(element), self.expr(parts.next().expect("length"))?)
            }
            Rule::string_type => TypeRefKind::String(self.expr(parts.next().expect("capacity"))?),
            Rule::bytes_type => TypeRefKind::Bytes(self.expr(parts.next().expect("capacity"))?),
            Rule::vec_type => {
                let element = self.type_ref(parts.next().expect("element type"))?;
                TypeRefKind::Vec(
                    Box::new(element),
                    self.expr(parts.next().expect("capacity"))?,
                )
            }
            Rule::optional_type => {
                TypeRefKind::Optional(Box::new(self.type_ref(parts.next().expect("value type"))?))
            }
            rule => unreachable!("type is {rule:?}"),
        };
        Ok(TypeRef { kind, span })
    }

    fn expr(&self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let span = self.span(&pair);
        // Every token counts, so that neither `1+1+…` nor `- - - … 1` builds a deep tree.
        let tokens = pair.clone().into_inner().count();
        if tokens > MAX_EXPRESSION_TOKENS {
            return Err(Diagnostic::error(
                Code::TooDeep,
                span,
                format!("constant expression has {tokens} operands and operators, more than {MAX_EXPRESSION_TOKENS}"),
            )
            .with_label("too long")
            .with_help("split it into several named constants"));
        }
        pratt()
            .map_primary(|primary| self.primary(primary))
            .map_prefix(|neg, operand| {
                let operand = operand?;
                let span = self.span(&neg).to(operand.span);
                Ok(Expr {
                    kind: ExprKind::Neg(Box::new(operand)),
                    span,
                })
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, rhs) = (lhs?, rhs?);
                let op = match op.as_rule() {
                    Rule::add => BinaryOp::Add,
                    Rule::sub => BinaryOp::Sub,
                    Rule::mul => BinaryOp::Mul,
                    Rule::div => BinaryOp::Div,
                    rule => unreachable!("operator is {rule:?}"),
                };
                let span = lhs.span.to(rhs.span);
                Ok(Expr {
                    kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
                    span,
                })
            })
            .parse(pair.into_inner())
    }

    fn primary(&self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let span = self.span(&pair);
        let text = pair.as_str();
        let kind = match pair.as_rule() {
            Rule::int_lit => ExprKind::Int(parse_int(text).ok_or_else(|| {
                Diagnostic::error(Code::Syntax, span, "integer literal is too large")
                    .with_label("more than 128 bits")
                    .with_help("integer literals hold at most 128 bits; the IDL's integer types at most 64")
            })?),
            Rule::float_lit => {
                let digits: String = text.chars().filter(|&c| c != '_').collect();
                let value: f64 = digits.parse().expect("the grammar admits only valid floats");
                if !value.is_finite() {
                    return Err(Diagnostic::error(
                        Code::ConstOutOfRange,
                        span,
                        format!("the number {text} does not fit `f64`"),
                    )
                    .with_label("too large")
                    .with_help(format!("use a number no larger than {:e}", f64::MAX)));
                }
                ExprKind::Float(value)
            }
            Rule::bool_lit => ExprKind::Bool(text == "true"),
            Rule::path => ExprKind::Name(self.ident(pair)),
            Rule::expr => {
                // A parenthesized expression.
                ExprKind::Paren(Box::new(self.expr(pair)?))
            }
            rule => unreachable!("primary is {rule:?}"),
        };
        Ok(Expr { kind, span })
    }
}

fn take_docs(pairs: &mut pest::iterators::Pairs<'_, Rule>) -> Docs {
    let mut lines = Vec::new();
    while let Some(doc) = pairs.peek().filter(|pair| pair.as_rule() == Rule::doc) {
        pairs.next();
        let text = doc.into_inner().next().map_or("", |text| text.as_str());
        let text = text.strip_prefix(' ').unwrap_or(text);
        lines.push(text.trim_end().to_owned());
    }
    Docs(lines)
}

fn parse_int(text: &str) -> Option<u128> {
    let digits: String = text.chars().filter(|&c| c != '_').collect();
    let (radix, digits) = match digits.get(..2) {
        Some("0x" | "0X") => (16, &digits[2..]),
        Some("0b" | "0B") => (2, &digits[2..]),
        _ => (10, &digits[..]),
    };
    u128::from_str_radix(digits, radix).ok()
}

fn pratt() -> &'static PrattParser<Rule> {
    static PRATT: std::sync::OnceLock<PrattParser<Rule>> = std::sync::OnceLock::new();
    PRATT.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
            .op(Op::infix(Rule::mul, Assoc::Left) | Op::infix(Rule::div, Assoc::Left))
            .op(Op::prefix(Rule::neg))
    })
}
