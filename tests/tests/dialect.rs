//! The Atlas dialect is written down twice, once for the generator and once for the runtime,
//! because neither crate depends on the other; here the two must agree.

#[test]
fn the_generator_and_the_runtime_follow_the_same_atlas_conventions() {
    use codegen::dialect as generator;
    assert_eq!(
        generator::OAUTH_TOKEN_PATH,
        atlas_snapshots_runtime::TOKEN_PATH
    );
    use atlas_snapshots_runtime::__private as paging;
    assert_eq!(generator::PAGE_NUM_PARAM, paging::PAGE_NUM_PARAM);
    assert_eq!(
        generator::ITEMS_PER_PAGE_PARAM,
        paging::ITEMS_PER_PAGE_PARAM
    );
    assert_eq!(generator::RESULTS_FIELD, paging::RESULTS_FIELD);
    assert_eq!(generator::TOTAL_COUNT_FIELD, paging::TOTAL_COUNT_FIELD);
    assert_eq!(
        generator::env::CLIENT_ID,
        atlas_snapshots_runtime::ENV_CLIENT_ID
    );
    assert_eq!(
        generator::env::CLIENT_SECRET,
        atlas_snapshots_runtime::ENV_CLIENT_SECRET
    );
    assert_eq!(
        generator::env::PUBLIC_API_KEY,
        atlas_snapshots_runtime::ENV_PUBLIC_API_KEY
    );
    assert_eq!(
        generator::env::PRIVATE_API_KEY,
        atlas_snapshots_runtime::ENV_PRIVATE_API_KEY
    );
}
