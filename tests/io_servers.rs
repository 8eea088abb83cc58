//! Real network servers, desugared, next to their native twins: a TCP echo
//! server and a line-protocol server on loopback, each an accept loop that
//! spawns one handler task per connection, with clients that are
//! `async fn`s too.
//!
//! Every server, handler and client is written once, in a `servers!` block
//! that defines it twice: as native `async fn`s in `mod native` and with
//! `#[desugar]` in `mod desugared`. Inside each module the functions call
//! each other by their plain names, the way a user writes them, so the
//! desugared accept loop spawns the desugared handler, and so on. The
//! tests run many concurrent clients against each server and compare what
//! every client got back: desugared server with desugared clients, native
//! with native, and the two mixed.
//!
//! `tokio::spawn` of every desugared future checks that it is `Send +
//! 'static`. Miri cannot open sockets: every test is skipped under Miri.

#![allow(unexpected_cfgs)]

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;

/// Defines the `async fn`s given twice: as written in `mod native`, and
/// with `#[desugar]` in `mod desugared`. Both modules see the items of the
/// module the macro is called in (`use super::*`). Like `twins!`, under
/// `--cfg desugar_as_native` the "desugared" copy is a second native one.
macro_rules! servers {
    ($($item:item)*) => {
        #[allow(dead_code, unused_imports)]
        pub mod native {
            use super::*;
            $($item)*
        }

        #[allow(dead_code, unused_imports)]
        pub mod desugared {
            use super::*;
            $(
                #[cfg_attr(not(desugar_as_native), desugar_runtime::desugar)]
                $item
            )*
        }
    };
}

/// Whole runs are bounded: a hang is a failure, not a stuck test suite.
const LIMIT: Duration = Duration::from_secs(10);

async fn bounded<F: std::future::Future>(what: &str, future: F) -> F::Output {
    match tokio::time::timeout(LIMIT, future).await {
        Ok(output) => output,
        Err(_) => panic!("{what}: did not finish within {LIMIT:?}"),
    }
}

async fn bind() -> (TcpListener, SocketAddr) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    (listener, addr)
}

// ---------------------------------------------------------------------------
// Echo server
// ---------------------------------------------------------------------------

mod echo {
    use std::io;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};
    use tokio::task::JoinHandle;

    servers! {
        /// Accepts `connections` connections, one handler task each, then
        /// waits for every handler; returns the bytes echoed per
        /// connection, in the order the connections were accepted.
        pub async fn serve(listener: TcpListener, connections: usize) -> io::Result<Vec<u64>> {
            let mut handlers: Vec<JoinHandle<io::Result<u64>>> = Vec::new();
            while handlers.len() < connections {
                let (socket, _peer) = listener.accept().await?;
                handlers.push(tokio::spawn(handle(socket)));
            }
            let mut echoed = Vec::new();
            for handler in handlers {
                echoed.push(handler.await.expect("a handler panicked")?);
            }
            Ok(echoed)
        }

        /// Writes back everything it reads until the peer shuts down its
        /// side; returns how many bytes it echoed.
        pub async fn handle(mut socket: TcpStream) -> io::Result<u64> {
            let mut buf = [0u8; 1024];
            let mut total = 0;
            loop {
                let n = socket.read(&mut buf).await?;
                if n == 0 {
                    break;
                }
                socket.write_all(&buf[..n]).await?;
                total += n as u64;
            }
            Ok(total)
        }

        /// Sends `message` in one go, shuts down its side, and reads the
        /// echo to the end.
        pub async fn client(addr: std::net::SocketAddr, message: Vec<u8>) -> io::Result<Vec<u8>> {
            let mut stream = TcpStream::connect(addr).await?;
            stream.write_all(&message).await?;
            stream.shutdown().await?;
            let mut echo = Vec::with_capacity(message.len());
            stream.read_to_end(&mut echo).await?;
            Ok(echo)
        }
    }
}

/// A distinct message per client, of varied length (up to a few kB, so
/// that some take several reads of the handler's 1 kB buffer).
fn message(id: usize) -> Vec<u8> {
    let mut text = format!("client {id}:");
    for i in 0..(id * 37) % 4000 {
        text.push(char::from(b'a' + (i % 26) as u8));
    }
    text.into_bytes()
}

const CLIENTS: usize = 128;

/// Runs `CLIENTS` concurrent clients against one server; returns the set of
/// `(id, echo)` the clients received and the sorted byte counts the server
/// reported.
async fn echo_run(
    desugared_server: bool,
    desugared_clients: bool,
) -> (BTreeSet<(usize, Vec<u8>)>, Vec<u64>) {
    let (listener, addr) = bind().await;
    let server = if desugared_server {
        tokio::spawn(echo::desugared::serve(listener, CLIENTS))
    } else {
        tokio::spawn(echo::native::serve(listener, CLIENTS))
    };
    let mut clients = Vec::new();
    for id in 0..CLIENTS {
        let client = if desugared_clients {
            tokio::spawn(echo::desugared::client(addr, message(id)))
        } else {
            tokio::spawn(echo::native::client(addr, message(id)))
        };
        clients.push((id, client));
    }
    let mut received = BTreeSet::new();
    for (id, client) in clients {
        let echo = client.await.unwrap().unwrap();
        received.insert((id, echo));
    }
    let mut counts = server.await.unwrap().unwrap();
    counts.sort_unstable();
    (received, counts)
}

fn expected_echo() -> (BTreeSet<(usize, Vec<u8>)>, Vec<u64>) {
    let received: BTreeSet<_> = (0..CLIENTS).map(|id| (id, message(id))).collect();
    let mut counts: Vec<u64> = (0..CLIENTS).map(|id| message(id).len() as u64).collect();
    counts.sort_unstable();
    (received, counts)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(miri, ignore)]
async fn echo_server_with_many_concurrent_clients() {
    let native = bounded("native server, native clients", echo_run(false, false)).await;
    let desugared = bounded("desugared server, desugared clients", echo_run(true, true)).await;
    assert_eq!(native, expected_echo());
    assert_eq!(desugared, native);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(miri, ignore)]
async fn echo_server_mixed_with_native() {
    let desugared_server = bounded("desugared server, native clients", echo_run(true, false)).await;
    let native_server = bounded("native server, desugared clients", echo_run(false, true)).await;
    assert_eq!(desugared_server, expected_echo());
    assert_eq!(native_server, expected_echo());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(miri, ignore)]
async fn echo_handler_sees_an_empty_connection() {
    // A client that connects and shuts down at once: zero bytes echoed.
    for desugared in [false, true] {
        let (listener, addr) = bind().await;
        let server = if desugared {
            tokio::spawn(echo::desugared::serve(listener, 2))
        } else {
            tokio::spawn(echo::native::serve(listener, 2))
        };
        let empty = echo::native::client(addr, Vec::new()).await.unwrap();
        let one = echo::native::client(addr, b"x".to_vec()).await.unwrap();
        assert_eq!((empty, one), (Vec::new(), b"x".to_vec()));
        assert_eq!(
            bounded("server", server).await.unwrap().unwrap(),
            vec![0, 1]
        );
    }
}

// ---------------------------------------------------------------------------
// Line-protocol server: `ADD a b`, `MUL a b`, `QUIT`
// ---------------------------------------------------------------------------

mod calc {
    use std::io;
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::{TcpListener, TcpStream};

    #[derive(Debug, PartialEq)]
    pub enum Command {
        Add(i64, i64),
        Mul(i64, i64),
        Quit,
    }

    /// Parses one request line.
    pub fn parse(line: &str) -> Result<Command, String> {
        let mut words = line.split_whitespace();
        let verb = words.next().ok_or("empty line")?;
        let mut number = || -> Result<i64, String> {
            let word = words.next().ok_or("missing operand")?;
            word.parse().map_err(|_| format!("not a number: {word}"))
        };
        match verb {
            "ADD" => Ok(Command::Add(number()?, number()?)),
            "MUL" => Ok(Command::Mul(number()?, number()?)),
            "QUIT" => Ok(Command::Quit),
            other => Err(format!("unknown command: {other}")),
        }
    }

    /// What a session looked like from the server's side.
    #[derive(Debug, Default, Clone, PartialEq, Eq, PartialOrd, Ord)]
    pub struct Session {
        pub answered: u32,
        pub errors: u32,
        pub quit: bool,
    }

    servers! {
        /// Accepts `connections` connections, one session task each;
        /// returns the sessions, in the order the connections were
        /// accepted.
        pub async fn serve(listener: TcpListener, connections: usize) -> io::Result<Vec<Session>> {
            let mut sessions = Vec::new();
            for _ in 0..connections {
                let (socket, _) = listener.accept().await?;
                sessions.push(tokio::spawn(session(socket)));
            }
            let mut done = Vec::new();
            for handle in sessions {
                done.push(handle.await.expect("a session panicked")?);
            }
            Ok(done)
        }

        /// Answers one request per line until `QUIT` or the end of the
        /// input.
        pub async fn session(socket: TcpStream) -> io::Result<Session> {
            let (read_half, mut write_half) = socket.into_split();
            let mut lines = BufReader::new(read_half).lines();
            let mut stats = Session::default();
            while let Some(line) = lines.next_line().await? {
                let reply = match parse(&line) {
                    Ok(Command::Add(a, b)) => match a.checked_add(b) {
                        Some(sum) => sum.to_string(),
                        None => "ERR overflow".to_string(),
                    },
                    Ok(Command::Mul(a, b)) => match a.checked_mul(b) {
                        Some(product) => product.to_string(),
                        None => "ERR overflow".to_string(),
                    },
                    Ok(Command::Quit) => {
                        write_half.write_all(b"BYE\n").await?;
                        stats.quit = true;
                        break;
                    }
                    Err(error) => format!("ERR {error}"),
                };
                if reply.starts_with("ERR") {
                    stats.errors += 1;
                } else {
                    stats.answered += 1;
                }
                write_half.write_all(reply.as_bytes()).await?;
                write_half.write_all(b"\n").await?;
            }
            write_half.shutdown().await?;
            Ok(stats)
        }

        /// Sends each request and waits for its answer; stops after `BYE`
        /// or when the server hangs up. Returns the answers.
        pub async fn client(addr: std::net::SocketAddr, requests: Vec<String>) -> io::Result<Vec<String>> {
            let stream = TcpStream::connect(addr).await?;
            let (read_half, mut write_half) = stream.into_split();
            let mut replies = BufReader::new(read_half).lines();
            let mut answers = Vec::new();
            for request in requests {
                write_half.write_all(request.as_bytes()).await?;
                write_half.write_all(b"\n").await?;
                match replies.next_line().await? {
                    Some(answer) if answer == "BYE" => {
                        answers.push(answer);
                        break;
                    }
                    Some(answer) => answers.push(answer),
                    None => break,
                }
            }
            Ok(answers)
        }
    }
}

/// The requests of client `id`: a few computations, a bad line or two,
/// and for two thirds of the clients a `QUIT` followed by a request that
/// the client must not send.
fn requests(id: usize) -> Vec<String> {
    let n = id as i64;
    let mut out = vec![
        format!("ADD {n} {}", n * 3),
        format!("MUL {n} -7"),
        format!("ADD {} 1", i64::MAX - n % 2),
    ];
    if id % 3 == 1 {
        out.push("DIV 1 2".to_owned());
    }
    if id % 4 == 2 {
        out.push(format!("MUL {n} x{n}"));
        out.push("ADD 1".to_owned());
    }
    if !id.is_multiple_of(3) {
        out.push("QUIT".to_owned());
        out.push(format!("ADD {n} {n}"));
    }
    out
}

const CALC_CLIENTS: usize = 60;

type CalcResult = (BTreeSet<(usize, Vec<String>)>, Vec<calc::Session>);

async fn calc_run(desugared_server: bool, desugared_clients: bool) -> CalcResult {
    let (listener, addr) = bind().await;
    let server = if desugared_server {
        tokio::spawn(calc::desugared::serve(listener, CALC_CLIENTS))
    } else {
        tokio::spawn(calc::native::serve(listener, CALC_CLIENTS))
    };
    let mut clients = Vec::new();
    for id in 0..CALC_CLIENTS {
        let client = if desugared_clients {
            tokio::spawn(calc::desugared::client(addr, requests(id)))
        } else {
            tokio::spawn(calc::native::client(addr, requests(id)))
        };
        clients.push((id, client));
    }
    let mut answers = BTreeSet::new();
    for (id, client) in clients {
        answers.insert((id, client.await.unwrap().unwrap()));
    }
    let mut sessions = server.await.unwrap().unwrap();
    sessions.sort();
    (answers, sessions)
}

#[test]
fn parse_requests() {
    use calc::{Command, parse};
    assert_eq!(parse("ADD 2 3"), Ok(Command::Add(2, 3)));
    assert_eq!(parse("MUL -2 3"), Ok(Command::Mul(-2, 3)));
    assert_eq!(parse("QUIT"), Ok(Command::Quit));
    assert_eq!(parse(""), Err("empty line".to_owned()));
    assert_eq!(parse("ADD 1"), Err("missing operand".to_owned()));
    assert_eq!(parse("MUL 1 x"), Err("not a number: x".to_owned()));
    assert_eq!(parse("DIV 1 2"), Err("unknown command: DIV".to_owned()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(miri, ignore)]
async fn line_protocol_server_with_concurrent_clients() {
    let native = bounded("native server, native clients", calc_run(false, false)).await;
    let desugared = bounded("desugared server, desugared clients", calc_run(true, true)).await;
    assert_eq!(desugared, native);

    // What the native pair did, spelled out for a few clients.
    let (answers, sessions) = &native;
    let of = |id: usize| &answers.iter().find(|(i, _)| *i == id).unwrap().1;
    assert_eq!(of(0), &["0", "0", "ERR overflow"]);
    assert_eq!(
        of(1),
        &[
            "4",
            "-7",
            "9223372036854775807",
            "ERR unknown command: DIV",
            "BYE"
        ]
    );
    assert_eq!(
        of(2),
        &[
            "8",
            "-14",
            "ERR overflow",
            "ERR not a number: x2",
            "ERR missing operand",
            "BYE"
        ]
    );
    let quits = sessions.iter().filter(|s| s.quit).count();
    assert_eq!(
        quits,
        (0..CALC_CLIENTS).filter(|id| !id.is_multiple_of(3)).count()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(miri, ignore)]
async fn line_protocol_server_mixed_with_native() {
    let native = bounded("native server, native clients", calc_run(false, false)).await;
    let desugared_server = bounded("desugared server, native clients", calc_run(true, false)).await;
    let native_server = bounded("native server, desugared clients", calc_run(false, true)).await;
    assert_eq!(desugared_server, native);
    assert_eq!(native_server, native);
}

/// `Send` as the native twin, never larger than it: the futures of every
/// server, handler and client, created and dropped unpolled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(miri, ignore)]
async fn futures_are_send_and_not_larger_than_native() {
    use desugar_lessons::is_send;
    use std::mem::size_of_val;

    macro_rules! same_shape {
        ($native:expr, $desugared:expr) => {{
            let (n, d) = ($native, $desugared);
            assert!(is_send!(n) && is_send!(d), "{}", stringify!($desugared));
            assert!(
                size_of_val(&d) <= size_of_val(&n),
                "{}: {} bytes, native {} bytes",
                stringify!($desugared),
                size_of_val(&d),
                size_of_val(&n)
            );
        }};
    }

    let socket = || async {
        let (listener, addr) = bind().await;
        let client = tokio::net::TcpStream::connect(addr).await.unwrap();
        let (server, _) = listener.accept().await.unwrap();
        (client, server)
    };
    let (_c1, s1) = socket().await;
    let (_c2, s2) = socket().await;
    let (_c3, s3) = socket().await;
    let (_c4, s4) = socket().await;
    let (_c5, s5) = socket().await;
    let (_c6, s6) = socket().await;
    let addr = bind().await.1;
    same_shape!(
        echo::native::serve(bind().await.0, 1),
        echo::desugared::serve(bind().await.0, 1)
    );
    same_shape!(echo::native::handle(s1), echo::desugared::handle(s2));
    same_shape!(
        echo::native::client(addr, Vec::new()),
        echo::desugared::client(addr, Vec::new())
    );
    same_shape!(
        calc::native::serve(bind().await.0, 1),
        calc::desugared::serve(bind().await.0, 1)
    );
    same_shape!(calc::native::session(s3), calc::desugared::session(s4));
    same_shape!(
        calc::native::client(addr, Vec::new()),
        calc::desugared::client(addr, Vec::new())
    );
    same_shape!(
        tutorial::native::serve_forever(bind().await.0),
        tutorial::desugared::serve_forever(bind().await.0)
    );
    same_shape!(
        borrowed_halves::native::echo(s5),
        borrowed_halves::desugared::echo(s6)
    );
}

// ---------------------------------------------------------------------------
// The tokio tutorial's echo server: an endless accept loop spawning
// `async move` blocks (left as written by the macro), stopped by `abort`
// ---------------------------------------------------------------------------

mod tutorial {
    use std::io;
    use tokio::net::TcpListener;

    servers! {
        /// Serves until it is aborted; each connection is echoed by
        /// `tokio::io::copy` between the two halves of the socket.
        pub async fn serve_forever(listener: TcpListener) -> io::Result<()> {
            loop {
                let (mut socket, _) = listener.accept().await?;
                tokio::spawn(async move {
                    let (mut reader, mut writer) = socket.split();
                    tokio::io::copy(&mut reader, &mut writer).await
                });
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(miri, ignore)]
async fn endless_accept_loop_with_async_blocks_is_aborted() {
    for desugared in [false, true] {
        let (listener, addr) = bind().await;
        let server = if desugared {
            tokio::spawn(tutorial::desugared::serve_forever(listener))
        } else {
            tokio::spawn(tutorial::native::serve_forever(listener))
        };
        let mut clients = Vec::new();
        for id in 0..CLIENTS {
            let client = if desugared {
                tokio::spawn(echo::desugared::client(addr, message(id)))
            } else {
                tokio::spawn(echo::native::client(addr, message(id)))
            };
            clients.push((id, client));
        }
        let mut received = BTreeSet::new();
        for (id, client) in clients {
            let echo = bounded("client", client).await.unwrap().unwrap();
            received.insert((id, echo));
        }
        assert_eq!(received, expected_echo().0, "desugared: {desugared}");
        // The server is waiting in `accept`: abort it, which drops the
        // listener, so connecting again fails.
        assert!(!server.is_finished());
        server.abort();
        assert!(server.await.unwrap_err().is_cancelled());
        let refused = tokio::net::TcpStream::connect(addr).await;
        assert!(refused.is_err(), "desugared: {desugared}: {refused:?}");
    }
}

// ---------------------------------------------------------------------------
// Handlers on borrowed socket halves, and known gaps, written the way a
// user would
// ---------------------------------------------------------------------------

mod greet {
    use std::io;
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::{TcpListener, TcpStream};

    servers! {
        pub async fn serve(listener: TcpListener, connections: usize) -> io::Result<()> {
            let mut sessions = Vec::new();
            for _ in 0..connections {
                let (socket, _) = listener.accept().await?;
                sessions.push(tokio::spawn(session(socket)));
            }
            for handle in sessions {
                handle.await.expect("a session panicked")?;
            }
            Ok(())
        }

        pub async fn session(socket: TcpStream) -> io::Result<()> {
            let (read_half, mut write_half) = socket.into_split();
            let mut lines = BufReader::new(read_half).lines();
            while let Some(name) = lines.next_line().await? {
                // a future borrowing a temporary through a method call
                write_half.write_all(format!("hello, {name}\n").as_bytes()).await?;
            }
            Ok(())
        }

        pub async fn client(addr: std::net::SocketAddr, name: String) -> io::Result<Option<String>> {
            let stream = TcpStream::connect(addr).await?;
            let (read_half, mut write_half) = stream.into_split();
            write_half.write_all(format!("{name}\n").as_bytes()).await?;
            write_half.shutdown().await?;
            BufReader::new(read_half).lines().next_line().await
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(miri, ignore)]
async fn future_borrowing_a_formatted_temporary() {
    for desugared in [false, true] {
        let (listener, addr) = bind().await;
        let server = if desugared {
            tokio::spawn(greet::desugared::serve(listener, 20))
        } else {
            tokio::spawn(greet::native::serve(listener, 20))
        };
        let mut clients = Vec::new();
        for id in 0..20 {
            let name = format!("client {id}");
            clients.push(if desugared {
                tokio::spawn(greet::desugared::client(addr, name))
            } else {
                tokio::spawn(greet::native::client(addr, name))
            });
        }
        for (id, client) in clients.into_iter().enumerate() {
            let reply = bounded("client", client).await.unwrap().unwrap();
            assert_eq!(reply, Some(format!("hello, client {id}")));
        }
        bounded("server", server).await.unwrap().unwrap();
    }
}

mod borrowed_halves {
    use std::io;
    use tokio::net::{TcpListener, TcpStream};

    servers! {
        pub async fn serve(listener: TcpListener, connections: usize) -> io::Result<Vec<u64>> {
            let mut handlers = Vec::new();
            for _ in 0..connections {
                let (socket, _) = listener.accept().await?;
                handlers.push(tokio::spawn(echo(socket)));
            }
            let mut copied = Vec::new();
            for handler in handlers {
                copied.push(handler.await.expect("a handler panicked")?);
            }
            Ok(copied)
        }

        /// The tutorial's echo, as an `async fn`: the halves borrow
        /// `socket` across the `.await`.
        pub async fn echo(mut socket: TcpStream) -> io::Result<u64> {
            let (mut reader, mut writer) = socket.split();
            tokio::io::copy(&mut reader, &mut writer).await
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(miri, ignore)]
async fn echo_on_borrowed_socket_halves() {
    for desugared in [false, true] {
        let (listener, addr) = bind().await;
        let server = if desugared {
            tokio::spawn(borrowed_halves::desugared::serve(listener, 32))
        } else {
            tokio::spawn(borrowed_halves::native::serve(listener, 32))
        };
        let mut clients = Vec::new();
        for id in 0..32 {
            clients.push((id, tokio::spawn(echo::native::client(addr, message(id)))));
        }
        for (id, client) in clients {
            let echo = bounded("client", client).await.unwrap().unwrap();
            assert_eq!(echo, message(id), "desugared: {desugared}");
        }
        let mut counts = bounded("server", server).await.unwrap().unwrap();
        counts.sort_unstable();
        let mut expected: Vec<u64> = (0..32).map(|id| message(id).len() as u64).collect();
        expected.sort_unstable();
        assert_eq!(counts, expected, "desugared: {desugared}");
    }
}

mod shouting {
    use std::io;
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::TcpStream;

    servers! {
        /// Upper-cases each line; `lines` and `writer` borrow `socket`
        /// across every `.await`.
        pub async fn shout(mut socket: TcpStream) -> io::Result<u32> {
            let (reader, mut writer) = socket.split();
            let mut lines = BufReader::new(reader).lines();
            let mut count = 0;
            while let Some(line) = lines.next_line().await? {
                let loud = line.to_uppercase();
                writer.write_all(loud.as_bytes()).await?;
                writer.write_all(b"\n").await?;
                count += 1;
            }
            Ok(count)
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(miri, ignore)]
async fn line_handler_on_borrowed_socket_halves() {
    for desugared in [false, true] {
        let (listener, addr) = bind().await;
        let shouter = tokio::spawn(async move {
            let (socket, _) = listener.accept().await?;
            if desugared {
                shouting::desugared::shout(socket).await
            } else {
                shouting::native::shout(socket).await
            }
        });
        let reply = echo::native::client(addr, b"one\ntwo\n".to_vec())
            .await
            .unwrap();
        assert_eq!(reply, b"ONE\nTWO\n");
        assert_eq!(bounded("shout", shouter).await.unwrap().unwrap(), 2);
    }
}

// A line protocol whose handler splits each line into words that borrow
// it, and replies word by word: `line`, bound by `while let`, is borrowed
// across the `.await`s (the macro binds it again as a plain local, kept in
// place).
mod words {
    use std::io;
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::{TcpListener, TcpStream};

    servers! {
        pub async fn serve(listener: TcpListener, connections: usize) -> io::Result<()> {
            let mut sessions = Vec::new();
            for _ in 0..connections {
                let (socket, _) = listener.accept().await?;
                sessions.push(tokio::spawn(session(socket)));
            }
            for handle in sessions {
                handle.await.expect("a session panicked")?;
            }
            Ok(())
        }

        pub async fn session(socket: TcpStream) -> io::Result<()> {
            let (read_half, mut write_half) = socket.into_split();
            let mut lines = BufReader::new(read_half).lines();
            while let Some(line) = lines.next_line().await? {
                let words: Vec<&str> = line.split_whitespace().collect();
                for word in words.iter().rev() {
                    write_half.write_all(word.as_bytes()).await?;
                    write_half.write_all(b" ").await?;
                }
                write_half.write_all(format!("({})\n", words.len()).as_bytes()).await?;
            }
            Ok(())
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(miri, ignore)]
async fn line_protocol_with_words_borrowed_across_awaits() {
    for desugared in [false, true] {
        let (listener, addr) = bind().await;
        let server = if desugared {
            tokio::spawn(words::desugared::serve(listener, 20))
        } else {
            tokio::spawn(words::native::serve(listener, 20))
        };
        let mut clients = Vec::new();
        for id in 0..20 {
            let line = format!("client {id} says hi");
            // `greet`'s client: one line out, one line back
            clients.push(if desugared {
                tokio::spawn(greet::desugared::client(addr, line))
            } else {
                tokio::spawn(greet::native::client(addr, line))
            });
        }
        for (id, client) in clients.into_iter().enumerate() {
            let reply = bounded("client", client).await.unwrap().unwrap();
            assert_eq!(
                reply,
                Some(format!("hi says {id} client (4)")),
                "desugared: {desugared}"
            );
        }
        bounded("server", server).await.unwrap().unwrap();
    }
}
