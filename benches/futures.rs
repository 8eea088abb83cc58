//! Benchmarks of issue 7: native `async fn`s next to their `#[desugar]` twins,
//! and the time `#[desugar]` itself takes to expand a long function.
//!
//! Each future benchmark is one criterion group with two ids, `native` and
//! `desugared`, so the two are measured side by side in one run:
//!
//! 1. `yield_loop`: a loop of 1000 `yield_once(()).await`;
//! 2. `big_local`: a `[u8; 1024]` local held across three awaits, and
//!    `big_arg`: the same as an argument (which the compiler stores twice);
//! 3. `nested`: five `async fn`s deep, each awaiting the next;
//! 4. `tcp_echo`: a tokio loopback echo (accept loop, handler, client);
//! 5. `expand`: `desugar_core::expand` of a generated function with 100, 200
//!    and 400 awaits (about five lines per await).
//!
//! Futures 1-3 are polled with a no-op waker in a loop ([`block_on_noop`]):
//! they are only ever `Pending` through `yield_once`, which wakes its task.
//!
//! ```sh
//! cargo bench --bench futures                  # the full run
//! cargo bench --bench futures -- --test        # smoke: each benchmark once
//! ```

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};

/// Polls `future` with a no-op waker until it is ready. Only for futures
/// that wake themselves before returning `Pending` (or never need to).
fn block_on_noop<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

/// Defines the `async fn`s given twice: as written in `mod native`, and
/// with `#[desugar]` in `mod desugared`. Inside each module they call each
/// other by their plain names, so the desugared ones await desugared ones.
macro_rules! twins {
    ($($item:item)*) => {
        mod native {
            #[allow(unused_imports)]
            use super::*;
            $($item)*
        }

        mod desugared {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[desugar_runtime::desugar]
                $item
            )*
        }
    };
}

use desugar_runtime::yield_once;

twins! {
    /// Benchmark 1: `n` awaits of a future that is `Pending` once.
    pub async fn yield_loop(n: u32) -> u32 {
        let mut count = 0;
        for _ in 0..n {
            yield_once(()).await;
            count += 1;
        }
        count
    }

    /// Benchmark 2: a 1 KiB local held across three awaits.
    pub async fn big_local(seed: u8) -> u8 {
        let buf = [seed; 1024];
        yield_once(()).await;
        yield_once(()).await;
        yield_once(()).await;
        black_box(&buf)[1023]
    }

    /// Benchmark 2, the argument case: the native future keeps `buf` both as
    /// the captured argument and as the body's local.
    pub async fn big_arg(buf: [u8; 1024]) -> u8 {
        yield_once(()).await;
        yield_once(()).await;
        yield_once(()).await;
        black_box(&buf)[1023]
    }

    /// Benchmark 3: five levels, `level5` awaits `level4` ... awaits
    /// `level1`, which awaits `yield_once` three times.
    pub async fn level1(x: u64) -> u64 {
        let a = yield_once(x).await;
        let b = yield_once(a + 1).await;
        yield_once(b * 2).await
    }

    pub async fn level2(x: u64) -> u64 {
        level1(x).await + 1
    }

    pub async fn level3(x: u64) -> u64 {
        level2(x).await + 1
    }

    pub async fn level4(x: u64) -> u64 {
        level3(x).await + 1
    }

    pub async fn level5(x: u64) -> u64 {
        level4(x).await + 1
    }
}

/// Benchmark 4: an echo server and its client, written once and defined
/// native and desugared, like [`twins!`].
mod echo {
    use std::io;
    use std::net::SocketAddr;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    macro_rules! echo_twins {
        ($($item:item)*) => {
            pub mod native {
                use super::*;
                $($item)*
            }

            pub mod desugared {
                use super::*;
                $(
                    #[desugar_runtime::desugar]
                    $item
                )*
            }
        };
    }

    echo_twins! {
        /// Accepts connections until accepting fails, one handler task
        /// each.
        pub async fn serve(listener: TcpListener) -> io::Result<()> {
            loop {
                let (socket, _peer) = listener.accept().await?;
                tokio::spawn(handle(socket));
            }
        }

        /// Writes back everything it reads until the peer shuts down.
        pub async fn handle(mut socket: TcpStream) -> io::Result<u64> {
            let mut buf = [0u8; 256];
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

        /// Connects, then `messages` times: sends `message`, reads its echo
        /// back. Returns the number of bytes echoed.
        pub async fn client(addr: SocketAddr, message: [u8; 64], messages: usize) -> io::Result<usize> {
            let mut stream = TcpStream::connect(addr).await?;
            stream.set_nodelay(true)?;
            let mut echo = [0u8; 64];
            let mut total = 0;
            for _ in 0..messages {
                stream.write_all(&message).await?;
                stream.read_exact(&mut echo).await?;
                assert_eq!(echo, message, "the echo differs from the message");
                total += echo.len();
            }
            stream.shutdown().await?;
            Ok(total)
        }
    }
}

fn yield_loop(c: &mut Criterion) {
    let mut group = c.benchmark_group("yield_loop");
    group.bench_function("native", |b| {
        b.iter(|| block_on_noop(native::yield_loop(black_box(1000))))
    });
    group.bench_function("desugared", |b| {
        b.iter(|| block_on_noop(desugared::yield_loop(black_box(1000))))
    });
    group.finish();
}

fn big_local(c: &mut Criterion) {
    let mut group = c.benchmark_group("big_local");
    group.bench_function("native", |b| {
        b.iter(|| block_on_noop(native::big_local(black_box(7))))
    });
    group.bench_function("desugared", |b| {
        b.iter(|| block_on_noop(desugared::big_local(black_box(7))))
    });
    group.finish();
}

fn big_arg(c: &mut Criterion) {
    let mut group = c.benchmark_group("big_arg");
    group.bench_function("native", |b| {
        b.iter(|| block_on_noop(native::big_arg(black_box([7; 1024]))))
    });
    group.bench_function("desugared", |b| {
        b.iter(|| block_on_noop(desugared::big_arg(black_box([7; 1024]))))
    });
    group.finish();
}

fn nested(c: &mut Criterion) {
    let mut group = c.benchmark_group("nested");
    group.bench_function("native", |b| {
        b.iter(|| block_on_noop(native::level5(black_box(20))))
    });
    group.bench_function("desugared", |b| {
        b.iter(|| block_on_noop(desugared::level5(black_box(20))))
    });
    group.finish();
}

/// Messages per connection in the echo benchmark, and their size.
const ECHO_MESSAGES: usize = 100;
const ECHO_MESSAGE: [u8; 64] = *b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/";

fn tcp_echo(c: &mut Criterion) {
    // One current-thread runtime and one listening server per variant,
    // made outside the timed closure; the server's accept loop and its
    // handler tasks run whenever `block_on` drives the client.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let bind = || {
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        (listener, addr)
    };
    let (native_listener, native_addr) = bind();
    let (desugared_listener, desugared_addr) = bind();
    let native_server = runtime.spawn(echo::native::serve(native_listener));
    let desugared_server = runtime.spawn(echo::desugared::serve(desugared_listener));

    let expected = ECHO_MESSAGES * ECHO_MESSAGE.len();
    let mut group = c.benchmark_group("tcp_echo");
    group.bench_function("native", |b| {
        b.iter(|| {
            let echoed = runtime
                .block_on(echo::native::client(
                    native_addr,
                    ECHO_MESSAGE,
                    ECHO_MESSAGES,
                ))
                .expect("native echo");
            assert_eq!(echoed, expected);
        })
    });
    group.bench_function("desugared", |b| {
        b.iter(|| {
            let echoed = runtime
                .block_on(echo::desugared::client(
                    desugared_addr,
                    ECHO_MESSAGE,
                    ECHO_MESSAGES,
                ))
                .expect("desugared echo");
            assert_eq!(echoed, expected);
        })
    });
    group.finish();
    native_server.abort();
    desugared_server.abort();
}

/// The source of an `async fn` with `awaits` awaits, five lines per await:
/// two lets with arithmetic, an awaited call, and two updates of the
/// accumulator, so one value (`b{i}`) lives across each await next to `acc`.
fn generated_source(awaits: usize) -> String {
    let mut source =
        String::from("async fn generated(seed: u64) -> u64 {\n    let mut acc = seed;\n");
    for i in 0..awaits {
        source.push_str(&format!(
            "    let a{i} = acc.wrapping_mul(31).wrapping_add({i});\n\
             \x20   let b{i} = a{i} ^ (acc >> 3);\n\
             \x20   let c{i} = step(a{i}, {i}).await;\n\
             \x20   acc = acc.wrapping_add(c{i} ^ b{i});\n\
             \x20   acc = acc.rotate_left(({i} % 63) as u32);\n"
        ));
    }
    source.push_str("    acc\n}\n");
    source
}

fn expand(c: &mut Criterion) {
    let mut group = c.benchmark_group("expand");
    for awaits in [100, 200, 400] {
        let source = generated_source(awaits);
        let item: syn::ItemFn = syn::parse_str(&source).expect("the generated function parses");
        let tokens = quote::ToTokens::into_token_stream(item);
        // The expansion is a state machine, not an error.
        let expanded = desugar_core::expand(proc_macro2::TokenStream::new(), tokens.clone());
        let expanded = expanded.to_string();
        assert!(
            !expanded.contains("compile_error"),
            "expanding {awaits} awaits failed: {expanded:.400}"
        );
        group.bench_with_input(BenchmarkId::new("awaits", awaits), &tokens, |b, tokens| {
            b.iter_batched(
                || tokens.clone(),
                |tokens| desugar_core::expand(proc_macro2::TokenStream::new(), tokens),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

criterion_group! {
    name = futures;
    config = Criterion::default().warm_up_time(Duration::from_secs(1));
    targets = yield_loop, big_local, big_arg, nested, tcp_echo
}
criterion_group! {
    name = expansion;
    config = Criterion::default().sample_size(20).warm_up_time(Duration::from_secs(1));
    targets = expand
}
criterion_main!(futures, expansion);
