//! Every stored fuzz input — the seed corpora and the regression cases of crashes found and
//! fixed — through its target, on stable Rust (`make test`), so that CI guards them without
//! nightly. `make fuzz` grows the corpora; a crash it finds is minimised into
//! `fuzz/regressions/<target>/` and fixed.

use std::path::{Path, PathBuf};

use lanyard_fuzz_harness::TARGETS;

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_stored_input_passes_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut seeds = 0;
    for (name, target) in TARGETS {
        let corpus = inputs(&root.join("corpus").join(name));
        assert!(!corpus.is_empty(), "{name} has no seed corpus");
        seeds += corpus.len();
        for path in corpus
            .iter()
            .chain(inputs(&root.join("regressions").join(name)).iter())
        {
            let data = std::fs::read(path).unwrap();
            let outcome = std::panic::catch_unwind(|| target(&data));
            assert!(outcome.is_ok(), "{name}: {} fails", path.display());
        }
    }
    // Each target directory exists for a target here, and the other way round.
    for dir in ["corpus", "regressions"] {
        for entry in std::fs::read_dir(root.join(dir)).into_iter().flatten() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            assert!(
                TARGETS.iter().any(|(target, _)| *target == name),
                "fuzz/{dir}/{name} belongs to no target"
            );
        }
    }
    assert!(seeds >= TARGETS.len());
}
