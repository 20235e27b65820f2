//! The API change of a model update whose difference is known: the two models generate, their
//! `API.md` listings are compared, and the report marks what breaks callers.

use ivschat_codegen::{Options, Source};

fn listing(file: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(file);
    let text = std::fs::read_to_string(path).unwrap();
    let options = Options {
        crate_name: "notes".to_owned(),
        crate_version: "0.3.1".to_owned(),
        runtime_dependency: "path = \"../runtime\"".to_owned(),
        source: file.to_owned(),
        regenerate_command: "test".to_owned(),
        ..Options::default()
    };
    let generated = ivschat_codegen::generate_sources(
        &[Source {
            name: file,
            text: &text,
        }],
        None,
        &options,
    )
    .unwrap();
    generated.files["API.md"].clone()
}

#[test]
fn the_report_lists_each_change_and_marks_the_breaking_ones() {
    let change = xtask::api_diff::diff(&listing("api_old.smithy"), &listing("api_new.smithy"));
    assert_eq!(
        change.report("0.3.1"),
        "API change: 8 added, 4 removed, 5 breaking
- field DeleteNoteInput.id: String required (breaking)
- operation delete_note: DeleteNoteInput -> DeleteNoteOutput errors [] (breaking)
- struct DeleteNoteInput (breaking)
- struct DeleteNoteOutput (breaking)
+ field GetNoteInput.folder: String required (breaking)
+ field GetNoteOutput.title: String
+ field ListNotesOutput.ids: Vec<String>
+ operation list_notes: ListNotesInput -> ListNotesOutput errors []
+ struct ListNotesInput
+ struct ListNotesOutput
+ type IdList = Vec<String>
+ value Color::Green = \"GREEN\"
version: 0.3.1 -> 0.4.0"
    );
}
