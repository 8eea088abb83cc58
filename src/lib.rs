//! Support shared by the seed examples and the test suites of `desugar`.
//!
//! The examples live in `examples/`, the behaviour, expansion and UI tests in
//! `tests/`. This library only holds what several of them need.
