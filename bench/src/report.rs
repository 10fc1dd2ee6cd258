//! `BENCHMARKS.md`: the machine, the method, the numbers of one run, and each goal with its
//! verdict. Nothing here is typed in by hand: every figure comes from the run's results.

use crate::compile::{Compile, CrateCompile, SpecCompile};
use crate::decode::{self, Decode};
use crate::diff::{self, Diff};
use crate::download::{self, Download};
use crate::generate::{Generation, SpecGeneration};
use crate::list::{self, List, Variant};
use crate::machine::Machine;
use crate::prepare::Specs;
use crate::stats::{duration, mib, ratio, Timing};
use std::fmt::Write;
use std::time::Duration;

pub struct Report {
    machine: Machine,
    runs: usize,
    compile_runs: usize,
    quick: bool,
    pub specs: Option<Specs>,
    pub generation: Option<Generation>,
    pub compile: Option<Compile>,
    pub decode: Option<Decode>,
    pub list: Option<List>,
    pub download: Option<Download>,
    pub diff: Option<Diff>,
}

/// One goal and how the run fared against it.
struct Goal {
    what: &'static str,
    target: String,
    measured: String,
    met: bool,
    /// By how much it was missed, when it was.
    miss: String,
    /// Where the time goes, from this run's own numbers, when that can be told.
    dominated_by: Option<String>,
}

/// How far above `limit` a ratio is, as a percentage of the limit.
fn over(value: f64, limit: f64) -> String {
    format!("{:.0}% over the limit", (value / limit - 1.0) * 100.0)
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

impl Report {
    pub fn new(machine: Machine, runs: usize, compile_runs: usize, quick: bool) -> Report {
        Report {
            machine,
            runs,
            compile_runs,
            quick,
            specs: None,
            generation: None,
            compile: None,
            decode: None,
            list: None,
            download: None,
            diff: None,
        }
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        self.intro(&mut out);
        self.goals_section(&mut out);
        self.method(&mut out);
        if let Some(generation) = &self.generation {
            self.generation_section(&mut out, generation);
        }
        if let Some(compile) = &self.compile {
            compile_section(&mut out, compile);
        }
        if let Some(decode) = &self.decode {
            decode_section(&mut out, decode);
        }
        if let Some(list) = &self.list {
            list_section(&mut out, list);
        }
        if let Some(download) = &self.download {
            download_section(&mut out, download);
        }
        if let Some(diff) = &self.diff {
            diff_section(&mut out, diff);
        }
        out
    }

    fn intro(&self, out: &mut String) {
        let m = &self.machine;
        let _ = writeln!(out, "# Benchmarks\n");
        let _ = writeln!(
            out,
            "Written by `cargo xtask bench` on {} ({} timed runs per measurement, {} per compile \
             measurement{}). Every figure below comes from that one run; rerun the command to \
             refresh them. The machine is shared, so absolute times drift between runs; the \
             ratios compare programs measured side by side, interleaved, in the same run.\n",
            differ::today_utc(),
            self.runs,
            self.compile_runs,
            if self.quick { ", `--quick`" } else { "" }
        );
        let _ = writeln!(out, "## Machine\n");
        let _ = writeln!(out, "| | |\n|---|---|");
        let _ = writeln!(out, "| CPU | {} |", m.cpu);
        let _ = writeln!(out, "| cores available | {} |", m.cores);
        let _ = writeln!(out, "| memory | {} |", m.memory);
        let _ = writeln!(out, "| OS | {} |", m.os);
        let _ = writeln!(out, "| rustc | {} |", m.rustc);
        let _ = writeln!(out, "| progenitor | 0.15.1 (with typify 0.8.0) |\n");
    }

    fn goals(&self) -> Vec<Goal> {
        let mut goals = Vec::new();
        if let Some(full) = self
            .generation
            .as_ref()
            .and_then(|g| g.specs.iter().find(|s| s.spec == "full"))
        {
            let r = secs(full.ours.median) / secs(full.progenitor.median);
            goals.push(Goal {
                what: "generation, full spec (whole process)",
                target: "≤ 0.30× progenitor".into(),
                measured: format!("{r:.2}×"),
                met: r <= 0.3,
                miss: over(r, 0.3),
                dominated_by: generation_breakdown(full),
            });
            let p = secs(full.ours.median) / secs(full.parse_openapiv3.median);
            goals.push(Goal {
                what: "generation, full spec (whole process), against parsing it into `openapiv3`",
                target: "≤ 3× the parse".into(),
                measured: format!("{p:.2}×"),
                met: p <= 3.0,
                miss: over(p, 3.0),
                // The same breakdown as the goal above explains it.
                dominated_by: None,
            });
        }
        if let Some(full) = self
            .compile
            .as_ref()
            .and_then(|c| c.specs.iter().find(|s| s.spec == "full"))
        {
            let r = secs(full.ours.check.median) / secs(full.progenitor.check.median);
            goals.push(Goal {
                what: "compile, full-spec output (`cargo check`, incremental off)",
                target: "≤ 0.30× progenitor".into(),
                measured: format!("{r:.2}×"),
                met: r <= 0.3,
                miss: over(r, 0.3),
                dominated_by: Some(compile_breakdown(full)),
            });
            let b = secs(full.ours.build.median) / secs(full.progenitor.build.median);
            goals.push(Goal {
                what: "compile, full-spec output (debug `cargo build`, incremental off)",
                target: "≤ 0.35× progenitor".into(),
                measured: format!("{b:.2}×"),
                met: b <= 0.35,
                miss: over(b, 0.35),
                dominated_by: None,
            });
            if let Some(one) = &full.ours.one_tag {
                let t = secs(one.median) / secs(full.progenitor.check.median);
                goals.push(Goal {
                    what: "compile, full spec with only `flex-snapshots` on (`cargo check`)",
                    target: "≤ 0.05× progenitor's full check".into(),
                    measured: format!("{t:.3}×"),
                    met: t <= 0.05,
                    miss: over(t, 0.05),
                    dominated_by: None,
                });
            }
        }
        if let Some(decode) = &self.decode {
            let r = secs(decode.ours.median) / secs(decode.hand.median);
            goals.push(Goal {
                what: "decode, 500-item page",
                target: "≤ 1.10× hand-written serde".into(),
                measured: format!("{r:.2}×"),
                met: r <= 1.1,
                miss: over(r, 1.1),
                dominated_by: None,
            });
        }
        if let Some(list) = &self.list {
            // The client against the hand-written loop, without layers and with them.
            for (variant, what) in [
                (Variant::Ours, "list all, sequential"),
                (
                    Variant::OursLayered,
                    "list all, sequential, with a call and an attempt layer",
                ),
            ] {
                if let (Some(ours), Some(hand)) = (list.get(variant), list.get(Variant::Hand)) {
                    let r = secs(ours.time.median) / secs(hand.time.median);
                    goals.push(Goal {
                        what,
                        target: "≤ 1.10× hand-written loop".into(),
                        measured: format!("{r:.2}×"),
                        met: r <= 1.1,
                        miss: over(r, 1.1),
                        dominated_by: None,
                    });
                }
            }
            if let (Some(sequential), Some(concurrent)) =
                (list.get(Variant::Ours), list.get(Variant::OursConcurrent))
            {
                let speedup = secs(sequential.time.median) / secs(concurrent.time.median);
                goals.push(Goal {
                    what: "list all, concurrent",
                    target: "≥ 3× faster than sequential".into(),
                    measured: format!("{speedup:.2}× faster"),
                    met: speedup >= 3.0,
                    miss: format!("{:.0}% short", (1.0 - speedup / 3.0) * 100.0),
                    dominated_by: None,
                });
            }
            for variant in [Variant::Ours, Variant::OursConcurrent] {
                if let Some(v) = list.get(variant) {
                    let growth = v.peak_kib_double as f64 / v.peak_kib as f64;
                    let limit = if variant == Variant::Ours { 1.10 } else { 1.05 };
                    goals.push(Goal {
                        what: if variant == Variant::Ours {
                            "peak memory, `items()`, twice the items"
                        } else {
                            "peak memory, `items_concurrent(8)`, twice the items"
                        },
                        target: format!("≤ {limit:.2}× the peak (bounded by the window)"),
                        measured: format!(
                            "{:.2}× ({} → {}; {} with four times the items)",
                            growth,
                            mib(v.peak_kib),
                            mib(v.peak_kib_double),
                            mib(v.peak_kib_quadruple)
                        ),
                        met: growth <= limit,
                        miss: over(growth, limit),
                        dominated_by: None,
                    });
                }
            }
        }
        if let Some(streamed) = self
            .download
            .as_ref()
            .and_then(|d| d.get(download::Variant::Streamed))
        {
            let limit = download::PEAK_LIMIT_KIB;
            goals.push(Goal {
                what: "peak memory, a 50 MiB download streamed to a writer",
                target: format!("< {}", mib(limit)),
                measured: mib(streamed.peak_kib),
                met: streamed.peak_kib < limit,
                miss: over(streamed.peak_kib as f64, limit as f64),
                dominated_by: None,
            });
        }
        if let Some(diff) = &self.diff {
            let t = secs(diff.whole_process.median);
            goals.push(Goal {
                what: "diff of the two full specs (whole process)",
                target: "< 2 s".into(),
                measured: duration(diff.whole_process.median),
                met: t < 2.0,
                miss: over(t, 2.0),
                dominated_by: None,
            });
            let t = secs(diff.through_alias.median);
            goals.push(Goal {
                what: "diff of the two full specs through `cargo xtask` (debug build, warm)",
                target: "≤ 2 s".into(),
                measured: duration(diff.through_alias.median),
                met: t <= 2.0,
                miss: over(t, 2.0),
                dominated_by: None,
            });
        }
        goals
    }

    fn goals_section(&self, out: &mut String) {
        let goals = self.goals();
        if goals.is_empty() {
            return;
        }
        let _ = writeln!(out, "## Goals\n");
        let _ = writeln!(
            out,
            "| goal | target | this run | verdict |\n|---|---|---|---|"
        );
        for goal in &goals {
            let verdict = if goal.met {
                "met".to_owned()
            } else {
                format!("**missed**, {}", goal.miss)
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                goal.what, goal.target, goal.measured, verdict
            );
        }
        let _ = writeln!(out);
        for goal in goals.iter().filter(|g| !g.met) {
            if let Some(why) = &goal.dominated_by {
                let _ = writeln!(out, "- {}: {why}", goal.what);
            }
        }
        if goals.iter().any(|g| !g.met && g.dominated_by.is_some()) {
            let _ = writeln!(out);
        }
    }

    fn method(&self, out: &mut String) {
        let _ = writeln!(out, "## Method\n");
        let _ = writeln!(
            out,
            "- Medians over the timed runs; the spread (fastest–slowest) follows in brackets. \
             One untimed run of every program comes first, to warm caches and check that it \
             works."
        );
        if let Some(specs) = &self.specs {
            inputs(out, specs);
        }
        let _ = writeln!(
            out,
            "- **Generation** is timed for the whole process, spec file in, formatted files \
             out, from an empty output folder: ours is the release `xtask regen \
             --features-per-tag --spec FILE --out DIR` (load, validate, model, emit, \
             prettyplease, write a standalone crate with a cargo feature per tag); \
             progenitor's is a release program that parses the file into `openapiv3`, runs \
             `progenitor::Generator` with its default settings (positional interface, merged \
             tags, as `cargo progenitor` defaults to), formats the tokens with prettyplease and \
             writes `src/lib.rs` and a `Cargo.toml` with the dependencies `cargo progenitor` \
             lists. The two alternate run by run."
        );
        let _ = writeln!(
            out,
            "- **Compile** builds each generated crate with its dependencies prebuilt in a \
             shared target folder and `CARGO_INCREMENTAL=0`; before each timed `cargo check`, \
             debug `cargo build` and `cargo doc --no-deps`, `src/lib.rs` is touched so only the \
             crate itself rebuilds. Ours is checked once more per run with only the \
             `flex-snapshots` feature on (`--no-default-features --features \
             rustls,flex-snapshots`)."
        );
        let _ = writeln!(
            out,
            "- **Decode** times `serde_json::from_slice` of one {}-item page (the example item \
             of `{}` for API version {} with distinct ids) into the generated model and into \
             hand-written serde structs (`bench/src/hand.rs`: the same fields and types, \
             enumerations as strings), alternating, one sample per decode.",
            decode::PAGE_ITEMS,
            decode::OPERATION,
            decode::VERSION
        );
        let _ = writeln!(
            out,
            "- **List all** serves {} snapshots ({} pages of {}) from the stand-in server \
             (`workspace-tests`) over loopback with {} ms of latency added to every answer. \
             The server runs in the benchmark's process; each list runs in a child process of \
             its own that times the walk from the first request to the last item and reads its \
             own peak resident memory (`VmHWM`) at the end, so the peak is the client's (peaks \
             are medians over {}× the runs, as a peak varies more than a time). The same lists \
             with {} and {} snapshots, run as often, show whether the peak grows with the items.",
            list::ITEMS,
            list::ITEMS / list::PAGE_SIZE,
            list::PAGE_SIZE,
            list::LATENCY.as_millis(),
            list::PEAK_SAMPLES_PER_RUN,
            2 * list::ITEMS,
            4 * list::ITEMS
        );
        let _ = writeln!(
            out,
            "- **Download** serves a {} MiB archive from a server in the benchmark's process \
             over loopback; each download runs in a child process of its own that reads its peak \
             resident memory at the end: the generated client's `download(url)` copied with \
             `ByteStream::write_to` into a sink, and reqwest's `bytes()` (the whole body in \
             memory, as a client without streaming holds it), alternating.",
            download::SIZE >> 20
        );
        let _ = writeln!(
            out,
            "- **Diff** compares the upstream specs of {} and {}: `differ::diff_models` on \
             models already loaded, and the whole release `xtask diff OLD NEW` process.\n",
            diff::OLD_DATE,
            diff::NEW_DATE
        );
    }

    fn generation_section(&self, out: &mut String, generation: &Generation) {
        let _ = writeln!(out, "## Generation (whole process)\n");
        let _ = writeln!(
            out,
            "| spec | ours | progenitor | ours / progenitor | {peer} {version} | ours / {peer} | parse into `openapiv3` alone |\n|---|---|---|---|---|---|---|",
            peer = crate::generate::SECOND_PEER,
            version = crate::generate::SECOND_PEER_VERSION,
        );
        for spec in &generation.specs {
            let (second, second_ratio) = match &spec.second {
                Ok(timing) => (timing.show(), ratio(spec.ours.median, timing.median)),
                Err(why) => (format!("not measured: {why}"), "–".to_owned()),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                spec.spec,
                spec.ours.show(),
                spec.progenitor.show(),
                ratio(spec.ours.median, spec.progenitor.median),
                second,
                second_ratio,
                duration(spec.parse_openapiv3.median)
            );
        }
        let _ = writeln!(
            out,
            "\nThe second peer, {peer}, writes a types file and a client file from the same \
             rewritten spec; only its generation is timed here (its output was not compiled). \
             Other client generators found on crates.io (openapitor, \
             openapi-client-generator, openapi-gen) were not tried.",
            peer = crate::generate::SECOND_PEER,
        );
        let _ = writeln!(out, "\nOur pipeline step by step, in process (medians):\n");
        let _ = writeln!(out, "| spec | {} |", step_names(generation));
        let _ = writeln!(out, "|---|{}", "---|".repeat(step_count(generation)));
        for spec in &generation.specs {
            let cells: Vec<String> = spec
                .steps
                .iter()
                .map(|(_, timing)| duration(timing.median))
                .collect();
            let _ = writeln!(out, "| {} | {} |", spec.spec, cells.join(" | "));
        }
        let _ = writeln!(out);
    }
}

/// The prepared specs and the rewrites that made them acceptable to progenitor.
fn inputs(out: &mut String, specs: &Specs) {
    let _ = writeln!(
        out,
        "- **Inputs.** Both generators read the same copy of each spec, rewritten so that \
         progenitor accepts it and types its bodies (`bench/src/prepare.rs`); nothing else is \
         changed. So the full-spec client measured here is not the one a user would get from \
         the unmodified spec, for either generator.\n"
    );
    let _ = writeln!(
        out,
        "  | spec | source | operations | schemas |\n  |---|---|---|---|"
    );
    for spec in specs.both() {
        let source = spec
            .source
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let _ = writeln!(
            out,
            "  | {} | `{source}` | {} | {} |",
            spec.name, spec.operations, spec.schemas
        );
    }
    let _ = writeln!(
        out,
        "\n  | rewrite | why | applied, full | applied, curated |\n  |---|---|---|---|"
    );
    for (index, fixup) in specs.full.fixups.iter().enumerate() {
        let _ = writeln!(
            out,
            "  | {} | {} | {} | {} |",
            fixup.name,
            fixup.why,
            fixup.applied,
            specs.curated.fixups.get(index).map_or(0, |f| f.applied)
        );
    }
    let _ = writeln!(out);
}

/// The biggest step of our pipeline and its share, next to progenitor's parse.
fn generation_breakdown(spec: &SpecGeneration) -> Option<String> {
    let total: f64 = spec.steps.iter().map(|(_, t)| secs(t.median)).sum();
    let (name, biggest) = spec
        .steps
        .iter()
        .max_by(|a, b| a.1.median.cmp(&b.1.median))?;
    let load = spec.steps.first().map(|(_, t)| t.median)?;
    Some(format!(
        "in process our pipeline takes {} ({} as a whole process), {:.0}% of it in \
         {name} ({}); loading the spec takes {} where progenitor's parse into `openapiv3` \
         takes {}.",
        duration(Duration::from_secs_f64(total)),
        duration(spec.ours.median),
        secs(biggest.median) / total * 100.0,
        duration(biggest.median),
        duration(load),
        duration(spec.parse_openapiv3.median)
    ))
}

/// Check time per line, ours against progenitor's.
fn compile_breakdown(spec: &SpecCompile) -> String {
    let per_line = |c: &CrateCompile| secs(c.check.median) / c.total_lines.max(1) as f64 * 1e6;
    let (ours, theirs) = (per_line(&spec.ours), per_line(&spec.progenitor));
    format!(
        "ours has {:.0}% of progenitor's lines and {:.0}% of its generated \
         functions; `cargo check` spends {ours:.0} µs per line on ours against {theirs:.0} µs \
         on progenitor's{}.",
        spec.ours.total_lines as f64 / spec.progenitor.total_lines.max(1) as f64 * 100.0,
        spec.ours.generated.fns as f64 / spec.progenitor.generated.fns.max(1) as f64 * 100.0,
        if ours > theirs {
            ", so a line of ours costs more to check"
        } else {
            ""
        }
    )
}

fn step_names(generation: &Generation) -> String {
    generation.specs.first().map_or_else(String::new, |s| {
        s.steps
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(" | ")
    })
}

fn step_count(generation: &Generation) -> usize {
    generation.specs.first().map_or(0, |s| s.steps.len())
}

fn compile_section(out: &mut String, compile: &Compile) {
    let _ = writeln!(out, "## Compile of the generated crate\n");
    let _ = writeln!(out, "With {}.\n", compile.cargo);
    let _ = writeln!(
        out,
        "| spec | crate | `cargo check` | `cargo build` (debug) | `cargo doc --no-deps` |\n|---|---|---|---|---|"
    );
    for spec in &compile.specs {
        for (who, c) in [("ours", &spec.ours), ("progenitor", &spec.progenitor)] {
            let _ = writeln!(
                out,
                "| {} | {who} | {} | {} | {} |",
                spec.spec,
                c.check.show(),
                c.build.show(),
                c.doc.show()
            );
        }
        let _ = writeln!(
            out,
            "| {} | ours / progenitor | {} | {} | {} |",
            spec.spec,
            ratio(spec.ours.check.median, spec.progenitor.check.median),
            ratio(spec.ours.build.median, spec.progenitor.build.median),
            ratio(spec.ours.doc.median, spec.progenitor.doc.median)
        );
        if let Some(one) = &spec.ours.one_tag {
            let _ = writeln!(
                out,
                "| {} | ours, only `{}` | {} ({} of progenitor's full check) | | |",
                spec.spec,
                crate::compile::ONE_TAG,
                one.show(),
                ratio(one.median, spec.progenitor.check.median)
            );
        }
    }
    let _ = writeln!(
        out,
        "\nWhat the generated code is made of (items counted with `syn`; each crate's runtime, \
         `atlas-snapshots-runtime` or `progenitor-client`, is a dependency built before the timed runs):\n"
    );
    let _ = writeln!(
        out,
        "| spec | crate | generated lines | all lines | structs | enums | impl blocks | fns |\n|---|---|---|---|---|---|---|---|"
    );
    for spec in &compile.specs {
        for (who, c) in [("ours", &spec.ours), ("progenitor", &spec.progenitor)] {
            let g = &c.generated;
            let _ = writeln!(
                out,
                "| {} | {who} | {} | {} | {} | {} | {} | {} |",
                spec.spec, g.lines, c.total_lines, g.structs, g.enums, g.impls, g.fns
            );
        }
    }
    let _ = writeln!(out);
}

fn decode_section(out: &mut String, decode: &Decode) {
    let _ = writeln!(out, "## Decode\n");
    let _ = writeln!(
        out,
        "One page of {} snapshots, {} bytes of JSON; {} decodes of each.\n",
        decode::PAGE_ITEMS,
        decode.page_bytes,
        decode.iterations
    );
    let _ = writeln!(
        out,
        "| into | median per page | per item | ratio to hand-written |\n|---|---|---|---|"
    );
    for (who, timing) in [
        ("generated model", &decode.ours),
        ("hand-written structs", &decode.hand),
    ] {
        let _ = writeln!(
            out,
            "| {who} | {} | {} | {} |",
            timing.show(),
            duration(timing.median / decode::PAGE_ITEMS as u32),
            ratio(timing.median, decode.hand.median)
        );
    }
    let _ = writeln!(out);
}

fn list_section(out: &mut String, list: &List) {
    let _ = writeln!(out, "## List all\n");
    let sequential_hand = list.get(Variant::Hand).map(|v| v.time.median);
    let _ = writeln!(
        out,
        "| client | time for {} items | ratio to the hand-written loop | peak RSS, {} items | peak RSS, {} items | peak RSS, {} items |\n|---|---|---|---|---|---|",
        list.items,
        list.items,
        2 * list.items,
        4 * list.items
    );
    for v in &list.variants {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            v.variant.label(),
            v.time.show(),
            sequential_hand.map_or_else(String::new, |hand| ratio(v.time.median, hand)),
            mib(v.peak_kib),
            mib(v.peak_kib_double),
            mib(v.peak_kib_quadruple)
        );
    }
    let _ = writeln!(out);
}

fn download_section(out: &mut String, download: &Download) {
    let _ = writeln!(out, "## Download\n");
    let _ = writeln!(
        out,
        "| client | time for {} MiB | peak RSS |\n|---|---|---|",
        download.bytes >> 20
    );
    for v in &download.variants {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            v.variant.label(),
            v.time.show(),
            mib(v.peak_kib)
        );
    }
    let _ = writeln!(out);
}

fn diff_section(out: &mut String, diff: &Diff) {
    let _ = writeln!(out, "## Diff\n");
    let _ = writeln!(
        out,
        "{} → {}: {} operations with changes, {} changes.\n",
        diff::OLD_DATE,
        diff::NEW_DATE,
        diff.changed_operations,
        diff.changes
    );
    let _ = writeln!(out, "| what | time |\n|---|---|");
    let rows: [(&str, &Timing); 4] = [
        ("`differ::diff_models` (compare only)", &diff.compare),
        ("loading one spec (`differ::load`)", &diff.load_one),
        ("whole process, `xtask diff OLD NEW`", &diff.whole_process),
        (
            "`cargo xtask diff OLD NEW` (the alias, debug build, warm)",
            &diff.through_alias,
        ),
    ];
    for (what, timing) in rows {
        let _ = writeln!(out, "| {what} | {} |", timing.show());
    }
    let _ = writeln!(out);
}
