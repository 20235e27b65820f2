//! The codecs the protocols are made of: JSON (and RPC v2 CBOR, read and written in the JSON
//! data model) and XML readers and writers of shapes, awsQuery's form writer, and the requests
//! of the HTTP-bound and RPC protocols. Which protocol uses which is decided in
//! [`super::protocols`].

pub mod http_body;
pub mod http_request;
pub mod json;
pub mod json_read;
pub mod json_write;
pub mod query_write;
pub mod rpc_request;
pub mod xml;
pub mod xml_read;
pub mod xml_write;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::TimestampFormat;

/// The `DateTimeFormat` tokens of a timestamp member (`default` when the member sets none).
pub fn format_tokens(format: Option<TimestampFormat>, default: TimestampFormat) -> TokenStream {
    match format.unwrap_or(default) {
        TimestampFormat::DateTime => quote!(ivschat_runtime::DateTimeFormat::DateTime),
        TimestampFormat::HttpDate => quote!(ivschat_runtime::DateTimeFormat::HttpDate),
        TimestampFormat::EpochSeconds => quote!(ivschat_runtime::DateTimeFormat::EpochSeconds),
    }
}

/// The identifier `prefix` numbered by nesting `depth` (`item0`, `item1`, ...), so the
/// closures of nested lists and maps do not shadow each other.
pub fn numbered(prefix: &str, depth: usize) -> Ident {
    Ident::new(&format!("{prefix}{depth}"), Span::call_site())
}
