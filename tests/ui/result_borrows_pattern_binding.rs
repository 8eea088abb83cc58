// The result of `view_of(&holder).await` borrows `holder`, a local bound by
// a tuple pattern, and is used after the next `.await`. The state machine
// moves the values it keeps when a state changes, so the borrow would
// dangle: the macro binds `holder` again as a plain local (`holder_2`) and
// the borrow-checked copy of the body rejects the move, on the user's
// tokens. (It used to compile and read freed memory.) Bind it with a plain
// `let` and keep it in place with `#[desugar(pin(holder))]`, or copy what
// you need out of the result before the next `.await`.
use desugar_runtime::{desugar, yield_once};

pub struct Holder {
    pub name: String,
}

pub async fn view_of(holder: &Holder) -> &String {
    yield_once(()).await;
    &holder.name
}

#[desugar]
async fn tuple_let() -> String {
    let (holder, n) = (Holder { name: "free fn".to_string() }, 1u64);
    let view = view_of(&holder).await;
    let filler = [n; 8];
    yield_once(()).await;
    format!("{view} {}", filler.len())
}

fn main() {
    let _ = tuple_let();
}
