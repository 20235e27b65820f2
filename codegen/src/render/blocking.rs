//! `blocking.rs` of a generated crate: `blocking::Client`, whose fluent builders are the async
//! client's in the blocking mode: `send()` returns the answer, the thread waiting for it.

use proc_macro2::TokenStream;
use quote::quote;

use super::Context;
use crate::rust::names;

/// The blocking client and one method per operation.
pub fn render(context: &Context) -> TokenStream {
    let methods = context
        .service
        .operations
        .iter()
        .map(|operation| method(context, operation));
    quote! {
        //! A client for code that is not async: the same fluent builders, whose `send()` blocks
        //! the calling thread until the answer is read. Calls run on a current-thread Tokio
        //! runtime the client owns (no thread of its own: the calling thread drives it); any
        //! number of threads may share the client.
        //! Not for async code, where blocking is refused: use [`Client`](crate::Client) there.
        //! Paginators (`into_paginator().send()` and `.items()`) are iterators whose `next()`
        //! blocks; waiters (`wait_until_*`) block until the wait ends.

        /// A client whose calls block the calling thread.
        #[derive(Clone, Debug)]
        pub struct Client {
            client: crate::Client,
            mode: ivschat_runtime::blocking::Blocking,
        }

        impl Client {
            /// A client configured from the environment and the shared files, as
            /// [`Client::from_env`](crate::Client::from_env).
            pub fn from_env() -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
                let mode = ivschat_runtime::blocking::Blocking::new()?;
                let client = mode.block_on(crate::Client::from_env())?;
                Ok(Self { client, mode })
            }

            /// A client from settings made in code, as
            /// [`Client::from_builder`](crate::Client::from_builder).
            pub fn from_builder(builder: crate::ConfigBuilder) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
                let mode = ivschat_runtime::blocking::Blocking::new()?;
                let client = mode.block_on(async { crate::Client::from_builder(builder) })?;
                Ok(Self { client, mode })
            }

            /// The async client underneath (its calls must run on a runtime of the caller's).
            pub fn as_async(&self) -> &crate::Client {
                &self.client
            }

            #(#methods)*
        }
    }
}

/// The blocking client's method of `operation`: its fluent builder in the blocking mode.
fn method(context: &Context, operation: &crate::ir::Operation) -> TokenStream {
    let names::OperationNames {
        module: method,
        fluent,
        ..
    } = names::operation(&operation.rust_name);
    let required = super::fluent::required_count(context, operation);
    let missing = (0..required).map(|_| quote!(ivschat_runtime::typestate::Missing));
    let doc = format!(
        " Calls `{}`: set the input on the returned builder, then `send()` blocks until the answer.",
        operation.name
    );
    quote! {
        #[doc = #doc]
        pub fn #method(&self) -> crate::operation::#method::#fluent<#(#missing,)* ivschat_runtime::blocking::Blocking> {
            crate::operation::#method::#fluent::with_mode(self.client.shared_handle().clone(), self.mode.clone())
        }
    }
}
