//! Smithy protocol compliance tests as Rust tests of the generated crate: each client case of
//! `smithy.test#httpRequestTests` builds the input from `params`, sends it through a capturing
//! transport and compares the request; each case of `smithy.test#httpResponseTests` (on
//! operations and error shapes) parses a response and compares it with `params`; the cases of
//! `smithy.test#eventStreamTests` are in [`events`].

mod events;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Map, Value};

use super::builder::builds_fallibly;
use super::Context;
use crate::error::{Error, Location};
use crate::ir::{DataKind, DataShape, Member, Operation, Primitive, ShapeRef, Target};
use crate::rust::{names, types};
use crate::smithy::Model;

/// The rendered tests and what was left out.
pub struct Rendered {
    /// The test module.
    pub tokens: TokenStream,
    /// Test functions rendered (ignored ones included), as (function name, case id).
    pub tests: Vec<(String, String)>,
    /// Cases not rendered at all, with why (server-only cases are not counted).
    pub left_out: Vec<(String, String)>,
}

/// Renders the client cases of `protocol` (e.g. `aws.protocols#restJson1`); cases named in
/// `skips` are rendered `#[ignore]` with their reason.
pub fn render(
    context: &Context,
    model: &Model,
    protocol: &str,
    skips: &BTreeMap<String, String>,
) -> Result<Rendered, Error> {
    let mut rendered = Rendered {
        tokens: TokenStream::new(),
        tests: Vec::new(),
        left_out: Vec::new(),
    };
    let mut tests = Vec::new();
    for operation in &context.service.operations {
        let traits = &model
            .get(&operation.id)
            .expect("IR operations come from the model")
            .traits;
        let requests = traits.raw("smithy.test#httpRequestTests");
        for case in client_cases(requests, protocol, &mut rendered.left_out) {
            tests.push(Case::new(context, case, skips)?.request(operation)?);
        }
        let responses = traits.raw("smithy.test#httpResponseTests");
        for case in client_cases(responses, protocol, &mut rendered.left_out) {
            tests.push(Case::new(context, case, skips)?.response(operation, None)?);
        }
        let events = traits.raw("smithy.test#eventStreamTests");
        for case in client_cases(events, protocol, &mut rendered.left_out) {
            tests.push(Case::new(context, case, skips)?.events(operation)?);
        }
        for error in &operation.errors {
            let shape = context.service.shape(*error);
            let traits = &model
                .get(&shape.id)
                .expect("IR shapes come from the model")
                .traits;
            let responses = traits.raw("smithy.test#httpResponseTests");
            for case in client_cases(responses, protocol, &mut rendered.left_out) {
                let id = case.get("id").and_then(Value::as_str).unwrap_or_default();
                // An error's cases are rendered once, under the first operation using it.
                if tests.iter().any(|test: &Test| test.id == id) {
                    continue;
                }
                tests.push(Case::new(context, case, skips)?.response(operation, Some(*error))?);
            }
        }
    }
    rendered.tests = tests
        .iter()
        .map(|test| (test.name.clone(), test.id.clone()))
        .collect();
    let bodies = tests.into_iter().map(|test| test.tokens);
    rendered.tokens = quote! {
        //! Smithy protocol compliance tests, generated from the model's test traits.
        #![allow(clippy::approx_constant, clippy::excessive_precision, clippy::unreadable_literal)]
        use ivschat_runtime::protocol_test as check;
        #(#bodies)*
    };
    Ok(rendered)
}

/// The cases of a test trait that apply to clients of `protocol`; cases with vendor
/// parameters other than an error's code and type are left out.
fn client_cases<'v>(
    cases: Option<&'v Value>,
    protocol: &str,
    left_out: &mut Vec<(String, String)>,
) -> Vec<&'v Map<String, Value>> {
    let cases = cases
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let mut kept = Vec::new();
    for case in cases.iter().filter_map(Value::as_object) {
        let text = |key: &str| case.get(key).and_then(Value::as_str).unwrap_or_default();
        if text("protocol") != protocol || text("appliesTo") == "server" {
            continue;
        }
        // An error's `code` (and its `type`, which is the error's modelled fault) is checked
        // through the error's `code()`; other parameters configure SDK-specific settings.
        let vendor = case
            .get("vendorParams")
            .and_then(Value::as_object)
            .is_some_and(|params| params.keys().any(|key| key != "code" && key != "type"));
        if vendor {
            left_out.push((
                text("id").to_owned(),
                "sets client configuration through vendorParams (S3 addressing, region), which this generator does not model".to_owned(),
            ));
            continue;
        }
        kept.push(case);
    }
    kept
}

/// A rendered test.
struct Test {
    id: String,
    name: String,
    tokens: TokenStream,
}

/// One test case being rendered.
struct Case<'c> {
    context: &'c Context<'c>,
    fields: &'c Map<String, Value>,
    id: String,
    ignore: Option<TokenStream>,
}

impl<'c> Case<'c> {
    fn new(
        context: &'c Context<'c>,
        fields: &'c Map<String, Value>,
        skips: &BTreeMap<String, String>,
    ) -> Result<Self, Error> {
        let id = fields
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| Location::root(context.file).error("a protocol test case has no id"))?
            .to_owned();
        let ignore = skips.get(&id).map(|reason| quote!(#[ignore = #reason]));
        Ok(Self {
            context,
            fields,
            id,
            ignore,
        })
    }

    fn error(&self, message: impl Into<String>) -> Error {
        Location::root(self.context.file).error(format!(
            "protocol test `{}`: {}",
            self.id,
            message.into()
        ))
    }

    fn text(&self, key: &str) -> Option<&'c str> {
        self.fields.get(key).and_then(Value::as_str)
    }

    fn strings(&self, key: &str) -> Vec<&'c str> {
        self.fields
            .get(key)
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    fn headers(&self) -> Vec<TokenStream> {
        header_pairs(self.fields.get("headers"))
    }

    fn params(&self) -> Map<String, Value> {
        self.fields
            .get("params")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    }

    fn request(self, operation: &Operation) -> Result<Test, Error> {
        let service = self.context.service;
        let input = service.shape(operation.input);
        let input_path = types::shape_path(service, operation.input);
        let setters = self.setters(input, &self.params(), "params")?;
        let module = names::operation(&operation.rust_name).module;
        let host = self.text("host").unwrap_or("example.com");
        let method = self.text("method").unwrap_or_default();
        let mut checks = vec![quote!(check::assert_method(&request, #method);)];
        let uri = self.text("uri").unwrap_or_default();
        checks.push(quote!(check::assert_path(&request, #uri);));
        if let Some(resolved) = self.text("resolvedHost") {
            checks.push(quote!(check::assert_host(&request, #resolved);));
        }
        let lists = [
            ("queryParams", quote!(check::assert_query)),
            ("forbidQueryParams", quote!(check::assert_query_forbidden)),
            ("requireQueryParams", quote!(check::assert_query_required)),
            ("forbidHeaders", quote!(check::assert_headers_forbidden)),
            ("requireHeaders", quote!(check::assert_headers_required)),
        ];
        for (key, function) in lists {
            let items = self.strings(key);
            if !items.is_empty() {
                checks.push(quote!(#function(&request, &[#(#items),*]);));
            }
        }
        let headers = self.headers();
        if !headers.is_empty() {
            checks.push(quote!(check::assert_headers(&request, &[#(#headers),*]);));
        }
        if let Some(body) = self.text("body") {
            let media = self.text("bodyMediaType").unwrap_or_default();
            checks.push(quote!(check::assert_body(&request, #body, #media);));
        }
        Ok(self.test(
            "request",
            &format!("the request {} sends", operation.name),
            quote! {
                let (replay, config) = check::capturing_config(crate::client::SERVICE, #host);
                let handle = ivschat_runtime::operation::Handle::new(config);
                let input = #input_path::builder() #(#setters)*;
                let outcome = check::block_on(crate::operation::#module::send_input(&handle, input));
                let request = check::sent_request(&replay, &outcome);
                #(#checks)*
            },
        ))
    }

    fn response(self, operation: &Operation, error: Option<ShapeRef>) -> Result<Test, Error> {
        let service = self.context.service;
        let code = self
            .fields
            .get("code")
            .and_then(Value::as_u64)
            .ok_or_else(|| self.error("`code` is missing"))? as u16;
        let headers = self.headers();
        let body = self.text("body").unwrap_or_default();
        // A CBOR case gives its body in base64.
        let respond = if self.text("bodyMediaType") == Some("application/cbor") {
            quote!(check::response_base64)
        } else {
            quote!(check::response)
        };
        let shape_ref = error.unwrap_or(operation.output);
        let shape = service.shape(shape_ref);
        let expected = self.structure(shape_ref, &self.params(), "params")?;
        let has_nan = contains_nan(&Value::Object(self.params()));
        let compare = if has_nan {
            quote!(assert_eq!(format!("{actual:?}"), format!("{expected:?}"));)
        } else {
            quote!(assert_eq!(actual, expected);)
        };
        let module = names::operation(&operation.rust_name).module;
        let parse = match error {
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
            Some(_) => {
                let enum_name = names::operation(&operation.rust_name).error;
                let variant = names::type_ident(&shape.name);
                // The request id (which some protocols carry in the body) is not a modelled
                // member: the cases do not state it.
                let code_check = self
                    .fields
                    .get("vendorParams")
                    .and_then(|params| params.get("code"))
                    .and_then(Value::as_str)
                    .map(|code| quote!(assert_eq!(parsed.code(), Some(#code));));
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
        };
        Ok(self.test(
            "response",
            &format!("the response {} reads", operation.name),
            quote! {
                let response = #respond(#code, &[#(#headers),*], #body);
                #parse
                let expected = #expected;
                #compare
            },
        ))
    }

    /// A test function named after the case and its kind (`request` or `response`), ignored
    /// when the skip list names the case.
    fn test(&self, kind: &str, what: &str, body: TokenStream) -> Test {
        let name = format_ident!("{kind}_{}", names::module_name(&self.id));
        let ignore = &self.ignore;
        let doc = format!(" `{}`: {what}.", self.id);
        Test {
            id: self.id.clone(),
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

    /// `.set_member(Some(value))` calls for the members of a structure given in `params`.
    fn setters(
        &self,
        shape: &DataShape,
        params: &Map<String, Value>,
        at: &str,
    ) -> Result<Vec<TokenStream>, Error> {
        let DataKind::Structure(members) = &shape.kind else {
            return Err(self.error(format!("{at}: `{}` is not a structure", shape.name)));
        };
        let mut setters = Vec::new();
        for (name, value) in params {
            let member = members
                .iter()
                .find(|member| member.name == *name)
                .ok_or_else(|| {
                    self.error(format!("{at}.{name}: no such member of `{}`", shape.name))
                })?;
            let set = names::prefixed_ident("set", &member.name);
            if value.is_null() {
                setters.push(quote!(.#set(None)));
                continue;
            }
            let value = self.value(member.target, value, &format!("{at}.{name}"))?;
            setters.push(quote!(.#set(Some(#value))));
        }
        Ok(setters)
    }

    /// A structure value from `params`: its builder, built.
    fn structure(
        &self,
        shape_ref: ShapeRef,
        params: &Map<String, Value>,
        at: &str,
    ) -> Result<TokenStream, Error> {
        let service = self.context.service;
        let shape = service.shape(shape_ref);
        let path = types::shape_path(service, shape_ref);
        let setters = self.setters(shape, params, at)?;
        let DataKind::Structure(members) = &shape.kind else {
            return Err(self.error(format!("{at}: `{}` is not a structure", shape.name)));
        };
        let build = if builds_fallibly(shape, members) {
            quote!(.build().expect("the expected value builds"))
        } else {
            quote!(.build())
        };
        Ok(quote!(#path::builder() #(#setters)* #build))
    }

    /// A Rust expression of the value `json` for a member targeting `target`.
    fn value(&self, target: Target, json: &Value, at: &str) -> Result<TokenStream, Error> {
        let service = self.context.service;
        if service.is_streaming(target) {
            let text = json
                .as_str()
                .ok_or_else(|| self.error(format!("{at}: a streaming blob is given as text")))?;
            let bytes = proc_macro2::Literal::byte_string(text.as_bytes());
            return Ok(quote!(crate::primitives::ByteStream::from(#bytes.to_vec())));
        }
        if let Some(primitive) = service.primitive_of(target) {
            return self.primitive(primitive, json, at);
        }
        let Target::Shape(shape_ref) = target else {
            unreachable!("primitives are handled above")
        };
        let shape = service.shape(shape_ref);
        let path = types::shape_path(service, shape_ref);
        match (&shape.kind, json) {
            (DataKind::Enum(_), Value::String(text)) => Ok(quote!(#path::from(#text))),
            (DataKind::IntEnum(_), Value::Number(number)) => {
                let number = number.as_i64().unwrap_or_default() as i32;
                Ok(quote!(#path::from(#number)))
            }
            (DataKind::Structure(_), Value::Object(params)) => {
                self.structure(shape_ref, params, at)
            }
            (DataKind::Union(members), Value::Object(params)) => {
                let (name, value) = params
                    .iter()
                    .next()
                    .ok_or_else(|| self.error(format!("{at}: a union value needs one member")))?;
                let member = members
                    .iter()
                    .find(|member| member.name == *name)
                    .ok_or_else(|| self.error(format!("{at}.{name}: no such member")))?;
                let variant = names::variant_ident(&member.name);
                let inner = self.value(member.target, value, &format!("{at}.{name}"))?;
                let inner = if member.boxed {
                    quote!(Box::new(#inner))
                } else {
                    inner
                };
                Ok(quote!(#path::#variant(#inner)))
            }
            (DataKind::List { member, sparse }, Value::Array(items)) => {
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| {
                        self.element(member, *sparse, item, &format!("{at}[{index}]"))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(quote!(vec![#(#items),*]))
            }
            (DataKind::Map { key, value, sparse }, Value::Object(entries)) => {
                let entries = entries
                    .iter()
                    .map(|(name, item)| {
                        let key = self.value(key.target, &Value::String(name.clone()), at)?;
                        let item = self.element(value, *sparse, item, &format!("{at}.{name}"))?;
                        Ok(quote!((#key, #item)))
                    })
                    .collect::<Result<Vec<_>, Error>>()?;
                Ok(quote!(std::collections::HashMap::from([#(#entries),*])))
            }
            _ => Err(self.error(format!("{at}: `{json}` is not a value of `{}`", shape.name))),
        }
    }

    /// A list element or map value: `Some`/`None` in sparse collections.
    fn element(
        &self,
        member: &Member,
        sparse: bool,
        json: &Value,
        at: &str,
    ) -> Result<TokenStream, Error> {
        match (sparse, json) {
            (true, Value::Null) => Ok(quote!(None)),
            (true, _) => {
                let value = self.value(member.target, json, at)?;
                Ok(quote!(Some(#value)))
            }
            (false, _) => self.value(member.target, json, at),
        }
    }

    fn primitive(
        &self,
        primitive: Primitive,
        json: &Value,
        at: &str,
    ) -> Result<TokenStream, Error> {
        let mismatch = || self.error(format!("{at}: `{json}` is not a {primitive:?}"));
        Ok(match primitive {
            Primitive::String => {
                let text = json.as_str().ok_or_else(mismatch)?;
                quote!(#text.to_owned())
            }
            Primitive::Boolean => {
                let value = json.as_bool().ok_or_else(mismatch)?;
                quote!(#value)
            }
            Primitive::Byte | Primitive::Short | Primitive::Integer | Primitive::Long => {
                let value = json.as_i64().ok_or_else(mismatch)?;
                let literal = proc_macro2::Literal::i64_unsuffixed(value);
                quote!(#literal)
            }
            Primitive::Float | Primitive::Double => {
                let kind = if primitive == Primitive::Float {
                    quote!(f32)
                } else {
                    quote!(f64)
                };
                match json {
                    Value::String(text) if text == "NaN" => quote!(#kind::NAN),
                    Value::String(text) if text == "Infinity" => quote!(#kind::INFINITY),
                    Value::String(text) if text == "-Infinity" => quote!(#kind::NEG_INFINITY),
                    Value::Number(number) => {
                        let value = number.as_f64().ok_or_else(mismatch)?;
                        let literal = proc_macro2::Literal::f64_unsuffixed(value);
                        quote!(#literal as #kind)
                    }
                    _ => return Err(mismatch()),
                }
            }
            Primitive::Timestamp if json.is_string() => {
                let text = json.as_str().unwrap_or_default();
                quote!(crate::primitives::DateTime::parse(#text, crate::primitives::DateTimeFormat::DateTime).expect("a valid time"))
            }
            Primitive::Timestamp => {
                let seconds = json.as_f64().ok_or_else(mismatch)?;
                let literal = proc_macro2::Literal::f64_unsuffixed(seconds);
                quote!(crate::primitives::DateTime::from_secs_f64(#literal).expect("a valid time"))
            }
            Primitive::Blob => {
                let text = json.as_str().ok_or_else(mismatch)?;
                let bytes = proc_macro2::Literal::byte_string(text.as_bytes());
                quote!(crate::primitives::Blob::new(#bytes.to_vec()))
            }
            Primitive::BigInteger | Primitive::BigDecimal => {
                let text = match json {
                    Value::Number(number) => number.to_string(),
                    Value::String(text) => text.clone(),
                    _ => return Err(mismatch()),
                };
                let kind = types::primitive_type(primitive);
                quote!(#text.parse::<#kind>().expect("a valid number"))
            }
            Primitive::Document => document(json),
        })
    }
}

/// `("name", "value")` pairs of a case's `headers` object (none when it has none).
fn header_pairs(headers: Option<&Value>) -> Vec<TokenStream> {
    headers
        .and_then(Value::as_object)
        .map(|headers| {
            headers
                .iter()
                .map(|(name, value)| {
                    let value = value.as_str().unwrap_or_default();
                    quote!((#name, #value))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A `Document` expression of a JSON value.
fn document(json: &Value) -> TokenStream {
    let root = quote!(crate::primitives::Document);
    match json {
        Value::Null => quote!(#root::Null),
        Value::Bool(value) => quote!(#root::Bool(#value)),
        Value::Number(number) => {
            let number_type = quote!(ivschat_runtime::Number);
            if let Some(value) = number.as_u64() {
                quote!(#root::Number(#number_type::PosInt(#value)))
            } else if let Some(value) = number.as_i64() {
                quote!(#root::Number(#number_type::NegInt(#value)))
            } else {
                let value = number.as_f64().unwrap_or_default();
                quote!(#root::Number(#number_type::Float(#value)))
            }
        }
        Value::String(text) => quote!(#root::String(#text.to_owned())),
        Value::Array(items) => {
            let items = items.iter().map(document);
            quote!(#root::Array(vec![#(#items),*]))
        }
        Value::Object(entries) => {
            let entries = entries.iter().map(|(key, value)| {
                let value = document(value);
                quote!((#key.to_owned(), #value))
            });
            quote!(#root::Object(std::collections::BTreeMap::from([#(#entries),*])))
        }
    }
}

fn contains_nan(json: &Value) -> bool {
    match json {
        Value::String(text) => text == "NaN",
        Value::Array(items) => items.iter().any(contains_nan),
        Value::Object(entries) => entries.values().any(contains_nan),
        _ => false,
    }
}
