//! Stoplight Prism, the independent implementation of a spec that clients are checked against:
//! `prism mock` serves a spec and validates every request it receives, listing what was wrong
//! in the `sl-violations` header. Installed from npm under `target/spec-tools/prism/` on first
//! use (or taken from `PRISM_BIN`); shared by the Prism test and `cargo xtask conformance`.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The Prism release every check is pinned to.
pub const PACKAGE: &str = "@stoplight/prism-cli@5.16.0";

/// The header in which Prism lists what was wrong with a request.
pub const VIOLATIONS_HEADER: &str = "sl-violations";

/// Where the npm installation lives in a checkout.
pub const INSTALL_DIR: &str = "target/spec-tools/prism";

/// The Prism executable: `PRISM_BIN`, or the one installed under `root/target/spec-tools/prism`,
/// installed now when it is missing. A file lock keeps parallel processes from installing it
/// twice at once.
pub fn executable(root: &Path) -> Result<PathBuf, String> {
    if let Some(bin) = std::env::var_os("PRISM_BIN") {
        return Ok(PathBuf::from(bin));
    }
    let dir = root.join(INSTALL_DIR);
    let bin = dir.join("node_modules/.bin/prism");
    std::fs::create_dir_all(&dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
    let lock = File::create(dir.join(".install-lock"))
        .map_err(|e| format!("create the install lock: {e}"))?;
    lock.lock()
        .map_err(|e| format!("take the install lock: {e}"))?;
    if !bin.exists() {
        // No install scripts: Prism needs none, and none of its dependencies' should run.
        let status = Command::new("npm")
            .args([
                "install",
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
                "--prefix",
            ])
            .arg(&dir)
            .arg(PACKAGE)
            .status()
            .map_err(|e| format!("cannot run npm to install {PACKAGE}: {e}"))?;
        if !status.success() {
            return Err(format!("npm install {PACKAGE} failed"));
        }
    }
    if bin.exists() {
        Ok(bin)
    } else {
        Err(format!("{} missing after install", bin.display()))
    }
}

/// A running `prism mock` on a free port of 127.0.0.1; killed on drop.
pub struct Prism {
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
}

impl Prism {
    /// Starts `prism mock SPEC` with `options` (`--dynamic`, `--seed N`, ...) and waits until it
    /// serves; fails with its output when it exits or does not serve within 60 s.
    pub fn start(bin: &Path, spec: &Path, options: &[&str]) -> Result<Prism, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("find a free port: {e}"))?
            .port();
        let mut child = Command::new(bin)
            .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
            .args(options)
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("start prism ({}): {e}", bin.display()))?;
        // Prism logs "listening" once it serves; its output is kept for the failure message.
        let log = Arc::new(Mutex::new(Vec::new()));
        let pipes: [Option<Box<dyn Read + Send>>; 2] = [
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        ];
        for pipe in pipes.into_iter().flatten() {
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    log.lock().expect("log lock").push(line);
                }
            });
        }
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let mut prism = Prism { child, addr, log };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let listening = prism.log_lines().iter().any(|l| l.contains("listening"));
            if listening && TcpStream::connect(addr).is_ok() {
                return Ok(prism);
            }
            if let Ok(Some(status)) = prism.child.try_wait() {
                return Err(format!(
                    "prism exited with {status}:\n{}",
                    prism.log_lines().join("\n")
                ));
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "prism did not start within 60 s:\n{}",
                    prism.log_lines().join("\n")
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Where it serves.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// What Prism printed so far.
    pub fn log_lines(&self) -> Vec<String> {
        self.log.lock().expect("log lock").clone()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
