// The new side of a model update whose API change is known (tests/api_change.rs): DeleteNote
// is gone, GetNote needs a folder, its output gains a title, Color gains GREEN, ListNotes is new.
$version: "2"

namespace example.notes

use aws.protocols#restJson1

@restJson1
service Notes {
    version: "2024-01-01"
    operations: [GetNote, ListNotes]
}

@readonly
@http(method: "GET", uri: "/folders/{folder}/notes/{id}")
operation GetNote {
    input := {
        @required
        @httpLabel
        folder: String

        @required
        @httpLabel
        id: String
    }
    output := {
        text: String
        title: String
        color: Color
    }
}

@readonly
@http(method: "GET", uri: "/notes")
operation ListNotes {
    output := {
        ids: IdList
    }
}

list IdList {
    member: String
}

enum Color {
    RED
    BLUE
    GREEN
}
