//! Which IP addresses a fetch on behalf of a credential may reach.
//!
//! A `did:web` document or a status list URL comes from the credential, so
//! anyone can make a verifier fetch from a host of their choosing. A host
//! name that resolves to a loopback, private, link-local or otherwise
//! special-purpose address would turn the verifier into a client of its own
//! network (server-side request forgery). [`check`] refuses every block of
//! the IANA IPv4 and IPv6 Special-Purpose Address Registries that is not
//! globally reachable, multicast, the reserved 240.0.0.0/4 and broadcast,
//! the deprecated IPv4-compatible and site-local IPv6 blocks, and any IPv6
//! address outside global unicast (2000::/3).
//!
//! An IPv6 address that carries an IPv4 address — IPv4-mapped
//! (`::ffff:0:0/96`), the NAT64 well-known prefix (`64:ff9b::/96`) and 6to4
//! (`2002::/16`) — is judged by the IPv4 address it carries, since that is
//! where the packets end up.
//!
//! Sources: <https://www.iana.org/assignments/iana-ipv4-special-registry/>,
//! <https://www.iana.org/assignments/iana-ipv6-special-registry/>,
//! RFC 5771 (multicast), RFC 6052 (NAT64), RFC 3056 (6to4).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why an address is refused: the special-purpose block it falls in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NonPublic {
    /// The address that was refused.
    pub address: IpAddr,
    /// The IPv4 address it carries, when that is what was judged.
    pub embedded: Option<Ipv4Addr>,
    /// The block, in CIDR notation (`127.0.0.0/8`).
    pub block: &'static str,
    /// What the block is for (`loopback`).
    pub purpose: &'static str,
}

impl fmt::Display for NonPublic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is not a public address: ", self.address)?;
        if let Some(v4) = self.embedded {
            write!(f, "it carries {v4}, ")?;
        }
        write!(f, "in {} ({})", self.block, self.purpose)
    }
}

impl std::error::Error for NonPublic {}

/// Whether `ip` is a globally reachable unicast address a fetch may go to.
pub fn is_public(ip: IpAddr) -> bool {
    check(ip).is_ok()
}

/// `Ok` for a globally reachable unicast address, otherwise the block that
/// makes it non-public.
pub fn check(ip: IpAddr) -> Result<(), NonPublic> {
    match ip {
        IpAddr::V4(v4) => check_v4(v4).map_err(|(block, purpose)| NonPublic {
            address: ip,
            embedded: None,
            block,
            purpose,
        }),
        IpAddr::V6(v6) => {
            if let Some(v4) = embedded_v4(v6) {
                return check_v4(v4).map_err(|(block, purpose)| NonPublic {
                    address: ip,
                    embedded: Some(v4),
                    block,
                    purpose,
                });
            }
            check_v6(v6).map_err(|(block, purpose)| NonPublic {
                address: ip,
                embedded: None,
                block,
                purpose,
            })
        }
    }
}

/// A block: network, prefix length, CIDR text, purpose.
type Block<T> = (T, u32, &'static str, &'static str);

/// IPv4 blocks that are not globally reachable unicast.
const V4_BLOCKS: &[Block<u32>] = &[
    (0x0000_0000, 8, "0.0.0.0/8", "this network"),
    (0x0a00_0000, 8, "10.0.0.0/8", "private use"),
    (0x6440_0000, 10, "100.64.0.0/10", "shared address space"),
    (0x7f00_0000, 8, "127.0.0.0/8", "loopback"),
    (0xa9fe_0000, 16, "169.254.0.0/16", "link local"),
    (0xac10_0000, 12, "172.16.0.0/12", "private use"),
    (0xc000_0000, 24, "192.0.0.0/24", "IETF protocol assignments"),
    (0xc000_0200, 24, "192.0.2.0/24", "documentation (TEST-NET-1)"),
    (0xc058_6300, 24, "192.88.99.0/24", "deprecated 6to4 relay anycast"),
    (0xc0a8_0000, 16, "192.168.0.0/16", "private use"),
    (0xc612_0000, 15, "198.18.0.0/15", "benchmarking"),
    (0xc633_6400, 24, "198.51.100.0/24", "documentation (TEST-NET-2)"),
    (0xcb00_7100, 24, "203.0.113.0/24", "documentation (TEST-NET-3)"),
    (0xe000_0000, 4, "224.0.0.0/4", "multicast"),
    (0xffff_ffff, 32, "255.255.255.255/32", "limited broadcast"),
    (0xf000_0000, 4, "240.0.0.0/4", "reserved"),
];

/// IPv6 blocks that are not globally reachable unicast (the IPv4-carrying
/// forms are handled before this table is read).
const V6_BLOCKS: &[Block<u128>] = &[
    (0, 128, "::/128", "unspecified"),
    (1, 128, "::1/128", "loopback"),
    (0, 96, "::/96", "deprecated IPv4-compatible"),
    (
        0x0064_ff9b_0001 << 80,
        48,
        "64:ff9b:1::/48",
        "local-use IPv4/IPv6 translation",
    ),
    (0x0100 << 112, 64, "100::/64", "discard-only"),
    (0x2001 << 112, 23, "2001::/23", "IETF protocol assignments"),
    (0x2001_0db8 << 96, 32, "2001:db8::/32", "documentation"),
    (0x3fff << 112, 20, "3fff::/20", "documentation"),
    (0x5f00 << 112, 16, "5f00::/16", "segment routing (SRv6) SIDs"),
    (0xfc00 << 112, 7, "fc00::/7", "unique local"),
    (0xfe80 << 112, 10, "fe80::/10", "link-local unicast"),
    (0xfec0 << 112, 10, "fec0::/10", "deprecated site-local"),
    (0xff00 << 112, 8, "ff00::/8", "multicast"),
];

fn check_v4(v4: Ipv4Addr) -> Result<(), (&'static str, &'static str)> {
    let bits = u32::from(v4);
    match V4_BLOCKS.iter().find(|(net, len, ..)| bits & mask32(*len) == *net) {
        Some((_, _, block, purpose)) => Err((block, purpose)),
        None => Ok(()),
    }
}

fn check_v6(v6: Ipv6Addr) -> Result<(), (&'static str, &'static str)> {
    let bits = u128::from(v6);
    if let Some((_, _, block, purpose)) = V6_BLOCKS.iter().find(|(net, len, ..)| bits & mask128(*len) == *net) {
        return Err((block, purpose));
    }
    // Everything outside 2000::/3 is reserved or special by the IPv6
    // address space registry.
    if bits >> 125 != 0b001 {
        return Err(("outside 2000::/3", "not global unicast"));
    }
    Ok(())
}

/// The IPv4 address carried by an IPv4-mapped, NAT64 well-known-prefix or
/// 6to4 address.
fn embedded_v4(v6: Ipv6Addr) -> Option<Ipv4Addr> {
    let bits = u128::from(v6);
    let low = Ipv4Addr::from(bits as u32);
    if bits >> 32 == 0xffff {
        return Some(low); // ::ffff:0:0/96
    }
    if bits >> 32 == 0x0064_ff9b_0000_0000_0000_0000 {
        return Some(low); // 64:ff9b::/96
    }
    if bits >> 112 == 0x2002 {
        return Some(Ipv4Addr::from((bits >> 80) as u32)); // 2002:AABB:CCDD::/48
    }
    None
}

fn mask32(len: u32) -> u32 {
    u32::MAX.checked_shl(32 - len).unwrap_or(0)
}

fn mask128(len: u32) -> u128 {
    u128::MAX.checked_shl(128 - len).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The refused blocks, written independently of the tables above.
    const REFUSED: &[&str] = &[
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
        "255.255.255.255/32",
        "::/128",
        "::1/128",
        "::/96",
        "64:ff9b:1::/48",
        "100::/64",
        "2001::/23",
        "2001:db8::/32",
        "3fff::/20",
        "5f00::/16",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
        "ff00::/8",
    ];

    /// First and last address of a block.
    fn bounds(cidr: &str) -> (IpAddr, IpAddr) {
        let (net, len) = cidr.split_once('/').unwrap();
        let len: u32 = len.parse().unwrap();
        match net.parse::<IpAddr>().unwrap() {
            IpAddr::V4(v4) => {
                let host = u32::MAX.checked_shr(len).unwrap_or(0);
                let first = u32::from(v4);
                (Ipv4Addr::from(first).into(), Ipv4Addr::from(first | host).into())
            }
            IpAddr::V6(v6) => {
                let host = u128::MAX.checked_shr(len).unwrap_or(0);
                let first = u128::from(v6);
                (Ipv6Addr::from(first).into(), Ipv6Addr::from(first | host).into())
            }
        }
    }

    fn inside(ip: IpAddr, cidr: &str) -> bool {
        let (first, last) = bounds(cidr);
        match (ip, first, last) {
            (IpAddr::V4(ip), IpAddr::V4(a), IpAddr::V4(b)) => (a..=b).contains(&ip),
            (IpAddr::V6(ip), IpAddr::V6(a), IpAddr::V6(b)) => (a..=b).contains(&ip),
            _ => false,
        }
    }

    /// What the tests expect, from the text table: refused if inside a
    /// listed block; for IPv6 also outside 2000::/3.
    fn expected_public(ip: IpAddr) -> bool {
        let listed = REFUSED.iter().any(|cidr| inside(ip, cidr));
        match ip {
            IpAddr::V4(_) => !listed,
            IpAddr::V6(_) => !listed && inside(ip, "2000::/3"),
        }
    }

    fn step(ip: IpAddr, up: bool) -> Option<IpAddr> {
        match ip {
            IpAddr::V4(v4) => {
                let n = u32::from(v4);
                let n = if up { n.checked_add(1) } else { n.checked_sub(1) }?;
                Some(Ipv4Addr::from(n).into())
            }
            IpAddr::V6(v6) => {
                let n = u128::from(v6);
                let n = if up { n.checked_add(1) } else { n.checked_sub(1) }?;
                Some(Ipv6Addr::from(n).into())
            }
        }
    }

    #[test]
    fn every_block_is_refused_from_first_to_last_address_and_its_neighbours_follow_the_table() {
        for cidr in REFUSED {
            let (first, last) = bounds(cidr);
            for ip in [first, last] {
                let refusal = check(ip).expect_err(cidr);
                assert_eq!(refusal.address, ip);
            }
            for neighbour in [step(first, false), step(last, true)].into_iter().flatten() {
                // NAT64 and 6to4 neighbours carry an IPv4 address.
                if embedded_v4_of(neighbour).is_some() {
                    continue;
                }
                assert_eq!(
                    is_public(neighbour),
                    expected_public(neighbour),
                    "{neighbour}, next to {cidr}"
                );
            }
        }
    }

    fn embedded_v4_of(ip: IpAddr) -> Option<Ipv4Addr> {
        let IpAddr::V6(v6) = ip else { return None };
        let text = v6.to_string();
        if let Some(v4) = v6.to_ipv4_mapped() {
            return Some(v4);
        }
        if inside(ip, "64:ff9b::/96") {
            return Some(Ipv4Addr::from(u128::from(v6) as u32));
        }
        if text.starts_with("2002:") {
            let s = v6.segments();
            return Some(Ipv4Addr::from((u32::from(s[1]) << 16) | u32::from(s[2])));
        }
        None
    }

    #[test]
    fn named_examples() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "198.18.0.1",
            "198.19.255.255",
            "240.0.0.1",
            "255.255.255.255",
            "224.0.0.251",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            "::ffff:127.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::808:808",
            "2002:7f00:1::1",
            "2002:c0a8:101::",
            "2001:db8::1",
            "2001::1",
            "100::1",
            "::7f00:1",
            "ff02::1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "8.8.8.8",
            "1.1.1.1",
            "142.250.0.1",
            "172.32.0.1",
            "198.20.0.1",
            "223.255.255.255",
            "2001:4860::8888",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn a_refusal_names_the_block_and_the_carried_address() {
        let refusal = check("::ffff:127.0.0.1".parse().unwrap()).unwrap_err();
        assert_eq!(refusal.embedded, Some(Ipv4Addr::LOCALHOST));
        assert_eq!(refusal.block, "127.0.0.0/8");
        assert_eq!(
            refusal.to_string(),
            "::ffff:127.0.0.1 is not a public address: it carries 127.0.0.1, in 127.0.0.0/8 (loopback)"
        );
        let refusal = check("198.18.0.1".parse().unwrap()).unwrap_err();
        assert_eq!(
            refusal.to_string(),
            "198.18.0.1 is not a public address: in 198.18.0.0/15 (benchmarking)"
        );
    }

    proptest! {
        /// An IPv4 address and its mapped, NAT64 and 6to4 forms get the same answer.
        #[test]
        fn carried_ipv4_addresses_are_judged_as_ipv4(v4 in any::<u32>(), suffix in any::<u64>(), subnet in any::<u16>()) {
            let ip = Ipv4Addr::from(v4);
            let expected = expected_public(ip.into());
            prop_assert_eq!(is_public(ip.into()), expected);
            prop_assert_eq!(is_public(ip.to_ipv6_mapped().into()), expected);
            let nat64 = Ipv6Addr::from((0x0064_ff9b_u128 << 96) | u128::from(v4));
            prop_assert_eq!(is_public(nat64.into()), expected);
            let six_to_four =
                Ipv6Addr::from((0x2002_u128 << 112) | (u128::from(v4) << 80) | (u128::from(subnet) << 64) | u128::from(suffix));
            prop_assert_eq!(is_public(six_to_four.into()), expected);
        }

        /// Any IPv6 address not carrying IPv4 follows the text table.
        #[test]
        fn ipv6_addresses_follow_the_table(bits in any::<u128>(), prefix in prop::sample::select(vec![0u128, 0x2001, 0x2002, 0x2400, 0x3fff, 0xfc00, 0xfe80, 0xff00])) {
            let bits = if prefix == 0 { bits } else { (prefix << 112) | (bits >> 16) };
            let ip = IpAddr::V6(Ipv6Addr::from(bits));
            if embedded_v4_of(ip).is_none() {
                prop_assert_eq!(is_public(ip), expected_public(ip), "{}", ip);
            }
        }
    }
}
