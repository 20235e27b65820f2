//! README.md's figures come from runs, never from hand: the benchmark paragraph says what
//! BENCHMARKS.md says.

use xtask::bench_readme::with_paragraph;
use xtask::codegen::workspace_root;

#[test]
fn the_readme_benchmark_paragraph_is_made_from_benchmarks_md() {
    let root = workspace_root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let benchmarks = std::fs::read_to_string(root.join("BENCHMARKS.md")).unwrap();
    let expected = with_paragraph(&readme, &benchmarks).unwrap();
    assert!(
        readme == expected,
        "README.md's benchmark paragraph differs from BENCHMARKS.md; it should read:\n{}",
        expected
            .split(xtask::bench_readme::START)
            .nth(1)
            .and_then(|rest| rest.split(xtask::bench_readme::END).next())
            .unwrap_or_default()
    );
}
