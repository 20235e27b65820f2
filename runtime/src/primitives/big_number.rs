use std::fmt;
use std::str::FromStr;

/// An arbitrary-precision integer (a Smithy `bigInteger`), kept as its decimal text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BigInteger(String);

/// An arbitrary-precision decimal (a Smithy `bigDecimal`), kept as its decimal text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BigDecimal(String);

/// Text that is not a valid big number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BigNumberError {
    text: String,
    expected: &'static str,
}

impl fmt::Display for BigNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not {}", self.text, self.expected)
    }
}

impl std::error::Error for BigNumberError {}

fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn is_decimal(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let unsigned = mantissa.strip_prefix(['-', '+']).unwrap_or(mantissa);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits_ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    !(whole.is_empty() && fraction.is_empty())
        && digits_ok(whole)
        && digits_ok(fraction)
        && exponent.is_none_or(is_integer)
}

macro_rules! big_number_impls {
    ($name:ident, $check:ident, $expected:literal) => {
        impl $name {
            /// The number as decimal text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = BigNumberError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                if $check(text) {
                    Ok(Self(text.to_owned()))
                } else {
                    Err(BigNumberError {
                        text: text.to_owned(),
                        expected: $expected,
                    })
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

big_number_impls!(BigInteger, is_integer, "an integer");
big_number_impls!(BigDecimal, is_decimal, "a decimal number");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_rejects_integers() {
        assert_eq!("-123".parse::<BigInteger>().unwrap().as_str(), "-123");
        let error = "1.5".parse::<BigInteger>().unwrap_err();
        assert_eq!(error.to_string(), "`1.5` is not an integer");
        assert!("".parse::<BigInteger>().is_err());
    }

    #[test]
    fn accepts_and_rejects_decimals() {
        for ok in ["1.5", "-0.25e10", "3", ".5", "7.", "1E-3"] {
            assert!(ok.parse::<BigDecimal>().is_ok(), "{ok}");
        }
        for bad in ["", ".", "1.2.3", "1e", "abc", "1e1.5"] {
            assert!(bad.parse::<BigDecimal>().is_err(), "{bad}");
        }
    }
}
