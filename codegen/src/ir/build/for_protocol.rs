//! The pass of what the protocol changes in the shapes.

use crate::ir::{DataKind, DataShape, Protocol, Role, Service, Target};

/// What the protocol changes in the shapes: no HTTP bindings outside restJson1 and restXml,
/// no `@timestampFormat` in RPC v2 CBOR, errors named by shape outside the query protocols.
pub(super) fn shape_for_protocol(service: &mut Service) {
    if !service.protocol.binds_http() {
        unbind_http(&mut service.shapes);
    }
    if service.protocol == Protocol::RpcV2Cbor {
        drop_timestamp_formats(&mut service.shapes);
    }
    if !service.protocol.is_query() {
        name_errors_by_shape(&mut service.shapes, service.query_compatible);
    }
}

/// Names every error by its shape: `@awsQueryError` codes are the query protocols' own (an
/// `awsQueryCompatible` service sends the shape name as the error type, and the awsQuery code
/// beside it, which the error keeps as its `query_code`).
pub(super) fn name_errors_by_shape(shapes: &mut [DataShape], query_compatible: bool) {
    for shape in shapes {
        if let Role::Error {
            code, query_code, ..
        } = &mut shape.role
        {
            let name = shape.id.name().to_owned();
            if query_compatible && *code != name {
                *query_code = Some(std::mem::replace(code, name));
            } else {
                *code = name;
            }
        }
    }
}

/// Drops the `@timestampFormat` of every member: RPC v2 CBOR sends every timestamp as tag 1
/// over epoch seconds.
pub(super) fn drop_timestamp_formats(shapes: &mut [DataShape]) {
    for shape in shapes {
        if let DataKind::Structure(members) | DataKind::Union(members) = &mut shape.kind {
            for member in members {
                member.timestamp_format = None;
            }
        }
    }
}

/// Drops the HTTP binding traits of every member: protocols that do not bind members to the
/// HTTP message (awsJson, awsQuery, ec2Query, RPC v2 CBOR) put them all in the body, but for
/// an event stream, which is the body (the other members come in its `initial-response`).
pub(super) fn unbind_http(shapes: &mut [DataShape]) {
    let events: Vec<bool> = shapes.iter().map(|shape| shape.event_stream).collect();
    for shape in shapes {
        if let DataKind::Structure(members) = &mut shape.kind {
            for member in members {
                let streams = matches!(member.target, Target::Shape(target) if events[target.0]);
                member.http = streams.then_some(crate::ir::HttpBinding::Payload(
                    crate::ir::PayloadForm::EventStream,
                ));
            }
        }
    }
}
