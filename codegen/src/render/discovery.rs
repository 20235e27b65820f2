//! Endpoint discovery: `discovered_endpoint` beside the discovery operation (it calls that
//! operation and caches the address it gives), and what a discovered operation does before and
//! after its call.

use proc_macro2::TokenStream;
use quote::quote;

use super::Context;
use crate::ir::{DataKind, Operation, Service, Target};
use crate::rust::names;

/// How the discovery operation's output gives an endpoint's address and cache period: the
/// `Address` and `CachePeriodInMinutes` of each item of its `Endpoints` list, as expressions
/// over `found` (an item); `None` when the output is not shaped so.
fn endpoint_fields(service: &Service, operation: &Operation) -> Option<(TokenStream, TokenStream)> {
    let DataKind::Structure(outputs) = &service.shape(operation.output).kind else {
        return None;
    };
    let list = outputs
        .iter()
        .find(|member| member.wire_name == "Endpoints")?;
    let Target::Shape(list_shape) = list.target else {
        return None;
    };
    let DataKind::List { member: item, .. } = &service.shape(list_shape).kind else {
        return None;
    };
    let Target::Shape(item_shape) = item.target else {
        return None;
    };
    let endpoint = service.shape(item_shape);
    let DataKind::Structure(fields) = &endpoint.kind else {
        return None;
    };
    let field = |name: &str| fields.iter().find(|field| field.wire_name == name);
    let (address, minutes) = (field("Address")?, field("CachePeriodInMinutes")?);
    let address_value = if endpoint.is_plain(address) {
        quote!(Some(found.address()))
    } else {
        quote!(found.address())
    };
    let minutes_value = if endpoint.is_plain(minutes) {
        quote!(found.cache_period_in_minutes())
    } else {
        quote!(found.cache_period_in_minutes().unwrap_or(0))
    };
    Some((address_value, minutes_value))
}

/// `discovered_endpoint`, rendered in the module of the service's discovery operation.
pub fn discovered_endpoint(context: &Context, operation: &Operation) -> Option<TokenStream> {
    let service = context.service;
    let discovery = service.endpoint_discovery.as_ref()?;
    if service.operations[discovery.operation].id != operation.id {
        return None;
    }
    let (address_value, minutes_value) = endpoint_fields(service, operation)?;
    let input = names::type_ident(&service.shape(operation.input).name);
    let op = &operation.name;
    let none = format!("{op} gave no endpoint");
    let failed = format!("endpoint discovery ({op}) failed");
    Some(quote! {
        /// The endpoint of an operation sent to a discovered endpoint: the resolved one when
        /// discovery is off (`endpoint_url` set, or the operation can do without and
        /// discovery is not enabled), else the address this operation gives, cached for the
        /// period it says. A failed discovery fails an operation that requires it; one that
        /// does not goes to the resolved endpoint.
        pub(crate) async fn discovered_endpoint(handle: &ivschat_runtime::operation::Handle, resolved: Result<ivschat_runtime::operation::Endpoint, ivschat_runtime::operation::SdkError>, required: bool) -> Result<ivschat_runtime::operation::Endpoint, ivschat_runtime::operation::SdkError> {
            let resolved = resolved?;
            let config = handle.config();
            if config.endpoint_url.is_some() || !config.endpoint_discovery.unwrap_or(required) {
                return Ok(resolved);
            }
            let cache = handle.discovered_endpoints();
            if let Some(address) = cache.get() {
                return Ok(resolved.with_address(&address));
            }
            let found = match send_input(handle, #input::builder()).await {
                Ok(output) => output.endpoints().first().and_then(|found| Some((#address_value?.to_owned(), #minutes_value))),
                Err(error) if required => {
                    return Err(ivschat_runtime::operation::SdkError::Endpoint(format!("{}: {error}", #failed)));
                }
                Err(_) => None,
            };
            match found {
                Some((address, minutes)) => {
                    cache.remember(&address, minutes)?;
                    Ok(resolved.with_address(&address))
                }
                None if required => Err(ivschat_runtime::operation::SdkError::Endpoint(#none.to_owned())),
                None => Ok(resolved),
            }
        }
    })
}

/// The endpoint expression of a discovered operation's call (`resolved` otherwise).
pub fn endpoint(context: &Context, operation: &Operation, resolved: TokenStream) -> TokenStream {
    let service = context.service;
    let (Some(discovery), Some(required)) =
        (&service.endpoint_discovery, operation.discovered_endpoint)
    else {
        return resolved;
    };
    let module = names::operation(&service.operations[discovery.operation].rust_name).module;
    quote!(crate::operation::#module::discovered_endpoint(handle, #resolved, #required).await)
}

/// After a discovered operation's call: an error saying the endpoint is invalid drops the
/// cached address, so the next call discovers again.
pub fn after_call(context: &Context, operation: &Operation) -> Option<TokenStream> {
    let discovery = context.service.endpoint_discovery.as_ref()?;
    operation.discovered_endpoint?;
    let code = discovery.invalid_endpoint_code.as_deref()?;
    Some(quote! {
        if matches!(&outcome, Err(error) if error.code() == Some(#code)) {
            handle.discovered_endpoints().forget();
        }
    })
}
