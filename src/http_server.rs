//! An HTTP/1.1 server loop for axum routers (feature `server`): the TRQP
//! server's and the issuer service's. What `axum::serve` leaves out and a
//! public server needs: a deadline for request heads (half-sent requests
//! are closed instead of holding a connection forever), a deadline for
//! each request (its body included), a limit on open connections and on
//! those of one client address (so that no one client, keeping its
//! connections busy, can hold them all), each request's peer address
//! (`ConnectInfo`), and a graceful shutdown that
//! lets requests in flight finish. Over TLS ([`serve_tls`]) when given a
//! certificate and key ([`TlsConfig`]); the TLS handshake is part of the
//! first request's head deadline.

use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

mod tls;

pub use tls::{TlsConfig, TlsError};

use axum::extract::{ConnectInfo, Request};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

/// The server's limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerLimits {
    /// Connections open at once; more wait to be accepted.
    pub max_connections: usize,
    /// Connections open at once from one client address (an IPv6 /64
    /// counts as one address); more are closed when accepted. Behind a
    /// reverse proxy, every connection comes from the proxy: raise it to
    /// `max_connections` there and let the proxy limit its clients.
    pub max_connections_per_address: usize,
    /// Time a client has to send a request's head (line and headers); on
    /// TLS, the handshake and the first request's head share it.
    pub header_timeout: Duration,
    /// Time a request may take, reading its body included; `408` after it.
    pub request_timeout: Duration,
    /// Time requests in flight get to finish at shutdown.
    pub shutdown_grace: Duration,
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits {
            max_connections: 4096,
            max_connections_per_address: 64,
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Serves `router` on `listener`, in plain HTTP, until `shutdown`
/// completes, then waits up to the grace period for the requests in flight.
pub async fn serve(listener: TcpListener, router: Router, limits: ServerLimits, shutdown: impl Future<Output = ()>) {
    run(listener, router, limits, None, shutdown).await;
}

/// Serves `router` on `listener` over TLS with `tls` until `shutdown`
/// completes, then waits up to the grace period for the requests in
/// flight. A client that does not finish its handshake within the head
/// deadline is dropped; one that speaks plain HTTP fails the handshake.
pub async fn serve_tls(
    listener: TcpListener,
    router: Router,
    limits: ServerLimits,
    tls: TlsConfig,
    shutdown: impl Future<Output = ()>,
) {
    run(listener, router, limits, Some(tls), shutdown).await;
}

async fn run(
    listener: TcpListener,
    router: Router,
    limits: ServerLimits,
    tls: Option<TlsConfig>,
    shutdown: impl Future<Output = ()>,
) {
    let deadline = limits.request_timeout;
    let router = router.layer(axum::middleware::from_fn(move |request: Request, next: Next| {
        within(deadline, request, next)
    }));
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let per_address = Arc::new(AddressCounts::default());
    tokio::pin!(shutdown);
    loop {
        // Waiting for a free slot also watches for shutdown: a server
        // whose slots are all held still stops when told to.
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => permit,
            () = &mut shutdown => break,
        };
        let Ok(permit) = permit else { break };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let Ok((stream, peer)) = accepted else {
            // Out of file descriptors, say: wait; neither spin nor stop.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let Some(slot) = AddressCounts::take(&per_address, peer.ip(), limits.max_connections_per_address) else {
            continue; // this address holds its share: closed
        };
        let permit = (permit, slot);
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(router.clone().layer(axum::Extension(ConnectInfo::<SocketAddr>(peer))));
        match &tls {
            None => {
                let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
                tokio::spawn(async move {
                    let _ = connection.await;
                    drop(permit);
                });
            }
            Some(tls) => {
                // The handshake runs in the connection's task, holding its
                // permit: a slow one delays no other client.
                let connection = TlsConnection {
                    acceptor: tls.acceptor.clone(),
                    builder: builder.clone(),
                    head_deadline: limits.header_timeout,
                    watcher: graceful.watcher(),
                };
                tokio::spawn(async move {
                    connection.serve(stream, service).await;
                    drop(permit);
                });
            }
        }
    }
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.shutdown_grace) => {}
    }
}

/// What a TLS connection's task needs to shake hands, then serve.
struct TlsConnection {
    acceptor: tokio_rustls::TlsAcceptor,
    builder: hyper::server::conn::http1::Builder,
    head_deadline: Duration,
    watcher: Watcher,
}

impl TlsConnection {
    async fn serve(mut self, stream: TcpStream, service: TowerToHyperService<Router>) {
        // The monotonic clock, for the share of the head deadline the
        // handshake used (a transport concern; nothing is verified here).
        let started = tokio::time::Instant::now();
        let Ok(Ok(stream)) = tokio::time::timeout(self.head_deadline, self.acceptor.accept(stream)).await else {
            return; // too slow, not TLS, or no protocol in common: closed
        };
        // hyper starts its head deadline when it starts reading: give it
        // what the handshake left, so that one deadline covers both. (It
        // is one setting per connection: the connection's later requests
        // get the same, a few milliseconds short for an ordinary client.)
        self.builder
            .header_read_timeout(self.head_deadline.saturating_sub(started.elapsed()));
        let connection = self.builder.serve_connection(TokioIo::new(stream), service);
        let _ = self.watcher.watch(connection).await;
    }
}

/// Runs the request, `408` if it takes longer than `deadline` (a body
/// that never arrives, a client that trickles it).
async fn within(deadline: Duration, request: Request, next: Next) -> Response {
    match tokio::time::timeout(deadline, next.run(request)).await {
        Ok(response) => response,
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}

/// Open connections by client address, each IPv6 /64 (and each IPv4
/// address, however written) counted as one.
#[derive(Default)]
struct AddressCounts(Mutex<HashMap<IpAddr, usize>>);

/// A connection's place in its address's count, given back when dropped.
struct AddressSlot {
    counts: Arc<AddressCounts>,
    address: IpAddr,
}

impl AddressCounts {
    /// A slot for a connection from `peer`, unless its address already
    /// holds `limit`.
    fn take(counts: &Arc<AddressCounts>, peer: IpAddr, limit: usize) -> Option<AddressSlot> {
        let address = client_key(peer);
        let mut open = counts.0.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(address).or_insert(0);
        if *count >= limit.max(1) {
            return None;
        }
        *count += 1;
        Some(AddressSlot {
            counts: Arc::clone(counts),
            address,
        })
    }
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut open = self.counts.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}

/// The address a client is counted under: an IPv4 address as itself
/// (also when written as an IPv4-mapped IPv6 address), an IPv6 address by
/// its /64, the block one subscriber is given.
pub fn client_key(peer: IpAddr) -> IpAddr {
    match peer {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let bits = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(bits.into())
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_holds_at_most_its_share_and_gets_it_back() {
        let counts = Arc::new(AddressCounts::default());
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let held: Vec<_> = (0..3).map(|_| AddressCounts::take(&counts, a, 3).unwrap()).collect();
        assert!(AddressCounts::take(&counts, a, 3).is_none());
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        assert!(
            AddressCounts::take(&counts, mapped, 3).is_none(),
            "the same address, mapped"
        );
        assert!(AddressCounts::take(&counts, "192.0.2.2".parse().unwrap(), 3).is_some());
        drop(held);
        assert!(AddressCounts::take(&counts, a, 3).is_some());
    }

    #[test]
    fn an_ipv6_slash_64_counts_as_one_address() {
        let one = client_key("2001:db8:1:2:aaaa::1".parse().unwrap());
        assert_eq!(one, client_key("2001:db8:1:2:ffff:ffff:ffff:ffff".parse().unwrap()));
        assert_ne!(one, client_key("2001:db8:1:3::1".parse().unwrap()));
        assert_eq!(
            client_key("::ffff:10.0.0.5".parse().unwrap()),
            "10.0.0.5".parse::<IpAddr>().unwrap()
        );
    }
}
