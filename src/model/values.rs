//! Typed condition values: numbers, dates and IP ranges, with the parsing and formatting that
//! both the comparison and the direct evaluator use.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};
use std::net::{Ipv4Addr, Ipv6Addr};

/// A number compared exactly as `f64` (total order, so it can live in ordered, hashed clauses).
#[derive(Debug, Clone, Copy)]
pub struct Num(pub f64);

impl PartialEq for Num {
    fn eq(&self, other: &Num) -> bool {
        self.0.total_cmp(&other.0) == Ordering::Equal
    }
}
impl Eq for Num {}
impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Num) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Num {
    fn cmp(&self, other: &Num) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}
impl Hash for Num {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.0.to_bits().hash(h);
    }
}

/// A numeric comparison (`NumericLessThan` → `Lt`...); `NotEquals` is a negated `Eq`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NumOp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

impl NumOp {
    /// Whether `request_value OP policy_value` holds.
    pub fn holds(self, request: f64, policy: f64) -> bool {
        match self {
            NumOp::Eq => request == policy,
            NumOp::Lt => request < policy,
            NumOp::Le => request <= policy,
            NumOp::Gt => request > policy,
            NumOp::Ge => request >= policy,
        }
    }
}

/// An inclusive range of addresses of one family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IpRange {
    pub v6: bool,
    pub lo: u128,
    pub hi: u128,
}

impl IpRange {
    pub fn contains(&self, v6: bool, addr: u128) -> bool {
        self.v6 == v6 && self.lo <= addr && addr <= self.hi
    }
}

/// `203.0.113.0/24`, `2001:db8::/32` or a bare address.
pub fn parse_cidr(s: &str) -> Option<IpRange> {
    let (addr, bits) = match s.split_once('/') {
        Some((a, b)) => (a, Some(b.parse::<u32>().ok()?)),
        None => (s, None),
    };
    let (v6, value, width) = match addr.parse::<Ipv4Addr>() {
        Ok(a) => (false, u128::from(u32::from(a)), 32),
        Err(_) => (true, u128::from(addr.parse::<Ipv6Addr>().ok()?), 128),
    };
    let bits = bits.unwrap_or(width);
    if bits > width {
        return None;
    }
    let host = width - bits;
    let mask: u128 = if host == 128 {
        u128::MAX
    } else {
        (1u128 << host) - 1
    };
    Some(IpRange {
        v6,
        lo: value & !mask,
        hi: value | mask,
    })
}

/// An address from a request context.
pub fn parse_ip(s: &str) -> Option<(bool, u128)> {
    match s.parse::<Ipv4Addr>() {
        Ok(a) => Some((false, u128::from(u32::from(a)))),
        Err(_) => s.parse::<Ipv6Addr>().ok().map(|a| (true, u128::from(a))),
    }
}

pub fn format_ip(v6: bool, addr: u128) -> String {
    if v6 {
        Ipv6Addr::from(addr).to_string()
    } else {
        Ipv4Addr::from(addr as u32).to_string()
    }
}

pub fn parse_number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|f| f.is_finite())
}

pub fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// Seconds since the epoch of an ISO 8601 date or date-time (`2025-01-01`,
/// `2025-01-01T12:00:00Z`, `...+02:00`, fractional seconds) or of an epoch number, as the
/// `Date*` operators accept.
pub fn parse_date(s: &str) -> Option<f64> {
    let s = s.trim();
    if let Some(n) = parse_number(s) {
        return Some(n);
    }
    let (date, time) = match s.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut d = date.split('-');
    let (y, m, day) = (
        d.next()?.parse::<i64>().ok()?,
        d.next()?.parse::<u32>().ok()?,
        d.next()?.parse::<u32>().ok()?,
    );
    // The year bound keeps the day arithmetic far from overflow on hostile input.
    if d.next().is_some()
        || !(1..=12).contains(&m)
        || !(1..=31).contains(&day)
        || !(-1_000_000..=1_000_000).contains(&y)
    {
        return None;
    }
    let mut secs = days_from_civil(y, m, day) as f64 * 86_400.0;
    if let Some(t) = time {
        let (clock, offset) = split_offset(t)?;
        let mut c = clock.split(':');
        let h = c.next()?.parse::<u32>().ok()?;
        let min = c.next()?.parse::<u32>().ok()?;
        let sec = c.next().map_or(Some(0.0), |x| x.parse::<f64>().ok())?;
        if c.next().is_some() || h > 23 || min > 59 || !(0.0..61.0).contains(&sec) {
            return None;
        }
        secs += f64::from(h * 3600 + min * 60) + sec - offset;
    }
    Some(secs)
}

/// Splits `12:00:00+02:00` into the clock and the offset in seconds (`Z` or none: 0).
fn split_offset(t: &str) -> Option<(&str, f64)> {
    if let Some(c) = t.strip_suffix(['Z', 'z']) {
        return Some((c, 0.0));
    }
    match t.rfind(['+', '-']) {
        Some(i) => {
            let (clock, off) = t.split_at(i);
            let sign = if off.starts_with('-') { -1.0 } else { 1.0 };
            let (h, m) = off[1..].split_once(':').unwrap_or((&off[1..], "0"));
            let (h, m) = (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?);
            if h > 23 || m > 59 {
                return None;
            }
            Some((clock, sign * f64::from(h * 3600 + m * 60)))
        }
        None => Some((t, 0.0)),
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date-time of an epoch second count, as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_date(secs: f64) -> String {
    let total = secs.floor() as i64;
    let (days, rem) = (total.div_euclid(86_400), total.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs() {
        let r = parse_cidr("10.1.0.0/16").unwrap();
        assert!(r.contains(false, parse_ip("10.1.255.1").unwrap().1));
        assert!(!r.contains(false, parse_ip("10.2.0.1").unwrap().1));
        assert!(!r.contains(true, parse_ip("10.1.0.1").unwrap().1));
        let all = parse_cidr("0.0.0.0/0").unwrap();
        assert_eq!((all.lo, all.hi), (0, u128::from(u32::MAX)));
        let v6 = parse_cidr("2001:db8::/32").unwrap();
        assert!(v6.contains(true, parse_ip("2001:db8::1").unwrap().1));
        assert_eq!(parse_cidr("::/0").unwrap().hi, u128::MAX);
        assert!(parse_cidr("10.0.0.0/33").is_none() && parse_cidr("nope").is_none());
        assert_eq!(
            format_ip(false, parse_ip("192.0.2.7").unwrap().1),
            "192.0.2.7"
        );
    }

    #[test]
    fn dates_round_trip() {
        assert_eq!(parse_date("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(parse_date("1970-01-02"), Some(86_400.0));
        assert_eq!(
            parse_date("2025-03-01T12:30:00+02:00"),
            parse_date("2025-03-01T10:30:00Z")
        );
        let t = parse_date("2024-02-29T23:59:59Z").unwrap();
        assert_eq!(format_date(t), "2024-02-29T23:59:59Z");
        assert_eq!(
            format_date(parse_date("1999-12-31T00:00:00Z").unwrap() - 1.0),
            "1999-12-30T23:59:59Z"
        );
        assert_eq!(parse_date("1700000000"), Some(1_700_000_000.0));
        assert!(parse_date("2025-13-01").is_none() && parse_date("soon").is_none());
        // Hostile values are rejected, not overflowed.
        assert!(parse_date("999999999999999999-01-01").is_none());
        assert!(parse_date("2025-01-01T00:00:00+99999999:00").is_none());
    }
}
