use desugar_runtime::{count_polls, desugar, poll_to_completion, yield_once};

#[derive(Debug)]
struct Error;
async fn fetch(s: &str) -> Result<String, Error> {
    yield_once(()).await;
    if s.is_empty() {
        Err(Error)
    } else {
        Ok(s.to_uppercase())
    }
}

#[desugar]
async fn fetch_two(a: &str, b: &str) -> Result<(String, String), Error> {
    let r1 = fetch(a).await?;
    let r2 = fetch(b).await?;
    Ok((r1, r2))
}

struct Reader {
    data: Vec<u8>,
}
impl Reader {
    async fn read(&mut self, buf: &mut Vec<u8>) -> usize {
        yield_once(()).await;
        buf.extend_from_slice(&self.data);
        self.data.len()
    }
}

#[desugar]
async fn read_twice(data: Vec<u8>) -> (usize, Vec<u8>) {
    let mut reader = Reader { data };
    let mut buf = Vec::new();
    let n = reader.read(&mut buf).await;
    let m = reader.read(&mut buf).await;
    (n + m, buf)
}

async fn len_of(v: &[u8]) -> usize {
    yield_once(v.len()).await
}
fn make_vec() -> Vec<u8> {
    vec![1, 2, 3]
}

#[desugar]
async fn borrow_temp() -> usize {
    len_of(&make_vec()).await + 1
}

struct Counter {
    n: u32,
}
impl Counter {
    #[desugar]
    async fn bump(&mut self, by: u32) -> u32 {
        let step = yield_once(by).await;
        self.n += step;
        self.n
    }
    #[desugar]
    async fn into_n(self) -> u32 {
        yield_once(self.n).await
    }
}

#[desugar]
async fn generic<T: Clone + std::fmt::Debug>(
    x: T,
    (a, b): (u8, u8),
    f: impl Fn(u8) -> u8,
) -> (T, u8) {
    let y = yield_once(x.clone()).await;
    (y, f(a) + yield_once(b).await)
}

#[desugar]
async fn option_q(v: Option<u8>) -> Option<u8> {
    let x = yield_once(v).await?;
    Some(x + 1)
}

#[desugar]
async fn shadow(x: u32) -> u32 {
    let x = yield_once(x + 1).await;
    let x = yield_once(x * 2).await;
    x
}

#[test]
fn smoke() {
    assert_eq!(
        poll_to_completion(count_polls(fetch_two("a", "b")))
            .0
            .unwrap(),
        ("A".to_string(), "B".to_string())
    );
    assert!(poll_to_completion(fetch_two("", "b")).is_err());
    assert_eq!(
        poll_to_completion(read_twice(vec![1, 2])),
        (4, vec![1, 2, 1, 2])
    );
    assert_eq!(poll_to_completion(borrow_temp()), 4);
    let mut c = Counter { n: 1 };
    assert_eq!(poll_to_completion(c.bump(2)), 3);
    assert_eq!(poll_to_completion(c.into_n()), 3);
    assert_eq!(
        poll_to_completion(generic("s", (1, 2), |v| v * 10)),
        ("s", 12)
    );
    assert_eq!(poll_to_completion(option_q(Some(1))), Some(2));
    assert_eq!(poll_to_completion(option_q(None)), None);
    assert_eq!(poll_to_completion(shadow(1)), 4);
}

#[derive(Debug, PartialEq)]
struct User {
    id: u32,
}

#[desugar]
async fn user(id: u32) -> User {
    let id = yield_once(id).await;
    User { id }
}

#[test]
fn enum_name_does_not_shadow_user_types() {
    assert_eq!(poll_to_completion(user(7)), User { id: 7 });
}

#[desugar]
async fn nested_items(x: u32) -> u32 {
    let y = yield_once(double(x)).await;
    const OFFSET: u32 = 1;
    fn double(v: u32) -> u32 {
        v * 2
    }
    double(y) + OFFSET
}

#[test]
fn nested_items_are_visible_after_awaits() {
    assert_eq!(poll_to_completion(nested_items(1)), 5);
}

#[desugar]
async fn returns_last(x: u32) -> u32 {
    let y = yield_once(x).await;
    return y + 1;
}

#[desugar]
async fn raw_identifier() -> u32 {
    let r#type = 6u32;
    yield_once(()).await;
    let r#type = r#type + 1;
    yield_once(()).await;
    r#type
}

#[test]
fn return_statement_last_and_raw_identifiers() {
    assert_eq!(poll_to_completion(returns_last(1)), 2);
    assert_eq!(poll_to_completion(raw_identifier()), 7);
}
