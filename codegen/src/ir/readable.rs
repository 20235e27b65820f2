//! What the generated response readers cannot read yet, refused when the IR is built so that
//! rendering them cannot fail: big numbers in received JSON and CBOR bodies; documents, big
//! numbers in received XML; plain members bound to HTTP that have no zero value. Also refused:
//! an XML attribute, sent or received, that is not a scalar (Smithy's own rule).

use super::{DataKind, DataShape, Member, Primitive, Service, Target};
use crate::error::{Error, Location};

/// True when a value of `target` has a zero value a reader can give a plain member the
/// response leaves out: every type but structures, unions (event streams aside) and big numbers.
pub fn has_zero_value(service: &Service, target: Target) -> bool {
    if let Some(primitive) = service.primitive_of(target) {
        return !matches!(primitive, Primitive::BigInteger | Primitive::BigDecimal);
    }
    let Target::Shape(shape) = target else {
        return false;
    };
    let data = service.shape(shape);
    match &data.kind {
        DataKind::Enum(_) | DataKind::IntEnum(_) | DataKind::List { .. } | DataKind::Map { .. } => {
            true
        }
        DataKind::Union(_) => data.event_stream,
        DataKind::Structure(_) | DataKind::Alias { .. } => false,
    }
}

/// Fails on the first member of a received shape that the protocol's readers cannot read, or
/// of a sent or received XML shape that is an attribute but no scalar.
pub(crate) fn check(service: &Service, file: &str) -> Result<(), Error> {
    let xml = service.protocol.reads_xml();
    let used = |shape: &&DataShape| shape.usage.output || (xml && shape.usage.input);
    for shape in service.shapes.iter().filter(used) {
        let members: Vec<&Member> = match &shape.kind {
            DataKind::Structure(members) | DataKind::Union(members) => members.iter().collect(),
            DataKind::List { member, .. } => vec![member],
            DataKind::Map { value, .. } => vec![value],
            _ => continue,
        };
        let at = |member: &Member| {
            Location::shape(file, &shape.id.to_string())
                .field("members")
                .field(&member.name)
        };
        for member in members {
            if xml && member.xml.attribute && service.scalar(member.target).is_none() {
                return Err(at(member).error(
                    "`@xmlAttribute` applies only to booleans, numbers, strings, enums and timestamps",
                ));
            }
            if !shape.usage.output {
                continue;
            }
            let unreadable = match service.primitive_of(member.target) {
                Some(Primitive::BigInteger | Primitive::BigDecimal) => true,
                Some(Primitive::Document) => xml,
                _ => false,
            };
            if unreadable {
                return Err(at(member).error(if xml {
                    "documents and big numbers are not supported in XML responses yet"
                } else {
                    "big numbers in responses are not supported yet"
                }));
            }
            let structure = matches!(shape.kind, DataKind::Structure(_));
            if structure
                && member.bound_in_response()
                && shape.is_plain(member)
                && !has_zero_value(service, member.target)
            {
                return Err(at(member).error("a required structure cannot be bound to HTTP"));
            }
        }
    }
    Ok(())
}
