//! The project, deployment and snapshot identifiers the spec's examples use (in their `links`
//! and `id` fields), so tests address resources the stand-in server has.

/// The project of every example.
pub const GROUP_ID: &str = "32b6e34b3d91647abb20e7b8";
/// The Flex cluster of the Flex examples.
pub const FLEX_CLUSTER: &str = "analytics-flex";
/// The serverless instance of the serverless examples (v2 and v1.0).
pub const SERVERLESS_INSTANCE: &str = "reporting-serverless";
/// The M2 cluster of the shared-tier examples (v2 and v1.0).
pub const TENANT_CLUSTER: &str = "shared-m2";

/// The snapshot of the Flex get example, first in the Flex list example.
pub const FLEX_SNAPSHOT: &str = "68170289f1a2b3c4d5e60c22";
/// The second snapshot of the Flex list example.
pub const FLEX_OLDER_SNAPSHOT: &str = "6815b106f1a2b3c4d5e60c21";
/// The snapshot of the serverless get examples (v2 and v1.0).
pub const SERVERLESS_SNAPSHOT: &str = "68173668c4a1e2b3d4f50a01";
/// The snapshot of the shared-tier get examples (v2 and v1.0).
pub const TENANT_SNAPSHOT: &str = "6816ae48e2f3a4b5c6d70b12";
/// The dedicated replica set cluster of the cloud backup and restore job examples.
pub const DEDICATED_CLUSTER: &str = "production-rs";
/// The dedicated sharded cluster of the sharded-cluster snapshot examples.
pub const SHARDED_CLUSTER: &str = "sharded-prod";
/// The snapshot of the dedicated-cluster get example, first in its list example.
pub const DEDICATED_SNAPSHOT: &str = "6817124df2a3b4c5d6e70d31";
/// The snapshot of the sharded-cluster examples.
pub const SHARDED_SNAPSHOT: &str = "681712b2f2a3b4c5d6e70d41";
/// The finished restore job of the dedicated-cluster examples.
pub const RESTORE_JOB: &str = "68171e3af2a3b4c5d6e70e51";
/// The finished restore job of the Flex examples.
pub const FLEX_RESTORE_JOB: &str = "68171a10f1a2b3c4d5e60d31";
/// The finished restore job of the serverless examples.
pub const SERVERLESS_RESTORE_JOB: &str = "68173c2dc4a1e2b3d4f50b11";

/// A well-formed snapshot id that no example has (the one the `notFound` example names).
pub const UNKNOWN_SNAPSHOT: &str = "0123456789abcdef01234567";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Spec;

    /// Each identifier really occurs in the spec's examples, so the constants cannot drift.
    #[test]
    fn every_identifier_appears_in_the_examples() {
        let examples: String = Spec::shared()
            .operations
            .iter()
            .flat_map(|op| op.media.iter().map(|m| m.example.to_string()))
            .collect();
        for id in [
            GROUP_ID,
            FLEX_CLUSTER,
            SERVERLESS_INSTANCE,
            TENANT_CLUSTER,
            FLEX_SNAPSHOT,
            FLEX_OLDER_SNAPSHOT,
            SERVERLESS_SNAPSHOT,
            TENANT_SNAPSHOT,
            DEDICATED_CLUSTER,
            SHARDED_CLUSTER,
            DEDICATED_SNAPSHOT,
            SHARDED_SNAPSHOT,
            RESTORE_JOB,
            FLEX_RESTORE_JOB,
            SERVERLESS_RESTORE_JOB,
        ] {
            assert!(examples.contains(id), "{id} is in no example");
        }
        assert!(!examples.contains(UNKNOWN_SNAPSHOT));
        let not_found = Spec::shared().error_example("notFound")["detail"].to_string();
        assert!(not_found.contains(UNKNOWN_SNAPSHOT), "{not_found}");
    }
}
