//! The Atlas dialect is written down twice, once for the generator and once for the runtime,
//! because neither crate depends on the other; here the two must agree.

#[test]
fn the_generator_and_the_runtime_follow_the_same_atlas_conventions() {
    use codegen::dialect as generator;
    assert_eq!(generator::OAUTH_TOKEN_PATH, atlas_runtime::TOKEN_PATH);
    assert_eq!(generator::env::CLIENT_ID, atlas_runtime::ENV_CLIENT_ID);
    assert_eq!(
        generator::env::CLIENT_SECRET,
        atlas_runtime::ENV_CLIENT_SECRET
    );
    assert_eq!(
        generator::env::PUBLIC_API_KEY,
        atlas_runtime::ENV_PUBLIC_API_KEY
    );
    assert_eq!(
        generator::env::PRIVATE_API_KEY,
        atlas_runtime::ENV_PRIVATE_API_KEY
    );
}
