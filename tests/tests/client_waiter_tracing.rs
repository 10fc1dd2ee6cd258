//! Each poll of a waiter is a `tracing` event with its number and the state it saw. Alone in
//! its test binary: tracing caches which callsites are of interest, and a test elsewhere in the
//! same process, running without a subscriber at the same moment, could make this one miss
//! its events.

use atlas_snapshots::models::DiskBackupOnDemandSnapshotRequest;
use atlas_snapshots::WaitPolicy;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use workspace_tests::ids::*;
use workspace_tests::StandIn;

/// A `tracing` layer that keeps the `poll` and `state` fields of every "polled" event.
#[derive(Clone, Default)]
struct Polls(Arc<Mutex<Vec<(u64, String)>>>);

struct PollFields(Option<u64>, Option<String>, bool);

impl tracing::field::Visit for PollFields {
    fn record_u64(&mut self, field: &tracing::field::Field, value: u64) {
        if field.name() == "poll" {
            self.0 = Some(value);
        }
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "state" {
            self.1 = Some(value.to_owned());
        }
    }
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" && format!("{value:?}") == "polled" {
            self.2 = true;
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Polls {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let mut fields = PollFields(None, None, false);
        event.record(&mut fields);
        if let PollFields(Some(poll), Some(state), true) = fields {
            self.0.lock().unwrap().push((poll, state));
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn every_poll_is_a_tracing_event_with_its_state() {
    use tracing_subscriber::layer::SubscriberExt;
    let polls = Polls::default();
    let subscriber = tracing_subscriber::registry().with(polls.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = StandIn::start().await;
    let client = server.client_builder().build().unwrap();
    let taken = client
        .take_snapshots(
            GROUP_ID,
            DEDICATED_CLUSTER,
            DiskBackupOnDemandSnapshotRequest::new(),
        )
        .send()
        .await
        .unwrap();
    client
        .wait_until_cluster_snapshot_completed(
            GROUP_ID,
            DEDICATED_CLUSTER,
            taken.body().id().unwrap(),
        )
        .policy(WaitPolicy::new().interval(Duration::from_millis(5)))
        .wait()
        .await
        .unwrap();
    assert_eq!(
        *polls.0.lock().unwrap(),
        [
            (1, "pending".to_owned()),
            (2, r#"success: status = "completed""#.to_owned())
        ]
    );
}
