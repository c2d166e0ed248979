//! The rules of `docs/architecture.md`, checked on the source: the top-level modules of this
//! crate import each other without a cycle, and only the edge (HTTP, GraphQL, startup and the
//! HTTP handlers) holds the whole application state. A module is the first path segment under
//! `src/`; an edge is any path through the crate root outside test code.
//!
//! A test of our own rather than `cargo-modules`: that tool needs a build of its own (minutes of
//! CI for one check) and reads the crate through rust-analyzer, whose version would have to
//! follow the toolchain's; reading `use` paths takes milliseconds and needs nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The paths through the crate root, spelled so that this file names none itself.
const ROOT: &str = concat!("crate", "::");

/// Modules above every domain: they may hold the whole application state.
const EDGE: [&str; 5] = ["graphql", "http", "startup", "state", "cli"];

/// HTTP handler files inside domains, which take the services their routes need.
const HANDLER_FILES: [&str; 2] = ["routes.rs", "pages.rs"];

fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

/// The file's text before its tests, without line comments.
fn code_of(text: &str) -> String {
    let before_tests = text.split("#[cfg(test)]").next().unwrap_or_default();
    before_tests
        .lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn identifier_at(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The top-level modules `code` names through the crate root, including `{a, b::c}` groups.
fn imports(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices(ROOT) {
        let rest = &code[at + ROOT.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for item in inner.split(',') {
                let name = identifier_at(item.trim());
                if !name.is_empty() {
                    found.insert(name.to_owned());
                }
            }
        } else {
            let name = identifier_at(rest);
            if !name.is_empty() {
                found.insert(name.to_owned());
            }
        }
    }
    found
}

struct Crate {
    /// module -> the modules it imports.
    edges: BTreeMap<String, BTreeSet<String>>,
    /// Files (relative to `src/`) with their code before tests.
    files: Vec<(String, String)>,
}

fn read_crate() -> Crate {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    sources(&src, &mut paths);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files = Vec::new();
    for path in paths {
        let relative = path
            .strip_prefix(&src)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        let module = relative
            .split('/')
            .next()
            .unwrap_or_default()
            .trim_end_matches(".rs")
            .to_owned();
        if module == "main" || module == "lib" {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(&path).unwrap_or_default());
        let targets = edges.entry(module.clone()).or_default();
        targets.extend(
            imports(&code)
                .into_iter()
                .filter(|target| *target != module),
        );
        files.push((relative, code));
    }
    let modules: BTreeSet<String> = edges.keys().cloned().collect();
    for targets in edges.values_mut() {
        targets.retain(|target| modules.contains(target));
    }
    Crate { edges, files }
}

/// The strongly connected components with more than one module (Tarjan).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, module: &'a str) {
            let at = self.index.len();
            self.index.insert(module, at);
            self.low.insert(module, at);
            self.stack.push(module);
            self.on_stack.insert(module);
            for target in self.edges.get(module).into_iter().flatten() {
                let target = target.as_str();
                if !self.index.contains_key(target) {
                    self.visit(target);
                    let low = self.low[module].min(self.low[target]);
                    self.low.insert(module, low);
                } else if self.on_stack.contains(target) {
                    let low = self.low[module].min(self.index[target]);
                    self.low.insert(module, low);
                }
            }
            if self.low[module] == self.index[module] {
                let mut component = Vec::new();
                while let Some(top) = self.stack.pop() {
                    self.on_stack.remove(top);
                    component.push(top.to_owned());
                    if top == module {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for module in edges.keys() {
        if !walk.index.contains_key(module.as_str()) {
            walk.visit(module);
        }
    }
    walk.found
}

#[test]
fn the_modules_import_each_other_without_a_cycle() {
    let krate = read_crate();
    assert!(
        krate.edges.len() > 20,
        "the crate's modules were not found: {:?}",
        krate.edges.keys()
    );
    let found = cycles(&krate.edges);
    let described: Vec<String> = found
        .iter()
        .map(|component| {
            let members: BTreeSet<&String> = component.iter().collect();
            let inside: Vec<String> = component
                .iter()
                .flat_map(|from| {
                    krate.edges[from]
                        .iter()
                        .filter(|to| members.contains(to))
                        .map(move |to| format!("{from} -> {to}"))
                })
                .collect();
            format!("{}: {}", component.join(" "), inside.join(", "))
        })
        .collect();
    assert!(
        found.is_empty(),
        "import cycles between modules (see docs/architecture.md):\n{}",
        described.join("\n")
    );
}

#[test]
fn the_application_state_is_held_only_at_the_edge() {
    let krate = read_crate();
    let state_imports = &krate.edges["state"];
    for above in ["graphql", "http", "startup", "cli", "demo"] {
        assert!(
            !state_imports.contains(above),
            "state imports {above}, which is above the domain services"
        );
    }
    let holders: Vec<&String> = krate
        .files
        .iter()
        .filter(|(path, code)| {
            let module = path.split('/').next().unwrap_or_default();
            let file = path.rsplit('/').next().unwrap_or_default();
            let at_edge = EDGE.contains(&module.trim_end_matches(".rs"))
                || (path.contains('/') && HANDLER_FILES.contains(&file));
            !at_edge && code.contains("AppState")
        })
        .map(|(path, _)| path)
        .collect();
    assert!(
        holders.is_empty(),
        "domain code must take the services it needs, not the application state: {holders:?}"
    );
}

#[test]
fn the_checks_see_what_they_look_for() {
    let code = code_of(&format!(
        "use {ROOT}a::b;\nuse {ROOT}{{c, d::e}};\n// {ROOT}commented\nfn f() {{ {ROOT}g(); }}\n#[cfg(test)]\nuse {ROOT}h;"
    ));
    let found: Vec<String> = imports(&code).into_iter().collect();
    assert_eq!(found, ["a", "c", "d", "g"]);
    let edges: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(from, to)| (from.to_owned(), to.into_iter().map(str::to_owned).collect()))
    .collect();
    assert_eq!(cycles(&edges), [vec!["a", "b", "c"]]);
}
