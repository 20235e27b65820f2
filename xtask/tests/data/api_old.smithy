// The old side of a model update whose API change is known (tests/api_change.rs).
$version: "2"

namespace example.notes

use aws.protocols#restJson1

@restJson1
service Notes {
    version: "2024-01-01"
    operations: [GetNote, DeleteNote]
}

@readonly
@http(method: "GET", uri: "/notes/{id}")
operation GetNote {
    input := {
        @required
        @httpLabel
        id: String
    }
    output := {
        text: String
        color: Color
    }
}

@idempotent
@http(method: "DELETE", uri: "/notes/{id}")
operation DeleteNote {
    input := {
        @required
        @httpLabel
        id: String
    }
}

enum Color {
    RED
    BLUE
}
