//! Smithy protocol compliance tests as Rust tests of the generated crate: each client case of
//! `smithy.test#httpRequestTests` builds the input from `params`, sends it through a capturing
//! transport and compares the request; each case of `smithy.test#httpResponseTests` (on
//! operations and error shapes) parses a response and compares it with `params`; the cases of
//! `smithy.test#eventStreamTests` are in [`events`].

mod events;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::builder::builds_fallibly;
use super::Context;
use crate::ir::protocol_tests::{
    Case, CaseConfig, CaseKind, Document, Element, FloatValue, RequestCase, ResponseCase,
    SimpleValue, StructureValue, Suite, TestValue, TimestampValue,
};
use crate::ir::{Operation, Service, ShapeRef};
use crate::rust::{names, types};

/// The rendered tests and what was left out.
pub struct Rendered {
    /// The test module.
    pub tokens: TokenStream,
    /// Test functions rendered (ignored ones included), as (function name, case id).
    pub tests: Vec<(String, String)>,
}

/// Renders the cases of `suite`; cases named in `skips` are rendered `#[ignore]` with their
/// reason.
pub fn render(context: &Context, suite: &Suite, skips: &BTreeMap<String, String>) -> Rendered {
    let tests: Vec<Test> = suite
        .cases
        .iter()
        .map(|case| {
            let writer = Writer {
                context,
                case,
                operation: &context.service.operations[case.operation],
                ignore: skips
                    .get(&case.id)
                    .map(|reason| quote!(#[ignore = #reason])),
            };
            match &case.kind {
                CaseKind::Request(request) => writer.request(request),
                CaseKind::Response(response) => writer.response(response),
                CaseKind::Events(events) => writer.events(events),
            }
        })
        .collect();
    let names = tests
        .iter()
        .map(|test| (test.name.clone(), test.id.clone()))
        .collect();
    let bodies = tests.into_iter().map(|test| test.tokens);
    Rendered {
        tokens: quote! {
            //! Smithy protocol compliance tests, generated from the model's test traits.
            #![allow(clippy::approx_constant, clippy::excessive_precision, clippy::unreadable_literal)]
            use ivschat_runtime::protocol_test as check;
            #(#bodies)*
        },
        tests: names,
    }
}

/// The call making a request case's client: the case's host as its endpoint, unless the case
/// gives client settings and the service has endpoint rules to resolve them with.
fn capturing_config(service: &Service, host: &str, config: Option<&CaseConfig>) -> TokenStream {
    let Some(config) = config else {
        return quote!(check::capturing_config(crate::client::SERVICE, #host));
    };
    let endpoint = match service.endpoint_rules {
        Some(_) => quote!(None),
        None => quote!(Some(#host)),
    };
    let region = config
        .region
        .as_ref()
        .map(|region| quote!(.region(#region)));
    let flag =
        |value: Option<bool>, setter: TokenStream| value.map(|value| quote!(.#setter(#value)));
    let settings = [
        flag(config.force_path_style, quote!(force_path_style)),
        flag(config.dual_stack, quote!(use_dual_stack)),
        flag(config.accelerate, quote!(s3_accelerate)),
    ];
    quote!(check::capturing_config_with(crate::client::SERVICE, #endpoint, |builder| builder #region #(#settings)*))
}

/// A rendered test.
struct Test {
    id: String,
    name: String,
    tokens: TokenStream,
}

/// Writes one case as a test.
struct Writer<'c> {
    context: &'c Context<'c>,
    case: &'c Case,
    operation: &'c Operation,
    ignore: Option<TokenStream>,
}

/// `("name", "value")` pairs.
fn header_pairs(headers: &[(String, String)]) -> Vec<TokenStream> {
    headers
        .iter()
        .map(|(name, value)| quote!((#name, #value)))
        .collect()
}

impl Writer<'_> {
    fn request(&self, case: &RequestCase) -> Test {
        let service = self.context.service;
        let operation = self.operation;
        let input_path = types::shape_path(service, operation.input);
        let setters = self.setters(&case.input);
        let module = names::operation(&operation.rust_name).module;
        let (host, method, uri) = (&case.host, &case.method, &case.uri);
        let capturing = capturing_config(service, host, case.config.as_ref());
        let mut checks = vec![
            quote!(check::assert_method(&request, #method);),
            quote!(check::assert_path(&request, #uri);),
        ];
        if let Some(resolved) = &case.resolved_host {
            checks.push(quote!(check::assert_host(&request, #resolved);));
        }
        let [query, forbid_query, require_query] = &case.query;
        let [forbid_headers, require_headers] = &case.header_names;
        let lists = [
            (query, quote!(check::assert_query)),
            (forbid_query, quote!(check::assert_query_forbidden)),
            (require_query, quote!(check::assert_query_required)),
            (forbid_headers, quote!(check::assert_headers_forbidden)),
            (require_headers, quote!(check::assert_headers_required)),
        ];
        for (items, function) in lists {
            if !items.is_empty() {
                checks.push(quote!(#function(&request, &[#(#items),*]);));
            }
        }
        let headers = header_pairs(&case.headers);
        if !headers.is_empty() {
            checks.push(quote!(check::assert_headers(&request, &[#(#headers),*]);));
        }
        if let Some(body) = &case.body {
            let (text, media) = (&body.text, &body.media_type);
            checks.push(quote!(check::assert_body(&request, #text, #media);));
        }
        self.test(
            "request",
            &format!("the request {} sends", operation.name),
            quote! {
                let (replay, config) = #capturing;
                let handle = ivschat_runtime::operation::Handle::new(config);
                let input = #input_path::builder() #(#setters)*;
                let outcome = check::block_on(crate::operation::#module::send_input(&handle, input));
                let request = check::sent_request(&replay, &outcome);
                #(#checks)*
            },
        )
    }

    fn response(&self, case: &ResponseCase) -> Test {
        let service = self.context.service;
        let operation = self.operation;
        let code = case.code;
        let headers = header_pairs(&case.headers);
        let body = &case.body;
        // A CBOR case gives its body in base64.
        let respond = if case.base64 {
            quote!(check::response_base64)
        } else {
            quote!(check::response)
        };
        let expected = self.structure(&case.expected);
        let compare = if case.has_nan {
            quote!(assert_eq!(format!("{actual:?}"), format!("{expected:?}"));)
        } else {
            quote!(assert_eq!(actual, expected);)
        };
        let parse = match case.error {
            None => {
                let output = types::shape_path(service, operation.output);
                let response = if service.body_streams(operation.output) {
                    quote!(response.map(crate::primitives::ByteStream::from))
                } else {
                    quote!(&response)
                };
                quote! {
                    let actual = #output::from_response(#response).expect("the response parses");
                }
            }
            Some(error) => self.error_parse(case, error),
        };
        self.test(
            "response",
            &format!("the response {} reads", operation.name),
            quote! {
                let response = #respond(#code, &[#(#headers),*], #body);
                #parse
                let expected = #expected;
                #compare
            },
        )
    }

    /// The reading of a response case's error: the operation's error enum must hold the
    /// expected variant (and code), whose value is then compared.
    fn error_parse(&self, case: &ResponseCase, error: ShapeRef) -> TokenStream {
        let names::OperationNames {
            module,
            error: enum_name,
            ..
        } = names::operation(&self.operation.rust_name);
        let variant = names::type_ident(&self.context.service.shape(error).name);
        let code_check = case
            .error_code
            .as_ref()
            .map(|code| quote!(assert_eq!(parsed.code(), Some(#code));));
        // The request id (which some protocols carry in the body) is not a modelled member:
        // the cases do not state it.
        quote! {
            let parsed = crate::operation::#module::#enum_name::from_response(response, None);
            #code_check
            let mut actual = match parsed {
                crate::operation::#module::#enum_name::#variant(error) => error,
                other => panic!("expected {}, got {other:?}", stringify!(#variant)),
            };
            actual.request_id = None;
        }
    }

    /// A test function named after the case and its kind (`request` or `response`), ignored
    /// when the skip list names the case.
    fn test(&self, kind: &str, what: &str, body: TokenStream) -> Test {
        let id = &self.case.id;
        let name = format_ident!("{kind}_{}", names::module_name(id));
        let ignore = &self.ignore;
        let doc = format!(" `{id}`: {what}.");
        Test {
            id: id.clone(),
            name: name.to_string(),
            tokens: quote! {
                #[doc = #doc]
                #[test]
                #ignore
                fn #name() {
                    #body
                }
            },
        }
    }

    /// `.set_member(Some(value))` calls for the members a structure value gives.
    fn setters(&self, value: &StructureValue) -> Vec<TokenStream> {
        let members = self.context.service.shape(value.shape).members();
        value
            .members
            .iter()
            .map(|(index, member_value)| {
                let set = names::prefixed_ident("set", &members[*index].name);
                match member_value {
                    None => quote!(.#set(None)),
                    Some(member_value) => {
                        let member_value = self.value(member_value);
                        quote!(.#set(Some(#member_value)))
                    }
                }
            })
            .collect()
    }

    /// A structure value: its builder, built.
    fn structure(&self, value: &StructureValue) -> TokenStream {
        let service = self.context.service;
        let shape = service.shape(value.shape);
        let path = types::shape_path(service, value.shape);
        let setters = self.setters(value);
        let build = if builds_fallibly(shape, shape.members()) {
            quote!(.build().expect("the expected value builds"))
        } else {
            quote!(.build())
        };
        quote!(#path::builder() #(#setters)* #build)
    }

    /// A Rust expression of a value.
    fn value(&self, value: &TestValue) -> TokenStream {
        let service = self.context.service;
        match value {
            TestValue::Stream(text) => {
                let bytes = proc_macro2::Literal::byte_string(text.as_bytes());
                quote!(crate::primitives::ByteStream::from(#bytes.to_vec()))
            }
            TestValue::Enum(shape, text) => {
                let path = types::shape_path(service, *shape);
                quote!(#path::from(#text))
            }
            TestValue::IntEnum(shape, number) => {
                let path = types::shape_path(service, *shape);
                quote!(#path::from(#number))
            }
            TestValue::Structure(value) => self.structure(value),
            TestValue::Union {
                shape,
                member,
                value,
            } => {
                let path = types::shape_path(service, *shape);
                let member = &service.shape(*shape).members()[*member];
                let variant = names::variant_ident(&member.name);
                let inner = self.value(value);
                if member.boxed {
                    quote!(#path::#variant(Box::new(#inner)))
                } else {
                    quote!(#path::#variant(#inner))
                }
            }
            TestValue::List(items) => {
                let items = items.iter().map(|item| self.element(item));
                quote!(vec![#(#items),*])
            }
            TestValue::Map(entries) => {
                let entries = entries.iter().map(|(key, item)| {
                    let (key, item) = (self.value(key), self.element(item));
                    quote!((#key, #item))
                });
                quote!(std::collections::HashMap::from([#(#entries),*]))
            }
            TestValue::Simple(simple) => simple_value(simple),
        }
    }

    /// A list element or map value: `Some`/`None` in sparse collections.
    fn element(&self, element: &Element) -> TokenStream {
        match element {
            Element::Sparse(None) => quote!(None),
            Element::Sparse(Some(value)) => {
                let value = self.value(value);
                quote!(Some(#value))
            }
            Element::Dense(value) => self.value(value),
        }
    }
}

/// A Rust expression of a simple value.
fn simple_value(value: &SimpleValue) -> TokenStream {
    match value {
        SimpleValue::String(text) => quote!(#text.to_owned()),
        SimpleValue::Boolean(value) => quote!(#value),
        SimpleValue::Integer(value) => {
            let literal = proc_macro2::Literal::i64_unsuffixed(*value);
            quote!(#literal)
        }
        SimpleValue::Float { double, value } => {
            let kind = if *double { quote!(f64) } else { quote!(f32) };
            match value {
                FloatValue::NaN => quote!(#kind::NAN),
                FloatValue::Infinity => quote!(#kind::INFINITY),
                FloatValue::NegativeInfinity => quote!(#kind::NEG_INFINITY),
                FloatValue::Number(value) => {
                    let literal = proc_macro2::Literal::f64_unsuffixed(*value);
                    quote!(#literal as #kind)
                }
            }
        }
        SimpleValue::Timestamp(TimestampValue::DateTime(text)) => {
            quote!(crate::primitives::DateTime::parse(#text, crate::primitives::DateTimeFormat::DateTime).expect("a valid time"))
        }
        SimpleValue::Timestamp(TimestampValue::Seconds(seconds)) => {
            let literal = proc_macro2::Literal::f64_unsuffixed(*seconds);
            quote!(crate::primitives::DateTime::from_secs_f64(#literal).expect("a valid time"))
        }
        SimpleValue::Blob(text) => {
            let bytes = proc_macro2::Literal::byte_string(text.as_bytes());
            quote!(crate::primitives::Blob::new(#bytes.to_vec()))
        }
        SimpleValue::BigNumber(primitive, text) => {
            let kind = types::primitive_type(*primitive);
            quote!(#text.parse::<#kind>().expect("a valid number"))
        }
        SimpleValue::Document(document) => document_value(document),
    }
}

/// A `Document` expression.
fn document_value(document: &Document) -> TokenStream {
    let root = quote!(crate::primitives::Document);
    let number = quote!(ivschat_runtime::Number);
    match document {
        Document::Null => quote!(#root::Null),
        Document::Bool(value) => quote!(#root::Bool(#value)),
        Document::PositiveInteger(value) => quote!(#root::Number(#number::PosInt(#value))),
        Document::NegativeInteger(value) => quote!(#root::Number(#number::NegInt(#value))),
        Document::Float(value) => quote!(#root::Number(#number::Float(#value))),
        Document::String(text) => quote!(#root::String(#text.to_owned())),
        Document::Array(items) => {
            let items = items.iter().map(document_value);
            quote!(#root::Array(vec![#(#items),*]))
        }
        Document::Object(entries) => {
            let entries = entries.iter().map(|(key, value)| {
                let value = document_value(value);
                quote!((#key.to_owned(), #value))
            });
            quote!(#root::Object(std::collections::BTreeMap::from([#(#entries),*])))
        }
    }
}
