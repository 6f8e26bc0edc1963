//! An HTTP/1.1 server loop for axum routers (feature `server`): the TRQP
//! server's and the issuer service's. What `axum::serve` leaves out and a
//! public server needs: a deadline for request heads (half-sent requests
//! are closed instead of holding a connection forever), a deadline for
//! each request (its body included), a limit on open connections, each
//! request's peer address (`ConnectInfo`), and a graceful shutdown that
//! lets requests in flight finish. Over TLS ([`serve_tls`]) when given a
//! certificate and key ([`TlsConfig`]); the TLS handshake is part of the
//! first request's head deadline.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
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
    tokio::pin!(shutdown);
    loop {
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
            break;
        };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let Ok((stream, peer)) = accepted else {
            // Out of file descriptors, say: wait; neither spin nor stop.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
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
