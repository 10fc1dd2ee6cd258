//! The committed client must be exactly what `cargo xtask regen` would write, so `cargo test`
//! catches a spec or generator change whose output was not regenerated.

use codegen::project;
use codegen::write::Mode;

#[test]
fn committed_client_is_fresh() {
    let root = project::repository_root();
    if let Err(error) = project::regenerate(&root, Mode::Check) {
        panic!("{error}");
    }
}
