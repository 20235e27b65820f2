//! The client cases of `smithy.test#eventStreamTests` as Rust tests: request events are sent
//! through the capturing transport and each signed frame is opened and compared; response
//! events are the body of a scripted response, received through the operation and compared
//! with the events built from `params`, or expected to fail (the call, or the stream).

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};

use super::{Case, Test};
use crate::error::Error;
use crate::ir::{DataKind, Member, Operation, Primitive, Role};
use crate::rust::{names, types};

impl<'c> Case<'c> {
    /// The test of an event-stream case of `operation`.
    pub(super) fn events(self, operation: &Operation) -> Result<Test, Error> {
        let events: Vec<&Map<String, Value>> = self
            .fields
            .get("events")
            .and_then(Value::as_array)
            .map(|events| events.iter().filter_map(Value::as_object).collect())
            .unwrap_or_default();
        let responds = events
            .iter()
            .any(|event| event.get("type").and_then(Value::as_str) == Some("response"))
            || self.fields.contains_key("initialResponse");
        if responds {
            self.response_events(operation, &events)
        } else {
            self.request_events(operation, &events)
        }
    }

    /// The input built from `initialRequestParams`, its event stream member set to `events`.
    /// A case about the response names no input: its required string members are then set to
    /// a placeholder, so the input builds.
    fn input_with(
        &self,
        operation: &Operation,
        events: &[TokenStream],
    ) -> Result<TokenStream, Error> {
        let service = self.context.service;
        let input = service.shape(operation.input);
        let mut params = self
            .fields
            .get("initialRequestParams")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        if let (true, DataKind::Structure(members)) = (events.is_empty(), &input.kind) {
            for member in members {
                let string = service.primitive_of(member.target) == Some(Primitive::String);
                if member.required && string && !params.contains_key(&member.name) {
                    params.insert(member.name.clone(), Value::String("placeholder".to_owned()));
                }
            }
        }
        let setters = self.setters(input, &params, "initialRequestParams")?;
        let path = types::shape_path(service, operation.input);
        let stream = service.event_stream_payload(operation.input).map(|member| {
            let set = names::prefixed_ident("set", &member.name);
            quote!(.#set(Some(crate::primitives::EventStream::from(vec![#(#events),*]))))
        });
        Ok(quote!(#path::builder() #(#setters)* #stream))
    }

    /// The union member events of `events` from their `params`.
    fn event_values(
        &self,
        stream: &Member,
        events: &[&Map<String, Value>],
    ) -> Result<Vec<TokenStream>, Error> {
        events
            .iter()
            .enumerate()
            .filter_map(|(index, event)| Some((index, event.get("params")?)))
            .map(|(index, params)| {
                self.value(stream.target, params, &format!("events[{index}].params"))
            })
            .collect()
    }

    fn request_events(
        self,
        operation: &Operation,
        events: &[&Map<String, Value>],
    ) -> Result<Test, Error> {
        let service = self.context.service;
        let values = match service.event_stream_payload(operation.input) {
            Some(stream) => self.event_values(stream, events)?,
            None => Vec::new(),
        };
        let input = self.input_with(operation, &values)?;
        let module = names::operation(&operation.rust_name).module;
        let mut checks = Vec::new();
        if let Some(initial) = self.fields.get("initialRequest").and_then(Value::as_object) {
            checks.extend(initial_request_checks(initial));
        }
        if !values.is_empty() {
            let count = values.len();
            checks.push(quote! {
                let events = check::sent_events(&request);
                assert_eq!(events.len(), #count, "events sent");
            });
            for (index, event) in events
                .iter()
                .filter(|event| event.contains_key("params"))
                .enumerate()
            {
                checks.push(event_check(index, event));
            }
        }
        Ok(self.test(
            "events",
            &format!("the events {} sends", operation.name),
            quote! {
                let (replay, config) = check::capturing_config(crate::client::SERVICE, "example.com");
                let handle = ivschat_runtime::operation::Handle::new(config);
                let input = #input;
                let outcome = check::block_on(crate::operation::#module::send_input(&handle, input));
                let request = check::sent_request(&replay, &outcome);
                #(#checks)*
            },
        ))
    }

    fn response_events(
        self,
        operation: &Operation,
        events: &[&Map<String, Value>],
    ) -> Result<Test, Error> {
        let service = self.context.service;
        let Some(stream) = service.event_stream_payload(operation.output) else {
            return Err(
                self.error("response events on an operation whose output has no event stream")
            );
        };
        let initial = self
            .fields
            .get("initialResponse")
            .and_then(Value::as_object);
        let status = initial
            .and_then(|initial| initial.get("code"))
            .and_then(Value::as_u64)
            .unwrap_or(200) as u16;
        let headers = super::header_pairs(initial.and_then(|initial| initial.get("headers")));
        let frames: Vec<&str> = events
            .iter()
            .filter_map(|event| event.get("bytes").and_then(Value::as_str))
            .collect();
        let body = initial
            .and_then(|initial| initial.get("body"))
            .and_then(Value::as_str);
        let config = match body {
            Some(body) => {
                quote!(check::event_stream_config(crate::client::SERVICE, #status, &[#(#headers),*], &[ivschat_runtime::json::base64::encode(#body.as_bytes()).as_str()]))
            }
            None => {
                quote!(check::event_stream_config(crate::client::SERVICE, #status, &[#(#headers),*], &[#(#frames),*]))
            }
        };
        let module = names::operation(&operation.rust_name).module;
        let input = self.input_with(operation, &[])?;
        let field = names::field_ident(&stream.name);
        let take = names::prefixed_ident("take", &stream.name);
        let stream_out = if service.shape(operation.output).is_plain(stream) {
            quote!(output.#take())
        } else {
            quote!(output.#take().expect("the output has its event stream"))
        };
        let outcome = self.expected_outcome(operation, stream, events, &field, stream_out)?;
        Ok(self.test(
            "events",
            &format!("the events {} receives", operation.name),
            quote! {
                let (_replay, config) = #config;
                let handle = ivschat_runtime::operation::Handle::new(config);
                let input = #input;
                let outcome = check::block_on(crate::operation::#module::send_input(&handle, input));
                #outcome
            },
        ))
    }

    /// The checks of a response case: the events and the initial response's members, or the
    /// failure the case expects (of the call when the error is the operation's, else of the
    /// stream).
    fn expected_outcome(
        &self,
        operation: &Operation,
        stream: &Member,
        events: &[&Map<String, Value>],
        field: &proc_macro2::Ident,
        stream_out: TokenStream,
    ) -> Result<TokenStream, Error> {
        let service = self.context.service;
        let failure = self
            .fields
            .get("expectation")
            .and_then(|expectation| expectation.get("failure"));
        let Some(failure) = failure else {
            let values = self.event_values(stream, events)?;
            let initial = match self
                .fields
                .get("initialResponseParams")
                .and_then(Value::as_object)
            {
                Some(params) => {
                    let expected =
                        self.structure(operation.output, params, "initialResponseParams")?;
                    quote! {
                        let expected = #expected;
                        output.#field = expected.#field.clone();
                        assert_eq!(output, expected);
                    }
                }
                None => TokenStream::new(),
            };
            return Ok(quote! {
                let mut output = outcome.expect("the call succeeds");
                let received = check::block_on(check::receive_all(#stream_out)).expect("every event is read");
                assert_eq!(received, vec![#(#values),*]);
                #initial
            });
        };
        let error_name = failure
            .get("errorId")
            .and_then(Value::as_str)
            .map(|id| id.rsplit('#').next().unwrap_or(id));
        let operation_error = error_name.and_then(|name| {
            operation
                .errors
                .iter()
                .find(|error| service.shape(**error).id.name() == name)
        });
        if let Some(error) = operation_error {
            let enum_name = names::operation(&operation.rust_name).error;
            let variant = names::type_ident(&service.shape(*error).name);
            let module = names::operation(&operation.rust_name).module;
            return Ok(quote! {
                match outcome {
                    Err(crate::operation::#module::#enum_name::#variant(_)) => {}
                    other => panic!("expected {}, got {other:?}", stringify!(#variant)),
                }
            });
        }
        let exception = error_name.and_then(|name| stream_exception(self, stream, name));
        let check = match exception {
            Some(variant) => quote! {
                match received {
                    Err(ivschat_runtime::event_stream::ReceiveError::Exception(crate::types::#variant)) => {}
                    other => panic!("expected the exception event {}, got {other:?}", stringify!(#variant)),
                }
            },
            None => {
                quote!(assert!(received.is_err(), "expected the stream to fail, got {received:?}");)
            }
        };
        Ok(quote! {
            let Ok(mut output) = outcome else { return };
            let received = check::block_on(check::receive_all(#stream_out));
            #check
        })
    }
}

/// The pattern of the exception member of the stream's union whose structure is `name`.
fn stream_exception(case: &Case, stream: &Member, name: &str) -> Option<TokenStream> {
    let service = case.context.service;
    let crate::ir::Target::Shape(union) = stream.target else {
        return None;
    };
    let crate::ir::DataKind::Union(members) = &service.shape(union).kind else {
        return None;
    };
    let member = members.iter().find(|member| match member.target {
        crate::ir::Target::Shape(target) => {
            let shape = service.shape(target);
            shape.id.name() == name && matches!(shape.role, Role::Error { .. })
        }
        crate::ir::Target::Primitive(_) => false,
    })?;
    let union_name = names::type_ident(&service.shape(union).name);
    let variant = names::variant_ident(&member.name);
    Some(quote!(#union_name::#variant(_)))
}

/// Checks of the HTTP request that opens the stream (`initialRequest`).
fn initial_request_checks(initial: &Map<String, Value>) -> Vec<TokenStream> {
    let mut checks = Vec::new();
    if let Some(method) = initial.get("method").and_then(Value::as_str) {
        checks.push(quote!(check::assert_method(&request, #method);));
    }
    if let Some(uri) = initial.get("uri").and_then(Value::as_str) {
        checks.push(quote!(check::assert_path(&request, #uri);));
    }
    let headers = super::header_pairs(initial.get("headers"));
    if !headers.is_empty() {
        checks.push(quote!(check::assert_headers(&request, &[#(#headers),*]);));
    }
    checks
}

/// The check of the `index`th sent event against the case's headers and body.
fn event_check(index: usize, event: &Map<String, Value>) -> TokenStream {
    let headers: Vec<TokenStream> = event
        .get("headers")
        .and_then(Value::as_object)
        .map(|headers| {
            headers
                .iter()
                .filter_map(|(name, value)| {
                    let value = header_value(value)?;
                    Some(quote!((#name, #value)))
                })
                .collect()
        })
        .unwrap_or_default();
    let strings = |key: &str| -> Vec<&str> {
        event
            .get(key)
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    };
    let (forbidden, required) = (strings("forbidHeaders"), strings("requireHeaders"));
    let body = match event.get("body").and_then(Value::as_str) {
        Some(body) => {
            let media = event
                .get("bodyMediaType")
                .and_then(Value::as_str)
                .unwrap_or_default();
            quote!(Some((#body, #media)))
        }
        None => quote!(None),
    };
    quote! {
        check::assert_event(&events[#index], &[#(#headers),*], &[#(#forbidden),*], &[#(#required),*], #body);
    }
}

/// A typed header value of a case (`{ string: "event" }`, `{ blob: "Zm9v" }`, ...).
fn header_value(value: &Value) -> Option<TokenStream> {
    let (kind, value) = value.as_object()?.iter().next()?;
    let header = quote!(ivschat_runtime::event_stream::HeaderValue);
    Some(match (kind.as_str(), value) {
        ("boolean", Value::Bool(flag)) => quote!(#header::Bool(#flag)),
        ("byte", Value::Number(n)) => {
            let n = n.as_i64()? as i8;
            quote!(#header::Byte(#n))
        }
        ("short", Value::Number(n)) => {
            let n = n.as_i64()? as i16;
            quote!(#header::Short(#n))
        }
        ("integer", Value::Number(n)) => {
            let n = n.as_i64()? as i32;
            quote!(#header::Int(#n))
        }
        ("long", Value::Number(n)) => {
            let n = n.as_i64()?;
            quote!(#header::Long(#n))
        }
        ("string", Value::String(text)) => quote!(#header::String(#text.to_owned())),
        ("blob", Value::String(text)) => quote!(#header::Bytes(
            ivschat_runtime::json::base64::decode(#text).expect("the case's blob is base64").into()
        )),
        ("timestamp", Value::String(text)) => quote!(#header::from(
            crate::primitives::DateTime::parse(#text, crate::primitives::DateTimeFormat::DateTime).expect("the case's time is valid")
        )),
        ("timestamp", Value::Number(seconds)) => {
            let millis = (seconds.as_f64()? * 1000.0) as i64;
            quote!(#header::Timestamp(#millis))
        }
        _ => return None,
    })
}
