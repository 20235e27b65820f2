//! `mock.rs` of a generated crate (feature `test-util`): `Mock`, whose `on_<operation>()`
//! rules answer a client's calls by their typed inputs, and `client()`, a client answered by
//! them with no network, signing or credentials lookup.

use proc_macro2::TokenStream;
use quote::quote;

use super::Context;
use crate::rust::{names, types};

/// The module, with a doc test that uses it as a user would.
pub fn render(context: &Context) -> TokenStream {
    let rules = context
        .service
        .operations
        .iter()
        .map(|operation| rule_method(context, operation));
    let example = doc_example(context);
    quote! {
        //! Test doubles for code that calls this client (feature `test-util`): rules answer
        //! each operation by its typed input with a typed output, a modelled error or an HTTP
        //! status, in sequence, and keep the inputs they answered. Nothing is sent: no socket,
        //! no signing, no credentials. The local emulator, where the crate has one, is the other
        //! way to test: the real protocol over loopback.
        #![doc = #example]

        pub use ivschat_runtime::mock::{block_on, Rule};

        /// The rules of a mocked client; clones share them.
        #[derive(Clone, Debug, Default)]
        pub struct Mock {
            rules: ivschat_runtime::mock::Mock,
        }

        impl Mock {
            /// No rules yet: every call fails, naming its operation and input.
            pub fn new() -> Self {
                Self::default()
            }

            /// A client answered by these rules (region `us-east-1`, test credentials that
            /// nothing checks).
            pub fn client(&self) -> crate::Client {
                let config = ivschat_runtime::config::Config::builder()
                    .region("us-east-1")
                    .credentials(ivschat_runtime::credentials::Credentials::new("AKIDMOCK", "mock", None, None))
                    .mock(self.rules.clone())
                    .build_with_env(crate::client::SERVICE, &ivschat_runtime::env::Env::from_pairs([]))
                    .expect("a fixed configuration is valid");
                crate::Client::new(config)
            }

            /// The operations called so far, in order.
            pub fn calls(&self) -> Vec<&'static str> {
                self.rules.calls()
            }

            #(#rules)*
        }
    }
}

/// `Mock::on_<operation>()`: a rule answering the operation.
fn rule_method(context: &Context, operation: &crate::ir::Operation) -> TokenStream {
    let service = context.service;
    let names::OperationNames {
        mock_rule: method,
        module,
        error,
        ..
    } = names::operation(&operation.rust_name);
    let input = types::shape_path(service, operation.input);
    let output = types::shape_path(service, operation.output);
    let name = &operation.name;
    let doc = format!(" A rule answering `{name}` (tried after the rules added before it).");
    quote! {
        #[doc = #doc]
        pub fn #method(&self) -> Rule<#input, #output, crate::operation::#module::#error> {
            self.rules.rule(#name)
        }
    }
}

/// The module's doc test, a user's test: a rule answers the first operation that has a sample
/// call with an error status, the code under test calls the client, the rule saw the call.
fn doc_example(context: &Context) -> String {
    let krate = context.options.crate_name.replace('-', "_");
    let krate = proc_macro2::Ident::new(&krate, proc_macro2::Span::call_site());
    let Some((operation, call)) = context
        .service
        .operations
        .iter()
        .find_map(|operation| Some((operation, super::example::call(context, operation)?)))
    else {
        return String::new();
    };
    let method = names::operation(&operation.rust_name).mock_rule;
    let test = quote! {
        fn test() {
            let mock = #krate::mock::Mock::new();
            let rule = mock.#method().answer_status(500, "{}");
            let client = mock.client();
            // The code under test calls the client as usual:
            let outcome = #krate::mock::block_on(#call);
            assert!(outcome.is_err());
            assert_eq!(rule.count(), 1);
        }
    };
    let code = super::example::unparse(test);
    let body: Vec<&str> = code.lines().collect();
    // The function's body, as the doc test (rustdoc wraps it in a `main` of its own).
    let inner = &body[1..body.len().saturating_sub(1)];
    let lines: Vec<String> = inner
        .iter()
        .map(|line| line.strip_prefix("    ").unwrap_or(line).to_owned())
        .collect();
    format!("\n# Example\n\n```\n{}\n```\n", lines.join("\n"))
}
