//! Serving the router: passerelle's server loop
//! ([`passerelle::http_server`]: head and request deadlines, connection
//! limit, graceful shutdown), and the signals that stop it.

use std::future::Future;

use axum::Router;
use tokio::net::TcpListener;

pub use passerelle::http_server::ServerLimits as Limits;

/// Serves `router` on `listener` until `shutdown` completes, then waits up
/// to the grace period for the requests in flight.
pub async fn serve(listener: TcpListener, router: Router, limits: Limits, shutdown: impl Future<Output = ()>) {
    passerelle::http_server::serve(listener, router, limits, shutdown).await;
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
