// The sub-future borrows a local (`&mut buf`) that lives in the same state.
use desugar_runtime::desugar;
use tokio::io::{AsyncRead, AsyncReadExt};

#[desugar]
async fn read_prefix<R: AsyncRead + Unpin>(reader: &mut R) -> std::io::Result<Vec<u8>> {
    let mut buf = [0u8; 8];
    let n = reader.read(&mut buf).await?;
    Ok(buf[..n].to_vec())
}
