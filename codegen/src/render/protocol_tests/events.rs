//! The client cases of `smithy.test#eventStreamTests` as Rust tests: request events are sent
//! through the capturing transport and each signed frame is opened and compared; response
//! events are the body of a scripted response, received through the operation and compared
//! with the events built from `params`, or expected to fail (the call, or the stream).

use proc_macro2::TokenStream;
use quote::quote;

use super::{header_pairs, Test, Writer};
use crate::ir::protocol_tests::{
    EventCase, Expected, HeaderValue, RequestEvents, ResponseEvents, SentEvent, StructureValue,
    TestValue,
};
use crate::rust::{names, types};

impl Writer<'_> {
    /// The test of an event-stream case.
    pub(super) fn events(&self, case: &EventCase) -> Test {
        match case {
            EventCase::Request(request) => self.request_events(request),
            EventCase::Response(response) => self.response_events(response),
        }
    }

    /// The input's builder with its members set and its event stream (if any) set to
    /// `events`.
    fn input_with(&self, input: &StructureValue, events: &[TestValue]) -> TokenStream {
        let service = self.context.service;
        let setters = self.setters(input);
        let path = types::shape_path(service, self.operation.input);
        let events = events.iter().map(|event| self.value(event));
        let stream = service
            .event_stream_payload(self.operation.input)
            .map(|member| {
                let set = names::prefixed_ident("set", &member.name);
                quote!(.#set(Some(crate::primitives::EventStream::from(vec![#(#events),*]))))
            });
        quote!(#path::builder() #(#setters)* #stream)
    }

    fn request_events(&self, case: &RequestEvents) -> Test {
        let operation = self.operation;
        let input = self.input_with(&case.input, &case.events);
        let module = names::operation(&operation.rust_name).module;
        let mut checks = Vec::new();
        if let Some(initial) = &case.initial_request {
            if let Some(method) = &initial.method {
                checks.push(quote!(check::assert_method(&request, #method);));
            }
            if let Some(uri) = &initial.uri {
                checks.push(quote!(check::assert_path(&request, #uri);));
            }
            let headers = header_pairs(&initial.headers);
            if !headers.is_empty() {
                checks.push(quote!(check::assert_headers(&request, &[#(#headers),*]);));
            }
        }
        if !case.events.is_empty() {
            let count = case.events.len();
            checks.push(quote! {
                let events = check::sent_events(&request);
                assert_eq!(events.len(), #count, "events sent");
            });
            checks.extend(
                case.sent
                    .iter()
                    .enumerate()
                    .map(|(index, event)| event_check(index, event)),
            );
        }
        self.test(
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
        )
    }

    fn response_events(&self, case: &ResponseEvents) -> Test {
        let service = self.context.service;
        let operation = self.operation;
        let (status, headers) = (case.status, header_pairs(&case.headers));
        let config = match &case.body {
            Some(body) => {
                quote!(check::event_stream_config(crate::client::SERVICE, #status, &[#(#headers),*], &[ivschat_runtime::json::base64::encode(#body.as_bytes()).as_str()]))
            }
            None => {
                let frames = &case.frames;
                quote!(check::event_stream_config(crate::client::SERVICE, #status, &[#(#headers),*], &[#(#frames),*]))
            }
        };
        let module = names::operation(&operation.rust_name).module;
        let input = self.input_with(&case.input, &[]);
        let output = service.shape(operation.output);
        let stream = &output.members()[case.stream];
        let take = names::prefixed_ident("take", &stream.name);
        let stream_out = if output.is_plain(stream) {
            quote!(output.#take())
        } else {
            quote!(output.#take().expect("the output has its event stream"))
        };
        let field = names::field_ident(&stream.name);
        let outcome = self.expected_outcome(&case.expected, &field, stream_out);
        self.test(
            "events",
            &format!("the events {} receives", operation.name),
            quote! {
                let (_replay, config) = #config;
                let handle = ivschat_runtime::operation::Handle::new(config);
                let input = #input;
                let outcome = check::block_on(crate::operation::#module::send_input(&handle, input));
                #outcome
            },
        )
    }

    /// The checks of a response case: the events and the initial response's members, or the
    /// failure the case expects.
    fn expected_outcome(
        &self,
        expected: &Expected,
        field: &proc_macro2::Ident,
        stream_out: TokenStream,
    ) -> TokenStream {
        let service = self.context.service;
        let check = match expected {
            Expected::Events { values, initial } => {
                let values = values.iter().map(|value| self.value(value));
                let initial = initial.as_ref().map(|initial| {
                    let expected = self.structure(initial);
                    quote! {
                        let expected = #expected;
                        output.#field = expected.#field.clone();
                        assert_eq!(output, expected);
                    }
                });
                return quote! {
                    let mut output = outcome.expect("the call succeeds");
                    let received = check::block_on(check::receive_all(#stream_out)).expect("every event is read");
                    assert_eq!(received, vec![#(#values),*]);
                    #initial
                };
            }
            Expected::OperationError(error) => {
                let names = names::operation(&self.operation.rust_name);
                let (module, enum_name) = (names.module, names.error);
                let variant = names::type_ident(&service.shape(*error).name);
                return quote! {
                    match outcome {
                        Err(crate::operation::#module::#enum_name::#variant(_)) => {}
                        other => panic!("expected {}, got {other:?}", stringify!(#variant)),
                    }
                };
            }
            Expected::Exception { union, member } => {
                let union_name = names::type_ident(&service.shape(*union).name);
                let variant = names::variant_ident(&service.shape(*union).members()[*member].name);
                quote! {
                    match received {
                        Err(ivschat_runtime::event_stream::ReceiveError::Exception(crate::types::#union_name::#variant(_))) => {}
                        other => panic!("expected the exception event {}, got {other:?}", stringify!(#union_name::#variant(_))),
                    }
                }
            }
            Expected::StreamFails => {
                quote!(assert!(received.is_err(), "expected the stream to fail, got {received:?}");)
            }
        };
        quote! {
            let Ok(mut output) = outcome else { return };
            let received = check::block_on(check::receive_all(#stream_out));
            #check
        }
    }
}

/// The check of the `index`th sent event against the case's headers and body.
fn event_check(index: usize, event: &SentEvent) -> TokenStream {
    let headers = event.headers.iter().map(|(name, value)| {
        let value = header_value(value);
        quote!((#name, #value))
    });
    let (forbidden, required) = (&event.forbidden, &event.required);
    let body = match &event.body {
        Some(body) => {
            let (text, media) = (&body.text, &body.media_type);
            quote!(Some((#text, #media)))
        }
        None => quote!(None),
    };
    quote! {
        check::assert_event(&events[#index], &[#(#headers),*], &[#(#forbidden),*], &[#(#required),*], #body);
    }
}

/// A typed header value.
fn header_value(value: &HeaderValue) -> TokenStream {
    let header = quote!(ivschat_runtime::event_stream::HeaderValue);
    match value {
        HeaderValue::Bool(flag) => quote!(#header::Bool(#flag)),
        HeaderValue::Byte(n) => quote!(#header::Byte(#n)),
        HeaderValue::Short(n) => quote!(#header::Short(#n)),
        HeaderValue::Int(n) => quote!(#header::Int(#n)),
        HeaderValue::Long(n) => quote!(#header::Long(#n)),
        HeaderValue::String(text) => quote!(#header::String(#text.to_owned())),
        HeaderValue::Blob(text) => quote!(#header::Bytes(
            ivschat_runtime::json::base64::decode(#text).expect("the case's blob is base64").into()
        )),
        HeaderValue::DateTime(text) => quote!(#header::from(
            crate::primitives::DateTime::parse(#text, crate::primitives::DateTimeFormat::DateTime).expect("the case's time is valid")
        )),
        HeaderValue::Millis(millis) => quote!(#header::Timestamp(#millis)),
    }
}
