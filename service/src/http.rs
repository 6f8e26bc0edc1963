//! Serving the router: passerelle's server loop
//! ([`passerelle::http_server`]: head and request deadlines, connection
//! limit, graceful shutdown, TLS when given a certificate), and the
//! signals that stop it.

use std::future::Future;

use axum::Router;
use tokio::net::TcpListener;

pub use passerelle::http_server::ServerLimits as Limits;
pub use passerelle::http_server::{TlsConfig, TlsError};

/// Serves `router` on `listener` (over TLS when `tls` is given) until
/// `shutdown` completes, then waits up to the grace period for the
/// requests in flight.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    tls: Option<TlsConfig>,
    shutdown: impl Future<Output = ()>,
) {
    match tls {
        Some(tls) => passerelle::http_server::serve_tls(listener, router, limits, tls, shutdown).await,
        None => passerelle::http_server::serve(listener, router, limits, shutdown).await,
    }
}

/// Refuses a public URL in `http://` when the service serves TLS itself:
/// credentials would name status lists at `http://` URLs, which its
/// listener does not answer, and did:web resolves over `https://` only.
pub fn check_public_url_for_tls(public_url: &str) -> Result<(), String> {
    let scheme = public_url.split_once("://").map(|(scheme, _)| scheme);
    if scheme.is_some_and(|s| s.eq_ignore_ascii_case("https")) {
        return Ok(());
    }
    Err(format!(
        "--tls-cert is given but the public URL {public_url} is not https://: credentials would name \
         status lists at URLs this listener does not answer; set --public-url https://…"
    ))
}

/// Completes at Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
