//! The `smithy.api` prelude shapes every model may target without defining them.

use serde_json::Value;

use super::{Model, Shape, ShapeId, ShapeKind, SimpleType, Traits};

const SIMPLE: &[(&str, SimpleType)] = &[
    ("Blob", SimpleType::Blob),
    ("Boolean", SimpleType::Boolean),
    ("String", SimpleType::String),
    ("Byte", SimpleType::Byte),
    ("Short", SimpleType::Short),
    ("Integer", SimpleType::Integer),
    ("Long", SimpleType::Long),
    ("Float", SimpleType::Float),
    ("Double", SimpleType::Double),
    ("BigInteger", SimpleType::BigInteger),
    ("BigDecimal", SimpleType::BigDecimal),
    ("Timestamp", SimpleType::Timestamp),
    ("Document", SimpleType::Document),
];

/// The deprecated `Primitive*` shapes, which default to zero or false.
const PRIMITIVE: &[(&str, SimpleType)] = &[
    ("PrimitiveBoolean", SimpleType::Boolean),
    ("PrimitiveByte", SimpleType::Byte),
    ("PrimitiveShort", SimpleType::Short),
    ("PrimitiveInteger", SimpleType::Integer),
    ("PrimitiveLong", SimpleType::Long),
    ("PrimitiveFloat", SimpleType::Float),
    ("PrimitiveDouble", SimpleType::Double),
];

/// The other shapes of the Smithy 2.0 prelude (traits and their helper shapes), by name: a
/// relative IDL id that no `use` or namespace shape resolves names one of these.
#[rustfmt::skip]
const OTHER_PRELUDE_SHAPES: &[&str] = &[
    "trait", "TraitDiffRules", "TraitDiffRule", "TraitChangeType", "Severity",
    "StructurallyExclusive", "deprecated", "box", "documentation", "externalDocumentation", "auth",
    "AuthTraitReference", "protocolDefinition", "TraitShapeIdList", "TraitShapeId",
    "authDefinition", "httpBasicAuth", "httpDigestAuth", "httpBearerAuth", "httpApiKeyAuth",
    "traitValidators", "TraitValidator", "metadata", "ShapeClosures", "ShapeClosure", "ClosureId",
    "Namespaces", "Renames", "CommonMark", "Identifier", "default", "addedDefault",
    "clientOptional", "HttpApiKeyLocations", "optionalAuth", "examples", "Example", "ExampleError",
    "error", "retryable", "readonly", "idempotent", "IdempotentErrors", "idempotencyToken",
    "internal", "jsonName", "xmlAttribute", "xmlFlattened", "xmlName", "xmlNamespace",
    "NonEmptyString", "noReplace", "mediaType", "references", "Reference", "NonEmptyStringMap",
    "resourceIdentifier", "private", "sensitive", "since", "streaming", "requiresLength",
    "longPoll", "tags", "title", "enum", "EnumDefinition", "EnumConstantBodyName", "enumValue",
    "length", "range", "pattern", "required", "property", "notProperty", "nestedProperties",
    "recommended", "sparse", "uniqueItems", "unstable", "paginated", "http", "httpLabel",
    "httpQuery", "httpQueryParams", "httpHeader", "httpPrefixHeaders", "httpPayload", "httpError",
    "httpResponseCode", "cors", "NonEmptyStringList", "eventPayload", "eventHeader", "idRef",
    "timestampFormat", "endpoint", "hostLabel", "suppress", "httpChecksumRequired", "input",
    "output", "unitType", "mixin", "LocalMixinTraitList", "LocalMixinTrait",
    "RequestCompressionEncodingsList", "requestCompression",
];

/// The id of `smithy.api#Unit`, the empty structure of operations without input or output.
pub fn unit() -> ShapeId {
    ShapeId::prelude("Unit")
}

/// True when the prelude defines a shape named `name` (as `smithy.api#name`).
pub(crate) fn defines(name: &str) -> bool {
    name == "Unit"
        || SIMPLE
            .iter()
            .chain(PRIMITIVE)
            .any(|&(prelude, _)| prelude == name)
        || OTHER_PRELUDE_SHAPES.contains(&name)
}

/// Adds the prelude shapes the model does not define itself.
pub(crate) fn add_prelude(model: &mut Model) {
    let simple = SIMPLE
        .iter()
        .map(|&(name, kind)| (name, kind, Traits::default()));
    let primitive = PRIMITIVE.iter().map(|&(name, kind)| {
        let zero = if kind == SimpleType::Boolean {
            Value::Bool(false)
        } else {
            Value::from(0)
        };
        (name, kind, Traits::default().with_default(zero))
    });
    for (name, kind, traits) in simple.chain(primitive) {
        insert(model, name, ShapeKind::Simple(kind), traits);
    }
    insert(
        model,
        "Unit",
        ShapeKind::Structure(Vec::new()),
        Traits::default(),
    );
}

fn insert(model: &mut Model, name: &str, kind: ShapeKind, traits: Traits) {
    let id = ShapeId::prelude(name);
    model
        .shapes
        .entry(id.clone())
        .or_insert(Shape { id, kind, traits });
}
