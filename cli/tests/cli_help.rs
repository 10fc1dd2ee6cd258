//! The whole `--help` tree of the binary, as one snapshot: the root, every group and every
//! command, so a change of the spec's text, a flag or a limit shows up in review. The global
//! options are shown once, with the root; the groups and commands repeat them word for word,
//! so their copies are left out here.

mod support;

/// `--help` of a command, lines trimmed at the end, without its `Global options:` section
/// unless `globals`.
fn help(args: &[&str], globals: bool) -> String {
    let output = support::bare().args(args).arg("--help").output().unwrap();
    assert!(output.status.success(), "{args:?}");
    let mut text = format!(
        "$ {}\n",
        ["atlas-snapshots"]
            .iter()
            .chain(args)
            .chain(&["--help"])
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    );
    let mut skipping = false;
    for line in support::stdout(&output).lines() {
        if line == "Global options:" {
            skipping = !globals;
        } else if skipping && !line.is_empty() && !line.starts_with(' ') {
            skipping = false;
        }
        if !skipping {
            text.push_str(line.trim_end());
            text.push('\n');
        }
    }
    text
}

#[test]
fn the_help_tree() {
    let mut tree = vec![help(&[], true)];
    for group in support::subcommands(&[]) {
        tree.push(help(&[&group], false));
        for command in support::subcommands(&[&group]) {
            tree.push(help(&[&group, &command], false));
        }
    }
    insta::assert_snapshot!(tree.join("\n"));
}
