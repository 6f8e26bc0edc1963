//! Clients at other loopback addresses, for tests of per-address limits.

/// A TCP connection to `server` from the loopback address `127.0.0.{host}`
/// (Linux routes all of 127/8 to the loopback interface): a client of its
/// own, as the server counts connections by address.
pub fn connect_from(host: u8, server: std::net::SocketAddr) -> std::net::TcpStream {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap();
    let stream = runtime
        .block_on(async {
            let socket = tokio::net::TcpSocket::new_v4()?;
            socket.bind(std::net::SocketAddr::from(([127, 0, 0, host], 0)))?;
            socket.connect(server).await
        })
        .unwrap();
    let stream = stream.into_std().unwrap();
    stream.set_nonblocking(false).unwrap();
    stream
}
