//! `smithy.test#eventStreamTests` cases: the events a request sends, or the events (or the
//! failure) a scripted response gives.

use serde_json::{Map, Value as Json};

use super::values::{StructureValue, TestValue, Values};
use super::{header_pairs, strings, Body, Case, CaseKind, Fields, Reader};
use crate::error::Error;
use crate::ir::{DataKind, HttpBinding, PayloadForm, Primitive, Role, ShapeRef, Target};

/// An event-stream case.
#[derive(Clone, Debug, PartialEq)]
pub enum EventCase {
    /// Events the input's stream sends.
    Request(RequestEvents),
    /// Events a response gives.
    Response(ResponseEvents),
}

/// The events a request sends and what is checked of them.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestEvents {
    /// The input (from `initialRequestParams`); its event stream is [`Self::events`].
    pub input: StructureValue,
    /// The events sent, as values of the stream's union.
    pub events: Vec<TestValue>,
    /// The request that opens the stream (`initialRequest`).
    pub initial_request: Option<InitialRequest>,
    /// What each sent event must be, in order (checked when there are events).
    pub sent: Vec<SentEvent>,
}

/// What the request that opens a stream must be; each part checked when given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InitialRequest {
    /// The method.
    pub method: Option<String>,
    /// The path.
    pub uri: Option<String>,
    /// Headers expected, as (name, value).
    pub headers: Vec<(String, String)>,
}

/// What a sent event must be.
#[derive(Clone, Debug, PartialEq)]
pub struct SentEvent {
    /// Headers expected, as (name, value).
    pub headers: Vec<(String, HeaderValue)>,
    /// Headers that must not be there.
    pub forbidden: Vec<String>,
    /// Headers that must be there.
    pub required: Vec<String>,
    /// The payload expected.
    pub body: Option<Body>,
}

/// A typed event header value of a case.
#[derive(Clone, Debug, PartialEq)]
pub enum HeaderValue {
    /// `boolean`.
    Bool(bool),
    /// `byte`.
    Byte(i8),
    /// `short`.
    Short(i16),
    /// `integer`.
    Int(i32),
    /// `long`.
    Long(i64),
    /// `string`.
    String(String),
    /// `blob`, in base64.
    Blob(String),
    /// `timestamp` as an RFC 3339 date-time.
    DateTime(String),
    /// `timestamp` in epoch milliseconds.
    Millis(i64),
}

/// A scripted response with events, and what the call must give.
#[derive(Clone, Debug, PartialEq)]
pub struct ResponseEvents {
    /// The status of the response.
    pub status: u16,
    /// Its headers, as (name, value).
    pub headers: Vec<(String, String)>,
    /// The event frames, in base64.
    pub frames: Vec<String>,
    /// A body given instead of frames (`initialResponse.body`).
    pub body: Option<String>,
    /// The input sent (required strings set to a placeholder where the case names none).
    pub input: StructureValue,
    /// The output's event stream member, by index.
    pub stream: usize,
    /// What the call gives.
    pub expected: Expected,
}

/// What a response case expects.
#[derive(Clone, Debug, PartialEq)]
pub enum Expected {
    /// These events, and the output's other members as given.
    Events {
        /// The events, as values of the stream's union.
        values: Vec<TestValue>,
        /// The output expected (`initialResponseParams`).
        initial: Option<StructureValue>,
    },
    /// The call fails with this error of the operation.
    OperationError(ShapeRef),
    /// The stream fails with this exception member of the union.
    Exception {
        /// The stream's union.
        union: ShapeRef,
        /// The member's index.
        member: usize,
    },
    /// The stream fails.
    StreamFails,
}

impl Reader<'_> {
    /// An event-stream case.
    pub(super) fn events(&self, fields: &Map<String, Json>) -> Result<Case, Error> {
        let fields = Fields::new(fields, self.file)?;
        let events: Vec<&Map<String, Json>> = fields
            .get("events")
            .and_then(Json::as_array)
            .map(|events| events.iter().filter_map(Json::as_object).collect())
            .unwrap_or_default();
        let responds = events
            .iter()
            .any(|event| event.get("type").and_then(Json::as_str) == Some("response"))
            || fields.get("initialResponse").is_some();
        let case = if responds {
            EventCase::Response(self.response_events(&fields, &events)?)
        } else {
            EventCase::Request(self.request_events(&fields, &events)?)
        };
        Ok(self.case(&fields, CaseKind::Events(case)))
    }

    /// The input from `initialRequestParams`. A case that sends no events names no input:
    /// its required string members are then set to a placeholder, so the input builds.
    fn input(&self, fields: &Fields, no_events: bool) -> Result<StructureValue, Error> {
        let service = self.service;
        let mut params = fields.object("initialRequestParams");
        if let (true, DataKind::Structure(members)) =
            (no_events, &service.shape(self.operation.input).kind)
        {
            for member in members {
                let string = service.primitive_of(member.target) == Some(Primitive::String);
                if member.required && string && !params.contains_key(&member.wire_name) {
                    params.insert(
                        member.wire_name.clone(),
                        Json::String("placeholder".to_owned()),
                    );
                }
            }
        }
        self.structure(
            fields,
            self.operation.input,
            &params,
            "initialRequestParams",
        )
    }

    /// The union values of the events that have `params`.
    fn event_values(
        &self,
        fields: &Fields,
        stream: Target,
        events: &[&Map<String, Json>],
    ) -> Result<Vec<TestValue>, Error> {
        let values = Values {
            service: self.service,
            fields,
        };
        events
            .iter()
            .enumerate()
            .filter_map(|(index, event)| Some((index, event.get("params")?)))
            .map(|(index, params)| values.value(stream, params, &format!("events[{index}].params")))
            .collect()
    }

    fn request_events(
        &self,
        fields: &Fields,
        events: &[&Map<String, Json>],
    ) -> Result<RequestEvents, Error> {
        let values = match self.service.event_stream_payload(self.operation.input) {
            Some(stream) => self.event_values(fields, stream.target, events)?,
            None => Vec::new(),
        };
        let initial_request =
            fields
                .get("initialRequest")
                .and_then(Json::as_object)
                .map(|initial| {
                    let text =
                        |key: &str| initial.get(key).and_then(Json::as_str).map(str::to_owned);
                    InitialRequest {
                        method: text("method"),
                        uri: text("uri"),
                        headers: header_pairs(initial.get("headers")),
                    }
                });
        let sent = events
            .iter()
            .filter(|event| event.contains_key("params"))
            .map(|event| sent_event(event))
            .collect();
        Ok(RequestEvents {
            input: self.input(fields, values.is_empty())?,
            events: values,
            initial_request,
            sent,
        })
    }

    fn response_events(
        &self,
        fields: &Fields,
        events: &[&Map<String, Json>],
    ) -> Result<ResponseEvents, Error> {
        let output = self.service.shape(self.operation.output);
        let stream = output
            .members()
            .iter()
            .position(|member| member.http == Some(HttpBinding::Payload(PayloadForm::EventStream)))
            .ok_or_else(|| {
                fields.error("response events on an operation whose output has no event stream")
            })?;
        let initial = fields.get("initialResponse").and_then(Json::as_object);
        let status = initial
            .and_then(|initial| initial.get("code"))
            .and_then(Json::as_u64)
            .and_then(|code| u16::try_from(code).ok())
            .unwrap_or(200);
        Ok(ResponseEvents {
            status,
            headers: header_pairs(initial.and_then(|initial| initial.get("headers"))),
            frames: events
                .iter()
                .filter_map(|event| event.get("bytes").and_then(Json::as_str))
                .map(str::to_owned)
                .collect(),
            body: initial
                .and_then(|initial| initial.get("body"))
                .and_then(Json::as_str)
                .map(str::to_owned),
            input: self.input(fields, true)?,
            stream,
            expected: self.expected(fields, output.members()[stream].target, events)?,
        })
    }

    /// The events and initial response a case expects, or the failure (of the call when the
    /// error is the operation's, else of the stream).
    fn expected(
        &self,
        fields: &Fields,
        stream: Target,
        events: &[&Map<String, Json>],
    ) -> Result<Expected, Error> {
        let failure = fields
            .get("expectation")
            .and_then(|expectation| expectation.get("failure"));
        let Some(failure) = failure else {
            let params = fields
                .get("initialResponseParams")
                .and_then(Json::as_object);
            let initial = params
                .map(|params| {
                    self.structure(
                        fields,
                        self.operation.output,
                        params,
                        "initialResponseParams",
                    )
                })
                .transpose()?;
            return Ok(Expected::Events {
                values: self.event_values(fields, stream, events)?,
                initial,
            });
        };
        let Some(name) = failure
            .get("errorId")
            .and_then(Json::as_str)
            .map(|id| id.rsplit('#').next().unwrap_or(id))
        else {
            return Ok(Expected::StreamFails);
        };
        let service = self.service;
        if let Some(error) = self
            .operation
            .errors
            .iter()
            .find(|error| service.shape(**error).id.name() == name)
        {
            return Ok(Expected::OperationError(*error));
        }
        Ok(self
            .exception(stream, name)
            .unwrap_or(Expected::StreamFails))
    }

    /// The exception member of the stream's union whose structure is `name`.
    fn exception(&self, stream: Target, name: &str) -> Option<Expected> {
        let Target::Shape(union) = stream else {
            return None;
        };
        let service = self.service;
        let member = service.shape(union).members().iter().position(|member| {
            matches!(member.target, Target::Shape(target)
                if service.shape(target).id.name() == name
                    && matches!(service.shape(target).role, Role::Error { .. }))
        })?;
        Some(Expected::Exception { union, member })
    }
}

/// What a sent event with `params` must be: its headers and payload.
fn sent_event(event: &Map<String, Json>) -> SentEvent {
    let headers = event
        .get("headers")
        .and_then(Json::as_object)
        .map(|headers| {
            headers
                .iter()
                .filter_map(|(name, value)| Some((name.clone(), header_value(value)?)))
                .collect()
        })
        .unwrap_or_default();
    SentEvent {
        headers,
        forbidden: strings(event, "forbidHeaders"),
        required: strings(event, "requireHeaders"),
        body: event.get("body").and_then(Json::as_str).map(|body| Body {
            text: body.to_owned(),
            media_type: event
                .get("bodyMediaType")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_owned(),
        }),
    }
}

/// A typed header value of a case (`{ string: "event" }`, `{ blob: "Zm9v" }`, ...); `None`
/// for a kind this reader does not know.
fn header_value(value: &Json) -> Option<HeaderValue> {
    let (kind, value) = value.as_object()?.iter().next()?;
    Some(match (kind.as_str(), value) {
        ("boolean", Json::Bool(flag)) => HeaderValue::Bool(*flag),
        ("byte", Json::Number(n)) => HeaderValue::Byte(n.as_i64()? as i8),
        ("short", Json::Number(n)) => HeaderValue::Short(n.as_i64()? as i16),
        ("integer", Json::Number(n)) => HeaderValue::Int(n.as_i64()? as i32),
        ("long", Json::Number(n)) => HeaderValue::Long(n.as_i64()?),
        ("string", Json::String(text)) => HeaderValue::String(text.clone()),
        ("blob", Json::String(text)) => HeaderValue::Blob(text.clone()),
        ("timestamp", Json::String(text)) => HeaderValue::DateTime(text.clone()),
        ("timestamp", Json::Number(seconds)) => {
            HeaderValue::Millis((seconds.as_f64()? * 1000.0) as i64)
        }
        _ => return None,
    })
}
