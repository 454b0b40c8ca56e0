//! Accounts on the web: password hashing (Argon2id), sessions in the database behind an
//! HttpOnly cookie, a CSRF token per session carried by every form, and login rate limiting.
//!
//! Roles: `admin` (everything), `supervisor` (reviews reports, sees drafts), `reporter` (reports
//! for the units they are bound to), `leader` (reads, drafts included). Anonymous visitors read
//! what is published: the ledger and accepted reports.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::{Algorithm, Argon2, Params, Version};
use axum::http::{HeaderMap, header};
use plantrack_store::Account;

/// The cookie that carries the session id.
pub const COOKIE: &str = "pt_session";
/// How long a session lives.
pub const SESSION_SECS: i64 = 8 * 3600;
/// Failed logins allowed per name from one address within [`WINDOW`] before further tries from
/// it are refused. Another address still signs in: one guesser cannot lock a user out.
pub const MAX_FAILURES: usize = 5;
/// Failed logins allowed per name from all addresses together within [`WINDOW`], against
/// guessing spread over many addresses.
pub const MAX_FAILURES_PER_NAME: usize = 50;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

pub const ROLES: [&str; 4] = ["admin", "supervisor", "reporter", "leader"];

// Argon2id with the RFC 9106 second recommendation: 19 MiB, two passes, one lane.
const M_COST: u32 = 19 * 1024;
const T_COST: u32 = 2;
const P_COST: u32 = 1;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// `n` random bytes from the operating system, as hex.
pub fn token(n: usize) -> String {
    let mut b = vec![0u8; n];
    getrandom::getrandom(&mut b).expect("the operating system's random numbers");
    hex(&b)
}

fn argon(m: u32, t: u32, p: u32) -> Option<Argon2<'static>> {
    Some(Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(m, t, p, Some(32)).ok()?,
    ))
}

/// `$argon2id$m=19456,t=2,p=1$SALT$HASH` (hex), with a fresh random salt.
pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).expect("the operating system's random numbers");
    let mut out = [0u8; 32];
    argon(M_COST, T_COST, P_COST)
        .expect("valid parameters")
        .hash_password_into(password.as_bytes(), &salt, &mut out)
        .expect("hashing with valid parameters");
    format!(
        "$argon2id$m={M_COST},t={T_COST},p={P_COST}${}${}",
        hex(&salt),
        hex(&out)
    )
}

/// Whether the password matches a stored hash (compared in constant time).
pub fn verify_password(password: &str, stored: &str) -> bool {
    let parts: Vec<&str> = stored.split('$').collect();
    let [_, "argon2id", params, salt, hash] = parts[..] else {
        return false;
    };
    let mut m = 0;
    let mut t = 0;
    let mut p = 0;
    for kv in params.split(',') {
        match kv.split_once('=') {
            Some(("m", v)) => m = v.parse().unwrap_or(0),
            Some(("t", v)) => t = v.parse().unwrap_or(0),
            Some(("p", v)) => p = v.parse().unwrap_or(0),
            _ => return false,
        }
    }
    let (Some(salt), Some(expected), Some(a)) = (unhex(salt), unhex(hash), argon(m, t, p)) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    if a.hash_password_into(password.as_bytes(), &salt, &mut out)
        .is_err()
    {
        return false;
    }
    out.len() == expected.len() && out.iter().zip(&expected).fold(0u8, |d, (a, b)| d | (a ^ b)) == 0
}

/// The session cookie's value, if the request carries one.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Who is asking.
#[derive(Debug, Clone)]
pub struct User {
    pub account: Account,
    pub session: String,
    pub csrf: String,
}

impl User {
    pub fn is(&self, role: &str) -> bool {
        self.account.role == role
    }

    /// Reviews reports and sees drafts.
    pub fn supervises(&self) -> bool {
        self.is("admin") || self.is("supervisor")
    }

    /// Sees reports not yet accepted on a task of these units and leaders: supervisors, the
    /// task's units, and the leaders who supervise it (a leader's account is named as the
    /// responsibility tables name the leader).
    pub fn sees_drafts_of(&self, units: &[String], leaders: &[String]) -> bool {
        self.supervises() || self.leads(leaders) || self.reports_for(units).is_some()
    }

    /// Whether this is the account of one of these leaders.
    pub fn leads(&self, leaders: &[String]) -> bool {
        self.is("leader") && leaders.contains(&self.account.name)
    }

    /// The unit of the task's units this user may report for (the first they are bound to), or
    /// any of them for an admin.
    pub fn reports_for<'a>(&self, units: &'a [String]) -> Option<&'a String> {
        if self.is("admin") {
            return units.first();
        }
        if !self.is("reporter") {
            return None;
        }
        units
            .iter()
            .find(|u| self.account.units.iter().any(|a| a == *u))
    }
}

/// Failed logins per name and address, and per name, forgotten after [`WINDOW`]. The address
/// is the peer of the connection (`None` when the server was not given it).
#[derive(Default)]
pub struct Limiter {
    failures: Mutex<Failures>,
}

/// The times of the failures, by lower-cased name, then by address: a sign-in looks at its own
/// name's entries only.
type Failures = HashMap<String, HashMap<Option<IpAddr>, Vec<Instant>>>;

impl Limiter {
    fn lock(&self) -> std::sync::MutexGuard<'_, Failures> {
        self.failures.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether another try for this name from this address is refused now.
    pub fn blocked(&self, name: &str, from: Option<IpAddr>) -> bool {
        let mut f = self.lock();
        let Some(by_address) = f.get_mut(&name.to_lowercase()) else {
            return false;
        };
        let mut everywhere = 0;
        for list in by_address.values_mut() {
            list.retain(|t| t.elapsed() < WINDOW);
            everywhere += list.len();
        }
        let here = by_address.get(&from).map_or(0, Vec::len);
        here >= MAX_FAILURES || everywhere >= MAX_FAILURES_PER_NAME
    }

    pub fn failed(&self, name: &str, from: Option<IpAddr>) {
        let mut f = self.lock();
        if f.len() > 100_000 {
            f.clear();
        }
        f.entry(name.to_lowercase())
            .or_default()
            .entry(from)
            .or_default()
            .push(Instant::now());
    }

    /// A right password: the name's failures from everywhere are forgotten.
    pub fn succeeded(&self, name: &str) {
        self.lock().remove(&name.to_lowercase());
    }
}

pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ() {
        let a = hash_password("correct horse");
        let b = hash_password("correct horse");
        assert_ne!(a, b, "a fresh salt each time");
        assert!(a.starts_with("$argon2id$m=19456,t=2,p=1$"));
        assert!(verify_password("correct horse", &a));
        assert!(!verify_password("correct horsf", &a));
        assert!(!verify_password("correct horse", "$argon2id$m=1,t=1$zz$zz"));
        assert!(!verify_password("", ""));
    }

    #[test]
    fn the_limiter_counts_failures_per_name_and_address() {
        let l = Limiter::default();
        let a: Option<IpAddr> = "192.0.2.1".parse().ok();
        let b: Option<IpAddr> = "192.0.2.2".parse().ok();
        for _ in 0..MAX_FAILURES {
            assert!(!l.blocked("Zhang", a));
            l.failed("Zhang", a);
        }
        assert!(l.blocked("zhang", a));
        // Another address, another name: not refused.
        assert!(!l.blocked("zhang", b));
        assert!(!l.blocked("li", a));
        l.succeeded("ZHANG");
        assert!(!l.blocked("zhang", a));
        // Guessing spread over many addresses is refused everywhere at the name's limit.
        for k in 0..MAX_FAILURES_PER_NAME {
            let addr: Option<IpAddr> = format!("198.51.100.{}", k % 200).parse().ok();
            l.failed("wang", addr);
        }
        assert!(l.blocked("wang", b));
    }

    #[test]
    fn cookies_are_read_strictly() {
        let mut h = HeaderMap::new();
        let id = token(32);
        h.insert(
            header::COOKIE,
            format!("a=b; {COOKIE}={id}; c=d").parse().unwrap(),
        );
        assert_eq!(session_cookie(&h), Some(id));
        h.insert(
            header::COOKIE,
            format!("{COOKIE}=../../etc/passwd").parse().unwrap(),
        );
        assert_eq!(session_cookie(&h), None);
    }
}
