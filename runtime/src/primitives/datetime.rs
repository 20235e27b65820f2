//! A UTC instant with the three text forms Smithy uses: RFC 3339 (`date-time`), IMF-fixdate
//! (`http-date`) and `epoch-seconds`.
//!
//! Our own small type rather than `time` or `chrono`: the generated crate needs exactly these
//! three forms, and the civil-calendar arithmetic for them is a few dozen lines, whereas either
//! crate would add its own formatting machinery to every user's build.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const NANOS_PER_SECOND: u32 = 1_000_000_000;
const SECONDS_PER_DAY: i64 = 86_400;
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A point in time, to the nanosecond, in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    seconds: i64,
    subsec_nanos: u32,
}

/// The text forms of a [`DateTime`], named as in Smithy's `@timestampFormat`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateTimeFormat {
    /// RFC 3339, `2019-12-16T23:48:18.52Z`.
    DateTime,
    /// IMF-fixdate (RFC 7231), `Mon, 16 Dec 2019 23:48:18 GMT`.
    HttpDate,
    /// Seconds since the Unix epoch with an optional fraction, `1576540098.52`.
    EpochSeconds,
}

/// Text that does not hold a timestamp in the expected form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeParseError {
    text: String,
    format: DateTimeFormat,
    reason: &'static str,
}

impl fmt::Display for DateTimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let form = match self.format {
            DateTimeFormat::DateTime => "an RFC 3339 date-time",
            DateTimeFormat::HttpDate => "an HTTP date",
            DateTimeFormat::EpochSeconds => "epoch seconds",
        };
        write!(f, "`{}` is not {form}: {}", self.text, self.reason)
    }
}

impl std::error::Error for DateTimeParseError {}

impl DateTime {
    /// The instant `seconds` after the Unix epoch.
    pub fn from_secs(seconds: i64) -> Self {
        Self {
            seconds,
            subsec_nanos: 0,
        }
    }

    /// The instant `seconds` plus `subsec_nanos` (below one second) after the Unix epoch.
    /// Returns `None` when `subsec_nanos` is one second or more.
    pub fn from_secs_and_nanos(seconds: i64, subsec_nanos: u32) -> Option<Self> {
        (subsec_nanos < NANOS_PER_SECOND).then_some(Self {
            seconds,
            subsec_nanos,
        })
    }

    /// The instant given as fractional seconds since the epoch, rounded to the microsecond
    /// (the precision an `f64` keeps for present-day times). `None` when not finite or out of range.
    pub fn from_secs_f64(seconds: f64) -> Option<Self> {
        if !seconds.is_finite() || seconds.abs() >= i64::MAX as f64 {
            return None;
        }
        let whole = seconds.floor();
        let micros = ((seconds - whole) * 1e6).round() as u32;
        let (whole, micros) = if micros >= 1_000_000 {
            (whole as i64 + 1, 0)
        } else {
            (whole as i64, micros)
        };
        Self::from_secs_and_nanos(whole, micros * 1_000)
    }

    /// The current time from the system clock.
    pub fn now() -> Self {
        Self::from(SystemTime::now())
    }

    /// Whole seconds since the epoch (rounded down).
    pub fn secs(&self) -> i64 {
        self.seconds
    }

    /// Nanoseconds past [`secs`](Self::secs).
    pub fn subsec_nanos(&self) -> u32 {
        self.subsec_nanos
    }

    /// Fractional seconds since the epoch.
    pub fn as_secs_f64(&self) -> f64 {
        self.seconds as f64 + f64::from(self.subsec_nanos) / 1e9
    }

    /// This instant as text in `format`.
    pub fn fmt(&self, format: DateTimeFormat) -> String {
        match format {
            DateTimeFormat::DateTime => self.to_rfc3339(),
            DateTimeFormat::HttpDate => self.to_http_date(),
            DateTimeFormat::EpochSeconds => {
                format!("{}{}", self.seconds, fraction(self.subsec_nanos))
            }
        }
    }

    /// Reads text in `format`.
    pub fn parse(text: &str, format: DateTimeFormat) -> Result<Self, DateTimeParseError> {
        let parsed = match format {
            DateTimeFormat::DateTime => parse_rfc3339(text),
            DateTimeFormat::HttpDate => parse_http_date(text),
            DateTimeFormat::EpochSeconds => parse_epoch_seconds(text),
        };
        parsed.map_err(|reason| DateTimeParseError {
            text: text.to_owned(),
            format,
            reason,
        })
    }

    fn to_rfc3339(self) -> String {
        let (date, [hour, minute, second]) = self.civil();
        format!(
            "{:04}-{:02}-{:02}T{hour:02}:{minute:02}:{second:02}{}Z",
            date.0,
            date.1,
            date.2,
            fraction(self.subsec_nanos)
        )
    }

    fn to_http_date(self) -> String {
        let ((year, month, day), [hour, minute, second]) = self.civil();
        let weekday = WEEKDAYS[self.seconds.div_euclid(SECONDS_PER_DAY).rem_euclid(7) as usize];
        let millis = self.subsec_nanos / 1_000_000;
        let millis = if millis == 0 {
            String::new()
        } else {
            format!(".{millis:03}")
        };
        format!(
            "{weekday}, {day:02} {} {year:04} {hour:02}:{minute:02}:{second:02}{millis} GMT",
            MONTHS[month as usize - 1]
        )
    }

    /// `((year, month, day), [hour, minute, second])` in UTC.
    pub(crate) fn civil(self) -> ((i64, u32, u32), [i64; 3]) {
        let days = self.seconds.div_euclid(SECONDS_PER_DAY);
        let of_day = self.seconds.rem_euclid(SECONDS_PER_DAY);
        (
            civil_from_days(days),
            [of_day / 3600, of_day / 60 % 60, of_day % 60],
        )
    }
}

impl From<SystemTime> for DateTime {
    fn from(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => Self {
                seconds: after.as_secs() as i64,
                subsec_nanos: after.subsec_nanos(),
            },
            Err(before) => {
                let before = before.duration();
                let seconds = -(before.as_secs() as i64);
                match before.subsec_nanos() {
                    0 => Self::from_secs(seconds),
                    nanos => Self {
                        seconds: seconds - 1,
                        subsec_nanos: NANOS_PER_SECOND - nanos,
                    },
                }
            }
        }
    }
}

impl From<DateTime> for SystemTime {
    fn from(time: DateTime) -> Self {
        let nanos = Duration::from_nanos(u64::from(time.subsec_nanos));
        match u64::try_from(time.seconds) {
            Ok(after) => UNIX_EPOCH + Duration::from_secs(after) + nanos,
            Err(_) => UNIX_EPOCH - Duration::from_secs(time.seconds.unsigned_abs()) + nanos,
        }
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

/// `.d..d` with trailing zeros dropped, or nothing for a whole second.
fn fraction(nanos: u32) -> String {
    if nanos == 0 {
        return String::new();
    }
    let digits = format!("{nanos:09}");
    format!(".{}", digits.trim_end_matches('0'))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_from_march = (i64::from(month) + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A cursor over ASCII text for the fixed-layout timestamp forms.
struct Cursor<'a> {
    rest: &'a [u8],
}

impl Cursor<'_> {
    fn digits(&mut self, count: usize) -> Result<u32, &'static str> {
        let (head, tail) = self
            .rest
            .split_at_checked(count)
            .ok_or("it ends too early")?;
        if !head.iter().all(u8::is_ascii_digit) {
            return Err("a digit was expected");
        }
        self.rest = tail;
        Ok(head
            .iter()
            .fold(0, |acc, digit| acc * 10 + u32::from(digit - b'0')))
    }

    fn literal(&mut self, expected: &[u8]) -> Result<(), &'static str> {
        match self.rest.strip_prefix(expected) {
            Some(tail) => {
                self.rest = tail;
                Ok(())
            }
            None => Err("a separator is missing or wrong"),
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.literal(&[byte]).is_ok()
    }

    /// An optional `.digits` fraction, as nanoseconds (digits past the ninth are dropped).
    fn fraction(&mut self) -> Result<u32, &'static str> {
        if !self.eat(b'.') {
            return Ok(0);
        }
        let count = self.rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 {
            return Err("a fraction needs digits after the point");
        }
        let kept = count.min(9);
        let nanos = self.digits(kept)? * 10u32.pow(9 - kept as u32);
        self.rest = &self.rest[count - kept..];
        Ok(nanos)
    }

    fn time_of_day(&mut self) -> Result<(i64, u32), &'static str> {
        let hour = self.digits(2)?;
        self.literal(b":")?;
        let minute = self.digits(2)?;
        self.literal(b":")?;
        let second = self.digits(2)?;
        if hour > 23 || minute > 59 || second > 59 {
            return Err("the time of day is out of range");
        }
        let nanos = self.fraction()?;
        Ok((i64::from(hour * 3600 + minute * 60 + second), nanos))
    }

    fn finish(&self) -> Result<(), &'static str> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err("unexpected text at the end")
        }
    }
}

fn instant(
    (year, month, day): (i64, u32, u32),
    (second_of_day, nanos): (i64, u32),
) -> Result<DateTime, &'static str> {
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err("the date does not exist");
    }
    let seconds = days_from_civil(year, month, day) * SECONDS_PER_DAY + second_of_day;
    Ok(DateTime {
        seconds,
        subsec_nanos: nanos,
    })
}

fn parse_rfc3339(text: &str) -> Result<DateTime, &'static str> {
    let mut cursor = Cursor {
        rest: text.as_bytes(),
    };
    let year = cursor.digits(4)?;
    cursor.literal(b"-")?;
    let month = cursor.digits(2)?;
    cursor.literal(b"-")?;
    let day = cursor.digits(2)?;
    if !(cursor.eat(b'T') || cursor.eat(b't')) {
        return Err("`T` must separate date and time");
    }
    let time = cursor.time_of_day()?;
    let offset = if cursor.eat(b'Z') || cursor.eat(b'z') {
        0
    } else {
        let sign = if cursor.eat(b'+') {
            1
        } else if cursor.eat(b'-') {
            -1
        } else {
            return Err("a `Z` or `+hh:mm` offset is required");
        };
        let hours = cursor.digits(2)?;
        cursor.literal(b":")?;
        let minutes = cursor.digits(2)?;
        sign * i64::from(hours * 3600 + minutes * 60)
    };
    cursor.finish()?;
    let local = instant((i64::from(year), month, day), time)?;
    Ok(DateTime {
        seconds: local.seconds - offset,
        ..local
    })
}

fn parse_http_date(text: &str) -> Result<DateTime, &'static str> {
    let (weekday, rest) = text.split_at_checked(3).ok_or("it ends too early")?;
    if !WEEKDAYS.contains(&weekday) {
        return Err("the day name is not one of Mon..Sun");
    }
    let mut cursor = Cursor {
        rest: rest.as_bytes(),
    };
    cursor.literal(b", ")?;
    let day = cursor.digits(2)?;
    cursor.literal(b" ")?;
    let month_name = cursor.rest.get(..3).ok_or("it ends too early")?;
    let month = MONTHS
        .iter()
        .position(|name| name.as_bytes() == month_name)
        .ok_or("the month name is not one of Jan..Dec")?;
    cursor.rest = &cursor.rest[3..];
    cursor.literal(b" ")?;
    let year = cursor.digits(4)?;
    cursor.literal(b" ")?;
    let time = cursor.time_of_day()?;
    cursor.literal(b" GMT")?;
    cursor.finish()?;
    instant((i64::from(year), month as u32 + 1, day), time)
}

fn parse_epoch_seconds(text: &str) -> Result<DateTime, &'static str> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err("digits are expected before any fraction");
    }
    let whole: i64 = whole.parse().map_err(|_| "the number is too large")?;
    let nanos = match fraction {
        None => 0,
        Some(digits) => Cursor {
            rest: format!(".{digits}").as_bytes(),
        }
        .fraction()?,
    };
    Ok(match (negative, nanos) {
        (false, _) => DateTime {
            seconds: whole,
            subsec_nanos: nanos,
        },
        (true, 0) => DateTime::from_secs(-whole),
        (true, _) => DateTime {
            seconds: -whole - 1,
            subsec_nanos: NANOS_PER_SECOND - nanos,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use DateTimeFormat::{EpochSeconds, HttpDate};
    const RFC3339: DateTimeFormat = DateTimeFormat::DateTime;

    const SAMPLE: i64 = 1_576_540_098;

    #[test]
    fn formats_each_form() {
        let time = DateTime::from_secs_and_nanos(SAMPLE, 520_000_000).unwrap();
        assert_eq!(time.fmt(RFC3339), "2019-12-16T23:48:18.52Z");
        assert_eq!(time.fmt(HttpDate), "Mon, 16 Dec 2019 23:48:18.520 GMT");
        assert_eq!(time.fmt(EpochSeconds), "1576540098.52");
        let whole = DateTime::from_secs(SAMPLE);
        assert_eq!(whole.fmt(RFC3339), "2019-12-16T23:48:18Z");
        assert_eq!(whole.fmt(HttpDate), "Mon, 16 Dec 2019 23:48:18 GMT");
        assert_eq!(whole.fmt(EpochSeconds), "1576540098");
    }

    #[test]
    fn parses_each_form() {
        let expected = DateTime::from_secs_and_nanos(SAMPLE, 520_000_000).unwrap();
        for (text, format) in [
            ("2019-12-16T23:48:18.52Z", RFC3339),
            ("2019-12-17T01:48:18.520+02:00", RFC3339),
            ("Mon, 16 Dec 2019 23:48:18.52 GMT", HttpDate),
            ("1576540098.52", EpochSeconds),
        ] {
            assert_eq!(DateTime::parse(text, format).unwrap(), expected, "{text}");
        }
    }

    #[test]
    fn round_trips_dates_across_eras() {
        for seconds in [-62_135_596_800, -1, 0, 951_782_400, SAMPLE, 253_402_300_799] {
            let time = DateTime::from_secs(seconds);
            for format in [RFC3339, HttpDate, EpochSeconds] {
                let text = time.fmt(format);
                assert_eq!(DateTime::parse(&text, format).unwrap(), time, "{text}");
            }
        }
    }

    #[test]
    fn negative_fractions_count_back_from_the_epoch() {
        let time = DateTime::parse("-1.5", EpochSeconds).unwrap();
        assert_eq!((time.secs(), time.subsec_nanos()), (-2, 500_000_000));
        assert_eq!(time.fmt(EpochSeconds), "-2.5");
        assert_eq!(time.fmt(RFC3339), "1969-12-31T23:59:58.5Z");
    }

    #[test]
    fn rejects_bad_text_with_a_reason() {
        let cases = [
            ("2019-02-29T00:00:00Z", RFC3339, "the date does not exist"),
            (
                "2019-12-16 23:48:18Z",
                RFC3339,
                "`T` must separate date and time",
            ),
            (
                "2019-12-16T24:00:00Z",
                RFC3339,
                "the time of day is out of range",
            ),
            (
                "2019-12-16T23:48:18",
                RFC3339,
                "a `Z` or `+hh:mm` offset is required",
            ),
            (
                "Mon, 16 Dez 2019 23:48:18 GMT",
                HttpDate,
                "the month name is not one of Jan..Dec",
            ),
            (
                "1576540098.",
                EpochSeconds,
                "a fraction needs digits after the point",
            ),
            (
                "12x",
                EpochSeconds,
                "digits are expected before any fraction",
            ),
        ];
        for (text, format, reason) in cases {
            let error = DateTime::parse(text, format).unwrap_err();
            assert!(error.to_string().ends_with(reason), "{text}: {error}");
        }
    }

    #[test]
    fn converts_from_floats_and_system_time() {
        let time = DateTime::from_secs_f64(1.25).unwrap();
        assert_eq!((time.secs(), time.subsec_nanos()), (1, 250_000_000));
        assert_eq!(DateTime::from_secs_f64(f64::NAN), None);
        let system = SystemTime::from(time);
        assert_eq!(DateTime::from(system), time);
        let before = DateTime::from_secs_and_nanos(-2, 500_000_000).unwrap();
        assert_eq!(DateTime::from(SystemTime::from(before)), before);
    }
}
