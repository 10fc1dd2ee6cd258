//! Atlas writes a sunset per version, on the media type (`x-sunset` beside the version). The
//! client's descriptor carries each one, its docs state them, and a request that goes out in a
//! version with a sunset is a `tracing` warning, once per operation and version in a process
//! (a test binary of its own, so that no other test has used the version first).

use std::sync::{Arc, Mutex};
use tracing_subscriber::layer::SubscriberExt;
use workspace_tests::ids::*;
use workspace_tests::StandIn;

/// `(operation, version, sunset)` of each warning event.
#[derive(Clone, Default)]
struct Warnings(Arc<Mutex<Vec<(String, String, String)>>>);

#[derive(Default)]
struct Fields(Option<String>, Option<String>, Option<String>);

impl tracing::field::Visit for Fields {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        let slot = match field.name() {
            "operation" => &mut self.0,
            "version" => &mut self.1,
            "sunset" => &mut self.2,
            _ => return,
        };
        *slot = Some(value.to_owned());
    }
    fn record_debug(&mut self, _: &tracing::field::Field, _: &dyn std::fmt::Debug) {}
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Warnings {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if *event.metadata().level() != tracing::Level::WARN {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        if let Fields(Some(operation), Some(version), Some(sunset)) = fields {
            self.0.lock().unwrap().push((operation, version, sunset));
        }
    }
}

#[test]
fn each_version_carries_its_sunset_in_the_descriptor_and_the_docs() {
    use atlas_snapshots::operations::ListExportBuckets;
    let versions: Vec<(Option<&str>, Option<&str>)> = ListExportBuckets::OPERATION
        .responses
        .iter()
        .map(|m| (m.version, m.sunset))
        .collect();
    assert_eq!(
        versions,
        [
            (Some("2023-01-01"), Some("2027-07-01")),
            (Some("2024-05-30"), None)
        ]
    );
    let source = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../generated-client/src/operations.rs"),
    )
    .unwrap();
    assert!(
        source.contains("`application/vnd.atlas.2023-01-01+json` (sunset 2027-07-01)"),
        "the method's docs state the version's sunset"
    );
}

#[tokio::test]
async fn a_request_in_a_version_with_a_sunset_is_warned_about_once() {
    let warnings = Warnings::default();
    let subscriber = tracing_subscriber::registry().with(warnings.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = StandIn::start().await;

    // The newest version has no sunset: nothing to say.
    let newest = server.client_builder().build().unwrap();
    newest.get_compliance_policy(GROUP_ID).send().await.unwrap();
    assert!(warnings.0.lock().unwrap().is_empty());

    let pinned = server
        .client_builder()
        .api_version("2023-06-01")
        .build()
        .unwrap();
    for _ in 0..3 {
        pinned.get_compliance_policy(GROUP_ID).send().await.unwrap();
    }
    assert_eq!(
        *warnings.0.lock().unwrap(),
        [(
            "getCompliancePolicy".to_owned(),
            "2023-01-01".to_owned(),
            "2027-07-01".to_owned()
        )],
        "once, for three requests"
    );
}
