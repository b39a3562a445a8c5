//! Values as C constants: the package's constants as macros, and the literals of integers,
//! floating values and byte arrays.

use std::fmt::{self, Write};

use interop_idl::model::{ConstValue, Scalar};

use super::comments::doc_comment;
use super::templates::{writable, Define};
use super::PackageGen;
use crate::names::c_scalar_type;

impl<'m> PackageGen<'m> {
    /// The package's constants as macros of the constant's type: `FLEET_CONTROL_MAX_WAYPOINTS`.
    pub(super) fn consts(&mut self) -> Vec<Define<'m>> {
        let package = self.package;
        package
            .consts
            .iter()
            .map(|constant| {
                let value = match constant.value {
                    ConstValue::Int(value) => {
                        format!(
                            "(({}){})",
                            c_scalar_type(constant.ty),
                            int_literal(value, constant.ty, false)
                        )
                    }
                    ConstValue::Bool(value) => value.to_string(),
                    ConstValue::Float(value) => float_literal(value, constant.ty),
                };
                Define {
                    docs: doc_comment(&constant.docs, ""),
                    name: self.macro_name(&[&constant.name]),
                    value,
                }
            })
            .collect()
    }
}

/// Bytes as rows of C initializers, 16 a row (`0x49, 0x44, ...,`), each row on a line of
/// its own after `indent`, each line after a newline.
pub(super) fn hex_rows<'a>(bytes: &'a [u8], indent: &'a str) -> HexRows<'a> {
    HexRows { bytes, indent }
}

/// The text of [`hex_rows`]. (Descriptors run to hundreds of kilobytes for large schemas,
/// hence one write of text laid out in place rather than writes per byte or row.)
pub(super) struct HexRows<'a> {
    bytes: &'a [u8],
    indent: &'a str,
}

impl HexRows<'_> {
    fn write_to(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        let indent = self.indent.as_bytes();
        // The longest row: a newline, the indent, and 16 cells of 6 bytes, the last written
        // as 8 (see below).
        let row_len = 1 + indent.len() + 16 * 6 + 2;
        let mut text = [0u8; 4096];
        assert!(row_len <= text.len(), "an indent of a few spaces");
        let mut at = 0;
        for row in self.bytes.chunks(16) {
            if at + row_len > text.len() {
                out.write_str(std::str::from_utf8(&text[..at]).expect("ASCII"))?;
                at = 0;
            }
            text[at] = b'\n';
            text[at + 1..at + 1 + indent.len()].copy_from_slice(indent);
            at += 1 + indent.len();
            // Each cell is written as the 8 bytes of its word, of which the next cell (or row)
            // overwrites the last 2.
            for byte in row {
                text[at..at + 8].copy_from_slice(&HEX_CELLS[usize::from(*byte)].to_le_bytes());
                at += 6;
            }
            // No space after the last cell of a row.
            at -= 1;
        }
        out.write_str(std::str::from_utf8(&text[..at]).expect("ASCII"))
    }
}

/// `0xNN, ` for each byte value, as the little-endian bytes of a word (the last 2 bytes zero).
const HEX_CELLS: [u64; 256] = hex_cells();

/// The digits of hexadecimal numbers.
pub(super) const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// The words of [`HEX_CELLS`].
const fn hex_cells() -> [u64; 256] {
    const DIGITS: &[u8; 16] = HEX_DIGITS;
    let mut cells = [0u64; 256];
    let mut byte = 0;
    while byte < 256 {
        cells[byte] = u64::from_le_bytes([
            b'0',
            b'x',
            DIGITS[byte >> 4],
            DIGITS[byte & 0xf],
            b',',
            b' ',
            0,
            0,
        ]);
        byte += 1;
    }
    cells
}

writable!(HexRows);

/// An integer constant expression for `value` of an integer `scalar` type (before the cast to
/// the type): `7`, `-3`, `0x100`, `4000000000u`, `UINT64_C(1)`, `(-2147483647 - 1)`.
pub(super) fn int_literal(value: i128, scalar: Scalar, hex: bool) -> String {
    let magnitude = value.unsigned_abs();
    let sign = if value < 0 { "-" } else { "" };
    // The sign, and what comes before and after the digits.
    let (sign, before, after) = match scalar {
        Scalar::U64 => ("", "UINT64_C(", ")"),
        Scalar::I64 if value == i128::from(i64::MIN) => {
            return "(-INT64_C(9223372036854775807) - 1)".to_owned()
        }
        Scalar::I64 => (sign, "INT64_C(", ")"),
        Scalar::I32 if value == i128::from(i32::MIN) => return "(-2147483647 - 1)".to_owned(),
        Scalar::U32 if value > i128::from(i32::MAX) => ("", "", "u"),
        _ => (sign, "", ""),
    };
    let mut text = String::with_capacity(32);
    text.push_str(sign);
    text.push_str(before);
    if hex {
        write!(text, "0x{magnitude:x}")
    } else {
        write!(text, "{magnitude}")
    }
    .expect("writing to a String");
    text.push_str(after);
    text
}

/// A floating constant of `scalar`'s type: `27.5f`, `111320.0`.
fn float_literal(value: f64, scalar: Scalar) -> String {
    let text = if scalar == Scalar::F32 {
        format!("{:?}f", value as f32)
    } else {
        format!("{value:?}")
    };
    if text.contains("inf") || text.contains("NaN") {
        // Not produced by the checker today; keep the header compiling if it ever is.
        let base = if value.is_nan() {
            "(0.0 / 0.0)"
        } else if value > 0.0 {
            "(1.0 / 0.0)"
        } else {
            "(-1.0 / 0.0)"
        };
        return format!("(({}){base})", c_scalar_type(scalar));
    }
    if value.is_sign_negative() {
        format!("({text})")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals() {
        assert_eq!(int_literal(7, Scalar::U8, false), "7");
        assert_eq!(int_literal(-3, Scalar::I16, false), "-3");
        assert_eq!(int_literal(0x100, Scalar::U16, true), "0x100");
        assert_eq!(
            int_literal(4_000_000_000, Scalar::U32, false),
            "4000000000u"
        );
        assert_eq!(
            int_literal(i128::from(i32::MIN), Scalar::I32, false),
            "(-2147483647 - 1)"
        );
        assert_eq!(
            int_literal(i128::from(i64::MIN), Scalar::I64, false),
            "(-INT64_C(9223372036854775807) - 1)"
        );
        assert_eq!(
            int_literal(i128::from(u64::MAX), Scalar::U64, false),
            "UINT64_C(18446744073709551615)"
        );
        assert_eq!(float_literal(27.5, Scalar::F32), "27.5f");
        assert_eq!(float_literal(111_320.0, Scalar::F64), "111320.0");
        assert_eq!(hex_rows(&[], "  ").to_string(), "");
        assert_eq!(
            hex_rows(&[0xab; 17], "  ").to_string(),
            format!("\n  {}\n  0xab,", ["0xab,"; 16].join(" "))
        );
        assert_eq!(hex_rows(&[0x01, 0xf0], "").to_string(), "\n0x01, 0xf0,");
    }

    #[test]
    fn long_hex_rows() {
        // More rows than one buffer of text holds.
        let bytes: Vec<u8> = (0..5000u32).map(|n| (n * 7 % 256) as u8).collect();
        let expected: String = bytes
            .chunks(16)
            .map(|row| {
                let cells: Vec<String> = row.iter().map(|byte| format!("0x{byte:02x},")).collect();
                format!("\n    {}", cells.join(" "))
            })
            .collect();
        assert_eq!(hex_rows(&bytes, "    ").to_string(), expected);
    }
}
