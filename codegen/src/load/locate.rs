//! Lines and columns: where each diagnostic's JSON pointer is in the spec text.

use super::pointer::escape_pointer;
use crate::error::Diagnostic;

/// Finds the line and column of each diagnostic's pointer by walking the YAML event stream
/// (a superset of JSON), which knows where every key and item starts. serde_yaml keeps no
/// positions, so this second pass is the only way to point at a line.
pub(super) fn locate_all(text: &str, diagnostics: &mut [Diagnostic]) {
    locate(text, diagnostics, false);
}

/// As [`locate_all`], at the last place each pointer occurs (the second of duplicate keys).
pub(super) fn locate_last(text: &str, diagnostics: &mut [Diagnostic]) {
    locate(text, diagnostics, true);
}

fn locate(text: &str, diagnostics: &mut [Diagnostic], last: bool) {
    use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
    use yaml_rust2::scanner::Marker;

    enum Frame {
        Map {
            key: Option<String>,
            expect_key: bool,
        },
        Seq {
            index: usize,
        },
    }
    struct Walker<'d> {
        stack: Vec<Frame>,
        path: Vec<String>,
        wanted: &'d mut [Diagnostic],
        /// Keep moving to later places with the same pointer.
        last: bool,
    }
    impl Walker<'_> {
        fn pointer(&self) -> String {
            self.path
                .iter()
                .map(|s| format!("/{}", escape_pointer(s)))
                .collect()
        }
        fn found(&mut self, mark: Marker) {
            let pointer = self.pointer();
            for d in self.wanted.iter_mut() {
                if (d.line.is_none() || self.last) && d.pointer == pointer {
                    d.line = Some(mark.line());
                    d.column = Some(mark.col() + 1);
                }
            }
        }
        /// Called before a value node starts: enters its slot in the parent.
        fn enter_value(&mut self) -> bool {
            match self.stack.last_mut() {
                Some(Frame::Seq { index }) => {
                    self.path.push(index.to_string());
                    *index += 1;
                    true
                }
                Some(Frame::Map { key: Some(_), .. }) => true,
                _ => false,
            }
        }
        fn leave_value(&mut self) {
            match self.stack.last_mut() {
                Some(Frame::Seq { .. }) => {
                    self.path.pop();
                }
                Some(Frame::Map { key, expect_key }) => {
                    if key.take().is_some() {
                        self.path.pop();
                    }
                    *expect_key = true;
                }
                None => {}
            }
        }
    }
    impl MarkedEventReceiver for Walker<'_> {
        fn on_event(&mut self, ev: Event, mark: Marker) {
            match ev {
                Event::Scalar(value, ..) => {
                    if let Some(Frame::Map { key, expect_key }) = self.stack.last_mut() {
                        if *expect_key {
                            *expect_key = false;
                            *key = Some(value.clone());
                            self.path.push(value);
                            self.found(mark);
                            return;
                        }
                    }
                    let in_seq = matches!(self.stack.last(), Some(Frame::Seq { .. }));
                    self.enter_value();
                    if in_seq {
                        self.found(mark);
                    }
                    self.leave_value();
                }
                Event::Alias(_) => {
                    self.enter_value();
                    self.leave_value();
                }
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let in_seq = matches!(self.stack.last(), Some(Frame::Seq { .. }));
                    self.enter_value();
                    if in_seq || self.stack.is_empty() {
                        self.found(mark);
                    }
                    self.stack.push(match ev {
                        Event::MappingStart(..) => Frame::Map {
                            key: None,
                            expect_key: true,
                        },
                        _ => Frame::Seq { index: 0 },
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    self.stack.pop();
                    self.leave_value();
                }
                _ => {}
            }
        }
    }

    if diagnostics.iter().all(|d| d.line.is_some()) {
        return;
    }
    let mut walker = Walker {
        stack: Vec::new(),
        path: Vec::new(),
        wanted: diagnostics,
        last,
    };
    // A spec that failed YAML parsing already has its position; ignore a second failure here.
    let _ = Parser::new_from_str(text).load(&mut walker, false);
}
