//! What a generated crate is made of: its Rust items counted by kind with `syn`, so the
//! compile times can be read against how much code each generator emits.

use anyhow::Context;
use std::path::Path;

#[derive(Debug, Clone, Default)]
pub struct Shape {
    pub lines: usize,
    pub structs: usize,
    pub enums: usize,
    pub impls: usize,
    /// Free functions and functions in impls.
    pub fns: usize,
}

/// The shape of every `.rs` file under `folder`, added up.
pub fn of_folder(folder: &Path) -> anyhow::Result<Shape> {
    let mut shape = Shape::default();
    let entries =
        std::fs::read_dir(folder).with_context(|| format!("reading {}", folder.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            shape.add(&of_folder(&path)?);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path)?;
            let file =
                syn::parse_file(&text).with_context(|| format!("parsing {}", path.display()))?;
            shape.lines += text.lines().count();
            shape.count(&file.items);
        }
    }
    Ok(shape)
}

impl Shape {
    fn add(&mut self, other: &Shape) {
        self.lines += other.lines;
        self.structs += other.structs;
        self.enums += other.enums;
        self.impls += other.impls;
        self.fns += other.fns;
    }

    fn count(&mut self, items: &[syn::Item]) {
        for item in items {
            match item {
                syn::Item::Struct(_) => self.structs += 1,
                syn::Item::Enum(_) => self.enums += 1,
                syn::Item::Fn(_) => self.fns += 1,
                syn::Item::Impl(block) => {
                    self.impls += 1;
                    self.fns += block
                        .items
                        .iter()
                        .filter(|i| matches!(i, syn::ImplItem::Fn(_)))
                        .count();
                }
                syn::Item::Mod(module) => {
                    if let Some((_, items)) = &module.content {
                        self.count(items);
                    }
                }
                _ => {}
            }
        }
    }
}
