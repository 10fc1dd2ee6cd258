//! What the end-to-end tests of the `atlas-snapshots` binary share: a stand-in Atlas server on
//! a runtime of its own (the binary runs as a child process while the test thread waits), and
//! the binary with a clean environment pointed at it.

#![allow(
    dead_code,
    reason = "each test file uses its own part of the support module"
)]

use assert_cmd::Command;
use workspace_tests::{StandIn, StandInBuilder};

/// A project id of the spec's examples, and names that match the spec's patterns.
pub const GROUP: &str = "32b6e34b3d91647abb20e7b8";
pub const CLUSTER: &str = "Cluster0";

/// The variables the binary reads; cleared so a developer's own settings never leak in.
const VARIABLES: &[&str] = &[
    "MONGODB_ATLAS_CLIENT_ID",
    "MONGODB_ATLAS_CLIENT_SECRET",
    "MONGODB_ATLAS_PUBLIC_API_KEY",
    "MONGODB_ATLAS_PRIVATE_API_KEY",
    "MONGODB_ATLAS_ACCESS_TOKEN",
    "MONGODB_ATLAS_API_VERSION",
    "MONGODB_ATLAS_BASE_URL",
    "MONGODB_ATLAS_PROFILE",
];

/// A running stand-in; it stops with its runtime when dropped.
pub struct Server {
    pub stand_in: StandIn,
    runtime: tokio::runtime::Runtime,
}

impl Server {
    pub fn start() -> Self {
        Self::with(StandIn::builder())
    }

    pub fn with(builder: StandInBuilder) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime for the stand-in");
        let stand_in = runtime.block_on(builder.start());
        Server { stand_in, runtime }
    }

    /// The binary, pointed at this server with a bearer token and a pinned API version.
    pub fn cli(&self) -> Command {
        let mut cmd = bare();
        cmd.env("MONGODB_ATLAS_BASE_URL", self.stand_in.base_url())
            .env("MONGODB_ATLAS_ACCESS_TOKEN", "test-token")
            .env("MONGODB_ATLAS_API_VERSION", "2025-03-12");
        cmd
    }
}

/// The binary with none of its variables set, help wrapped at 100 columns.
pub fn bare() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_atlas-snapshots"));
    for name in VARIABLES {
        cmd.env_remove(name);
    }
    cmd.env("COLUMNS", "100");
    cmd
}

/// Standard output of a run, as text.
pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Standard output of a run, as JSON.
pub fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}):\n{}\nstderr:\n{}",
            stdout(output),
            stderr(output)
        )
    })
}

/// The subcommands of a command, read from its `--help`: the first word of each line of the
/// `Commands:` section.
pub fn subcommands(args: &[&str]) -> Vec<String> {
    let output = bare()
        .args(args)
        .arg("--help")
        .output()
        .expect("the binary runs");
    let text = stdout(&output);
    let mut names = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if line == "Commands:" {
            inside = true;
        } else if inside && line.starts_with("  ") {
            let trimmed = line.trim_start();
            // Continuation lines of a wrapped description are indented further.
            if line.len() - trimmed.len() == 2 {
                if let Some(name) = trimmed.split_whitespace().next() {
                    if name != "help" {
                        names.push(name.to_owned());
                    }
                }
            }
        } else if inside && !line.is_empty() {
            inside = false;
        }
    }
    names
}
