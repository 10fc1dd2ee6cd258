//! `download URL --output-file PATH`: fetches a download link an answer gave (a Flex
//! snapshot's `snapshotUrl`, a restore job's `deliveryUrl`) into a file, streamed, with a
//! progress bar on a terminal. Hand-written: the link is no operation of the spec.
//!
//! The bytes go to a hidden file beside PATH that is renamed to PATH only once the whole body
//! arrived, so a broken or refused download never leaves a file that looks complete, and an
//! existing PATH is replaced only by a whole new one.

use crate::context::Context;
use crate::failure::{Class, Failure};
use atlas_snapshots::StreamError;
use clap::{Arg, ArgMatches, Command};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The command: its arguments and help.
pub fn command() -> Command {
    Command::new("download")
        .about("Download a link an answer gave (snapshotUrl, deliveryUrl) to a file")
        .long_about(
            "Download a link an answer gave to a file\n\n\
             Fetches a download link from an answer, such as the `snapshotUrl` of a Flex \
             snapshot made downloadable or a `deliveryUrl` of a download restore job, and \
             streams it to --output-file, with a progress bar when standard error is a \
             terminal. The link is signed for you, so no credentials are sent with it. The \
             file appears only once the whole body has arrived.",
        )
        .arg(
            Arg::new("url")
                .value_name("URL")
                .required(true)
                .help("The download link, as the answer gave it"),
        )
        .arg(
            Arg::new("output-file")
                .long("output-file")
                .value_name("PATH")
                .required(true)
                .value_parser(clap::value_parser!(PathBuf))
                .help("Where to write the download; replaced only by a complete one"),
        )
        .arg(
            Arg::new("max-size")
                .long("max-size")
                .value_name("BYTES")
                .value_parser(clap::value_parser!(u64).range(1..))
                .help("Stop and keep nothing when the download is larger than this"),
        )
}

/// Downloads the link into the file.
pub async fn run(context: &Context, matches: &ArgMatches) -> Result<(), Failure> {
    let url: &String = matches
        .get_one("url")
        .expect("clap checks required arguments");
    let path: &PathBuf = matches
        .get_one("output-file")
        .expect("clap checks required arguments");
    let answer = context.client().download(url).await?;
    let mut stream = answer.into_inner();
    if let Some(limit) = matches.get_one::<u64>("max-size") {
        stream = stream.limit(*limit);
    }
    let bar = progress_bar(stream.total());
    if let Some(bar) = &bar {
        let bar = bar.clone();
        stream = stream.on_progress(move |p| bar.set_position(p.received));
    }
    let part = part_path(path);
    let local = |what: &str, e: std::io::Error| {
        Failure::new(Class::Local, format!("{what} {}: {e}", part.display()))
    };
    let mut file = tokio::fs::File::create(&part)
        .await
        .map_err(|e| local("cannot create", e))?;
    let written = stream.write_to(&mut file).await;
    let synced = match &written {
        Ok(_) => file.sync_all().await,
        Err(_) => Ok(()),
    };
    drop(file);
    let kept = match (written, synced) {
        (Ok(bytes), Ok(())) => tokio::fs::rename(&part, path)
            .await
            .map(|()| bytes)
            .map_err(|e| local("cannot rename", e)),
        (Err(error), _) => Err(stream_failure(error)),
        (Ok(_), Err(e)) => Err(local("cannot write", e)),
    };
    if kept.is_err() {
        // What arrived is incomplete or unreadable; PATH stays as it was.
        let _ = tokio::fs::remove_file(&part).await;
    }
    match (&bar, &kept) {
        (Some(bar), Ok(_)) => bar.finish_and_clear(),
        (Some(bar), Err(_)) => bar.abandon(),
        _ => {}
    }
    let bytes = kept?;
    eprintln!("wrote {bytes} bytes to {}", path.display());
    Ok(())
}

/// The hidden file the bytes go to until the download is whole: `.NAME.part` beside it, on the
/// same file system, so that the rename is atomic.
fn part_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "download".to_owned());
    path.with_file_name(format!(".{name}.part"))
}

/// A bar of the announced size (a spinner when none is), on a terminal only.
fn progress_bar(total: Option<u64>) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let (bar, template) = match total {
        Some(total) => (
            indicatif::ProgressBar::new(total),
            "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} ({eta})",
        ),
        None => (
            indicatif::ProgressBar::new_spinner(),
            "{spinner} {bytes} {bytes_per_sec} ({elapsed})",
        ),
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    Some(bar)
}

fn stream_failure(error: StreamError) -> Failure {
    let class = match &error {
        StreamError::Transport { .. } => Class::Transport,
        StreamError::Write { .. } => Class::Local,
        _ => Class::Api,
    };
    Failure::new(class, atlas_snapshots::ErrorChain(&error).to_string())
}
