//! Constant expressions: evaluated exactly in 128-bit integer or 64-bit float arithmetic, then
//! checked against the type they must fit.

use std::collections::HashMap;

use super::names::Want;
use super::{scalar_of, Checker, ItemId};
use crate::ast::{BinaryOp, Expr, ExprKind, Ident, ItemKind, Scalar};
use crate::diagnostic::{Code, Diagnostic};
use crate::graph;
use crate::model::ConstValue;
use crate::source::{FileId, Span};

/// The value of a constant expression while it is evaluated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Value {
    Int(i128),
    Float(f64),
    Bool(bool),
}

impl From<ConstValue> for Value {
    fn from(value: ConstValue) -> Value {
        match value {
            ConstValue::Int(int) => Value::Int(int),
            ConstValue::Float(float) => Value::Float(float),
            ConstValue::Bool(boolean) => Value::Bool(boolean),
        }
    }
}

/// Why an expression has no value.
enum Failure {
    /// A new error to report.
    Report(Diagnostic),
    /// An error already reported (an unknown name, a constant that failed).
    Reported,
}

impl Checker<'_> {
    /// Evaluates every constant, each after the constants it uses.
    pub(super) fn evaluate_consts(&mut self) {
        let consts: Vec<ItemId> = (0..self.items.len())
            .filter(|&id| matches!(self.items[id].item.kind, ItemKind::Const(_)))
            .collect();
        let index_of: HashMap<ItemId, usize> = consts
            .iter()
            .enumerate()
            .map(|(index, &id)| (id, index))
            .collect();
        // Resolve every name used by a constant once, remembering it by its span.
        let mut resolved: HashMap<Span, ItemId> = HashMap::new();
        let mut successors = vec![Vec::new(); consts.len()];
        for (index, &id) in consts.iter().enumerate() {
            let ItemKind::Const(decl) = &self.items[id].item.kind else {
                unreachable!()
            };
            let file = self.items[id].file;
            let mut used = Vec::new();
            names_in(&decl.value, &mut used);
            for name in used {
                if let Some(target) = self.resolve(file, name, Want::Const) {
                    resolved.insert(name.span, target);
                    successors[index].push(index_of[&target]);
                }
            }
        }
        let ordering = graph::order(&successors);
        let mut failed = vec![false; consts.len()];
        for cycle in &ordering.cycles {
            let names: Vec<String> = cycle
                .iter()
                .chain(std::iter::once(&cycle[0]))
                .map(|&index| format!("`{}`", self.items[consts[index]].item.name.text))
                .collect();
            let first = self.items[consts[cycle[0]]].item;
            self.report(
                Diagnostic::error(
                    Code::RecursiveConst,
                    first.name.span,
                    format!(
                        "constant `{}` depends on itself: {}",
                        first.name.text,
                        names.join(" → ")
                    ),
                )
                .with_label("defined in terms of itself")
                .with_help("give one of these constants a value that does not use the others"),
            );
            cycle.iter().for_each(|&index| failed[index] = true);
        }
        for index in ordering.order {
            let id = consts[index];
            if failed[index] || successors[index].iter().any(|&used| failed[used]) {
                failed[index] = true;
                continue;
            }
            let ItemKind::Const(decl) = &self.items[id].item.kind else {
                unreachable!()
            };
            let values = &self.const_values;
            let mut lookup = |name: &Ident| {
                resolved
                    .get(&name.span)
                    .and_then(|target| values.get(target))
                    .map(|&v| Value::from(v))
            };
            let value = match evaluate(&decl.value, &mut lookup) {
                Ok(value) => fit_const(decl, value),
                Err(failure) => Err(failure),
            };
            match value {
                Ok(value) => {
                    self.const_values.insert(id, value);
                }
                Err(failure) => {
                    failed[index] = true;
                    if let Failure::Report(diagnostic) = failure {
                        self.report(diagnostic);
                    }
                }
            }
        }
    }

    /// Evaluates an integer expression written in `file` (a capacity, length, value or tag).
    pub fn evaluate_integer(&mut self, file: FileId, expr: &Expr) -> Option<i128> {
        let mut names = Vec::new();
        names_in(expr, &mut names);
        let mut values: HashMap<Span, Value> = HashMap::new();
        for name in names {
            let value = self
                .resolve(file, name, Want::Const)
                .and_then(|id| self.const_values.get(&id).copied());
            if let Some(value) = value {
                values.insert(name.span, value.into());
            }
        }
        let result = evaluate(expr, &mut |name| values.get(&name.span).copied()).and_then(
            |value| match value {
                Value::Int(int) => Ok(int),
                other => Err(Failure::Report(mismatch(expr.span, "an integer", other))),
            },
        );
        match result {
            Ok(int) => Some(int),
            Err(Failure::Report(diagnostic)) => {
                self.report(diagnostic);
                None
            }
            Err(Failure::Reported) => None,
        }
    }
}

/// Checks a constant's value against its declared type.
fn fit_const(decl: &crate::ast::ConstDecl, value: Value) -> Result<ConstValue, Failure> {
    let Some(ty) = scalar_of(&decl.ty) else {
        return Err(Failure::Report(
            Diagnostic::error(
                Code::ConstOutOfRange,
                decl.ty.span,
                "a constant's type must be a scalar",
            )
            .with_label("not a scalar")
            .with_help("use an integer type, `f32`, `f64` or `bool`"),
        ));
    };
    let span = decl.value.span;
    match (ty, value) {
        (Scalar::Bool, Value::Bool(boolean)) => Ok(ConstValue::Bool(boolean)),
        (Scalar::Bool, other) => Err(Failure::Report(mismatch(span, "`true` or `false`", other))),
        (Scalar::F32 | Scalar::F64, Value::Int(_) | Value::Float(_)) => {
            let float = match value {
                Value::Int(int) => int as f64,
                Value::Float(float) => float,
                Value::Bool(_) => unreachable!(),
            };
            if ty == Scalar::F32 && float.abs() > f64::from(f32::MAX) {
                return Err(Failure::Report(
                    Diagnostic::error(
                        Code::ConstOutOfRange,
                        span,
                        format!("value {float:e} does not fit `f32`"),
                    )
                    .with_label(format!("larger than {:e}", f32::MAX))
                    .with_help("declare the constant as `f64`"),
                ));
            }
            Ok(ConstValue::Float(float))
        }
        (Scalar::F32 | Scalar::F64, other) => {
            Err(Failure::Report(mismatch(span, "a number", other)))
        }
        (_, Value::Int(int)) => {
            let (min, max) = ty.integer_range().expect("integer scalar");
            if int < min || int > max {
                return Err(Failure::Report(out_of_range(
                    Code::ConstOutOfRange,
                    span,
                    int,
                    ty,
                    "value",
                )));
            }
            Ok(ConstValue::Int(int))
        }
        (_, other) => Err(Failure::Report(mismatch(span, "an integer", other))),
    }
}

/// The diagnostic for an integer that does not fit its type, with a wider type to use.
pub(crate) fn out_of_range(
    code: Code,
    span: Span,
    value: i128,
    ty: Scalar,
    what: &str,
) -> Diagnostic {
    let (min, max) = ty.integer_range().expect("integer scalar");
    let wider = Scalar::ALL.into_iter().find(|candidate| {
        candidate
            .integer_range()
            .is_some_and(|(low, high)| low <= value && value <= high && (low < 0) == (min < 0))
    });
    let help = match wider {
        Some(wider) => format!(
            "use a wider type such as `{}`, or a value from {min} to {max}",
            wider.name()
        ),
        None => format!("use a value from {min} to {max}"),
    };
    Diagnostic::error(
        code,
        span,
        format!("{what} {value} does not fit `{}`", ty.name()),
    )
    .with_label(format!("`{}` holds {min} to {max}", ty.name()))
    .with_help(help)
}

fn mismatch(span: Span, expected: &str, found: Value) -> Diagnostic {
    let (found, help) = match found {
        Value::Int(int) => (
            format!("the integer {int}"),
            format!("write {expected} here, or declare the constant with a matching type"),
        ),
        Value::Float(float) => (
            format!("the number {float}"),
            format!("only integers are allowed here, such as {}", float.trunc()),
        ),
        Value::Bool(boolean) => (
            format!("`{boolean}`"),
            "`true` and `false` take no part in arithmetic; use an integer constant here"
                .to_owned(),
        ),
    };
    Diagnostic::error(
        Code::ConstTypeMismatch,
        span,
        format!("expected {expected}, found {found}"),
    )
    .with_label(format!("expected {expected}"))
    .with_help(help)
}

/// Every name an expression uses, in order.
fn names_in<'e>(expr: &'e Expr, out: &mut Vec<&'e Ident>) {
    match &expr.kind {
        ExprKind::Name(name) => out.push(name),
        ExprKind::Neg(inner) | ExprKind::Paren(inner) => names_in(inner, out),
        ExprKind::Binary(_, lhs, rhs) => {
            names_in(lhs, out);
            names_in(rhs, out);
        }
        ExprKind::Int(_) | ExprKind::Float(_) | ExprKind::Bool(_) => {}
    }
}

/// Evaluates `expr`; `lookup` gives the value of a name (`None`: already reported).
fn evaluate(
    expr: &Expr,
    lookup: &mut dyn FnMut(&Ident) -> Option<Value>,
) -> Result<Value, Failure> {
    let overflow = |span: Span| {
        Failure::Report(
            Diagnostic::error(
                Code::ConstArithmetic,
                span,
                "overflow in constant expression",
            )
            .with_label("the result is too large to compute")
            .with_help("use smaller operands"),
        )
    };
    match &expr.kind {
        ExprKind::Int(magnitude) => i128::try_from(*magnitude)
            .map(Value::Int)
            .map_err(|_| overflow(expr.span)),
        ExprKind::Float(float) => Ok(Value::Float(*float)),
        ExprKind::Bool(boolean) => Ok(Value::Bool(*boolean)),
        ExprKind::Name(name) => lookup(name).ok_or(Failure::Reported),
        ExprKind::Paren(inner) => evaluate(inner, lookup),
        ExprKind::Neg(inner) => match evaluate(inner, lookup)? {
            Value::Int(int) => int
                .checked_neg()
                .map(Value::Int)
                .ok_or_else(|| overflow(expr.span)),
            Value::Float(float) => Ok(Value::Float(-float)),
            other => Err(Failure::Report(mismatch(inner.span, "a number", other))),
        },
        ExprKind::Binary(op, lhs, rhs) => {
            let left = evaluate(lhs, lookup)?;
            let right = evaluate(rhs, lookup)?;
            let division_by_zero = || {
                Failure::Report(
                    Diagnostic::error(
                        Code::ConstArithmetic,
                        rhs.span,
                        "division by zero in constant expression",
                    )
                    .with_label("this is zero")
                    .with_help("divide by a value other than zero"),
                )
            };
            match (left, right) {
                (Value::Int(a), Value::Int(b)) => {
                    let result = match op {
                        BinaryOp::Add => a.checked_add(b),
                        BinaryOp::Sub => a.checked_sub(b),
                        BinaryOp::Mul => a.checked_mul(b),
                        BinaryOp::Div if b == 0 => return Err(division_by_zero()),
                        BinaryOp::Div => a.checked_div(b),
                    };
                    result.map(Value::Int).ok_or_else(|| overflow(expr.span))
                }
                (Value::Bool(_), _) => Err(Failure::Report(mismatch(lhs.span, "a number", left))),
                (_, Value::Bool(_)) => Err(Failure::Report(mismatch(rhs.span, "a number", right))),
                (a, b) => {
                    let (a, b) = (as_float(a), as_float(b));
                    let result = match op {
                        BinaryOp::Add => a + b,
                        BinaryOp::Sub => a - b,
                        BinaryOp::Mul => a * b,
                        BinaryOp::Div if b == 0.0 => return Err(division_by_zero()),
                        BinaryOp::Div => a / b,
                    };
                    if result.is_finite() {
                        Ok(Value::Float(result))
                    } else {
                        Err(overflow(expr.span))
                    }
                }
            }
        }
    }
}

fn as_float(value: Value) -> f64 {
    match value {
        Value::Int(int) => int as f64,
        Value::Float(float) => float,
        Value::Bool(_) => unreachable!("booleans are refused before"),
    }
}
