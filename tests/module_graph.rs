//! The library's top-level modules depend on each other in one direction only: no cycle, the
//! core (`sim`) depends on nothing, and nothing but the UI depends on the UI. Read from the
//! source: every `crate::module` a file names (in `use` lines or paths, `crate::{…}` groups
//! included) is an edge from the module the file belongs to.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/source.rs"]
mod source;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use source::rust_files;

type Graph = BTreeMap<String, BTreeSet<String>>;

fn identifier(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The top-level modules named after each `crate::` in `code` (comments already removed).
fn named_modules(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a::X, b, c::{…}}`: the first segment of each item at depth 0.
            let mut depth = 0;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && (c.is_ascii_alphabetic() || c == '_') => {
                        found.push(identifier(&group[i..]).to_string());
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            found.push(identifier(rest).to_string());
        }
    }
    found
}

/// The module graph of the library in `src/`, between its top-level modules.
fn library_graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = BTreeSet::new();
    for entry in std::fs::read_dir(&src).expect("src") {
        let path = entry.expect("entry").path();
        let name = path
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .to_string();
        if path.is_dir() || (name != "lib" && name != "main") {
            modules.insert(name);
        }
    }
    let mut graph = Graph::new();
    for module in &modules {
        let mut files = Vec::new();
        let dir = src.join(module);
        if dir.is_dir() {
            rust_files(&dir, &mut files);
        }
        let file = src.join(format!("{module}.rs"));
        if file.is_file() {
            files.push(file);
        }
        let edges = graph.entry(module.clone()).or_default();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("utf-8 source");
            for line in text.lines() {
                let code = line.split("//").next().unwrap_or("");
                for target in named_modules(code) {
                    if &target != module && modules.contains(&target) {
                        edges.insert(target);
                    }
                }
            }
        }
    }
    graph
}

/// A cycle in `graph` (its modules in order, the first repeated at the end), if there is one.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

fn graph_of(edges: &[(&str, &str)]) -> Graph {
    let mut graph = Graph::new();
    for &(from, to) in edges {
        graph
            .entry(from.to_string())
            .or_default()
            .insert(to.to_string());
        graph.entry(to.to_string()).or_default();
    }
    graph
}

#[test]
fn the_cycle_finder_finds_a_cycle_and_names_it() {
    // The cycle this project once had: live → share → scenarios → live.
    let cyclic = graph_of(&[
        ("ui", "live"),
        ("live", "share"),
        ("share", "scenarios"),
        ("scenarios", "live"),
        ("live", "sim"),
    ]);
    assert_eq!(
        find_cycle(&cyclic),
        Some(vec![
            "live".to_string(),
            "share".to_string(),
            "scenarios".to_string(),
            "live".to_string()
        ])
    );
    let acyclic = graph_of(&[("ui", "live"), ("share", "live"), ("live", "sim")]);
    assert_eq!(find_cycle(&acyclic), None);
}

#[test]
fn grouped_and_plain_paths_are_both_read() {
    let found =
        named_modules("use crate::{detect::{Finding, Fact}, sim, render::x}; crate::live::Session");
    assert_eq!(found, ["detect", "sim", "render", "live"]);
}

#[test]
fn the_library_has_no_module_cycle() {
    let graph = library_graph();
    assert!(
        graph.len() >= 8,
        "the scan found the modules: {:?}",
        graph.keys()
    );
    assert!(
        graph["ui"].contains("live"),
        "the scan reads edges (ui uses live)"
    );
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "modules depend on each other in a cycle: {}",
            cycle.join(" → ")
        );
    }
}

#[test]
fn the_core_depends_on_nothing_and_only_the_ui_on_the_ui() {
    let graph = library_graph();
    assert_eq!(
        graph["sim"],
        BTreeSet::new(),
        "the simulation core uses no other module"
    );
    for (module, uses) in &graph {
        if module != "ui" {
            assert!(!uses.contains("ui"), "{module} depends on the UI");
        }
    }
    // Scenarios are data: they speak of message kinds in the core's bits, not the drawing's.
    assert!(
        !graph["scenarios"].contains("render"),
        "scenarios depends on render"
    );
    for drawn in ["render", "live"] {
        for upper in ["share", "scenarios"] {
            assert!(
                !graph[drawn].contains(upper),
                "{drawn} depends on {upper}: exports and presets sit above the live run"
            );
        }
    }
}
