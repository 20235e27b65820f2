//! Members built from the model: their target, docs, default, constraints, XML and HTTP
//! bindings and event bindings.

use super::Builder;
use crate::error::Error;
use crate::ir::{Constraints, Member, Target, XmlForm};
use crate::smithy::{self, ShapeId, ShapeKind, Traits};

impl Builder<'_> {
    pub(super) fn member(
        &mut self,
        owner: &ShapeId,
        member: &smithy::Member,
    ) -> Result<Member, Error> {
        let target_shape = &self.model.shapes[&member.target];
        let target = match &target_shape.kind {
            ShapeKind::Simple(primitive) if member.target.is_prelude() => {
                Target::Primitive(*primitive)
            }
            _ => Target::Shape(self.shape_ref(&member.target)?),
        };
        let own = &member.traits;
        let inherited = &target_shape.traits;
        if let Some(why) = event_binding_refusal(own, &target_shape.kind) {
            return Err(self
                .at(owner)
                .field("members")
                .field(&member.name)
                .error(why));
        }
        let default = own
            .default
            .as_ref()
            .or(inherited.default.as_ref())
            .filter(|value| !value.is_null())
            .map(|value| crate::ir::defaults::resolve(target_shape, value));
        let converted = Member {
            name: member.name.clone(),
            wire_name: member.name.clone(),
            target,
            docs: own
                .documentation
                .clone()
                .or_else(|| inherited.documentation.clone()),
            required: own.required,
            default,
            client_optional: own.client_optional,
            constraints: constraints(own, Some(inherited)),
            sensitive: self.is_sensitive(&member.target)
                || crate::ir::secrets::names_a_secret(&member.name),
            deprecated: own.deprecated.clone(),
            json_name: own.json_name.clone(),
            xml: xml_form(own),
            http: crate::ir::http::binding(
                self.model,
                member,
                &self.at(owner).field("members").field(&member.name),
            )?,
            timestamp_format: own.timestamp_format.or(inherited.timestamp_format),
            idempotency_token: own.idempotency_token,
            boxed: false,
            event: event_binding(own),
            lenient: false,
        };
        Ok(converted)
    }
}

/// The member's constraint traits, each falling back to the target's.
pub(super) fn constraints(own: &Traits, target: Option<&Traits>) -> Constraints {
    let inherited = |pick: fn(&Traits) -> Option<_>| target.and_then(pick);
    Constraints {
        length: own.length.or_else(|| inherited(|traits| traits.length)),
        range: own.range.or_else(|| inherited(|traits| traits.range)),
        pattern: own
            .pattern
            .clone()
            .or_else(|| target.and_then(|traits| traits.pattern.clone())),
    }
}

/// A member's XML naming and form.
fn xml_form(own: &Traits) -> XmlForm {
    XmlForm {
        name: own.xml_name.clone(),
        flattened: own.xml_flattened,
        attribute: own.xml_attribute,
        ec2_query_name: own.ec2_query_name.clone(),
        namespace: own.xml_namespace.clone(),
    }
}

/// Where a member of an event travels: a header, the payload, or (unset) the payload's
/// document.
fn event_binding(own: &Traits) -> Option<crate::ir::EventBinding> {
    if own.event_header {
        Some(crate::ir::EventBinding::Header)
    } else if own.event_payload {
        Some(crate::ir::EventBinding::Payload)
    } else {
        None
    }
}

/// Why an `@eventHeader` or `@eventPayload` member cannot travel as its trait says: headers
/// hold booleans, integers up to long, blobs, strings (and enums) and timestamps; a payload is
/// a blob, a string, a structure or a union.
pub(super) fn event_binding_refusal(
    own: &crate::smithy::Traits,
    target: &ShapeKind,
) -> Option<&'static str> {
    use crate::smithy::SimpleType as S;
    let header_fits = matches!(
        target,
        ShapeKind::Simple(
            S::Boolean
                | S::Byte
                | S::Short
                | S::Integer
                | S::Long
                | S::Blob
                | S::String
                | S::Timestamp
        ) | ShapeKind::Enum(_)
            | ShapeKind::IntEnum(_)
    );
    let payload_fits = matches!(
        target,
        ShapeKind::Simple(S::Blob | S::String) | ShapeKind::Structure(_) | ShapeKind::Union(_)
    );
    if own.event_header && !header_fits {
        return Some("an @eventHeader must target a boolean, byte, short, integer, long, blob, string, enum, intEnum or timestamp");
    }
    if own.event_payload && !payload_fits {
        return Some("an @eventPayload must target a blob, string, structure or union");
    }
    None
}
