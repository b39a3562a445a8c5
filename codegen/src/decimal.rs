//! Decimal digits of unsigned integers, written without `format!`: the C and Python backends
//! write many sizes, offsets and lengths.

use std::fmt;

/// Writes `value` in decimal.
pub(crate) fn write_u64(out: &mut dyn fmt::Write, mut value: u64) -> fmt::Result {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    out.write_str(std::str::from_utf8(&digits[start..]).expect("ASCII digits"))
}

/// Appends the decimal digits of `value` to `out`.
pub(crate) fn push_u64(out: &mut String, value: u64) {
    write_u64(out, value).expect("writing to a String");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_every_width_of_u64() {
        for value in [0, 7, 10, 99, 1_000, 4096, u64::from(u32::MAX), u64::MAX] {
            let mut text = String::from("x");
            push_u64(&mut text, value);
            assert_eq!(text, format!("x{value}"));
        }
    }
}
