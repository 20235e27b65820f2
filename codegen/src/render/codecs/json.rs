//! The JSON body format (restJson1, awsJson) and RPC v2 CBOR's, which is read and written in
//! the JSON data model by the same shape writers and readers.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::{json_read, json_write};
use crate::ir::{DataShape, Member, Service, ShapeRef};
use crate::render::protocols::BodyCodec;
use crate::render::Context;

/// JSON bodies, or CBOR ones.
pub struct Json {
    /// The bodies are CBOR (RPC v2 CBOR).
    pub cbor: bool,
}

impl BodyCodec for Json {
    fn structure_writer(
        &self,
        context: &Context,
        shape: &DataShape,
        members: &[Member],
    ) -> TokenStream {
        json_write::structure(context, shape, members)
    }

    fn union_writer(
        &self,
        context: &Context,
        shape: &DataShape,
        members: &[Member],
    ) -> TokenStream {
        json_write::union(context, shape, members)
    }

    fn structure_reader(
        &self,
        context: &Context,
        shape: &DataShape,
        members: &[Member],
        extra_fields: TokenStream,
    ) -> TokenStream {
        json_read::structure(context, shape, members, extra_fields)
    }

    fn union_reader(
        &self,
        context: &Context,
        shape: &DataShape,
        members: &[Member],
    ) -> TokenStream {
        json_read::union(context, shape, members)
    }

    fn collection_readers(&self, service: &Service) -> BTreeSet<ShapeRef> {
        json_read::read_collections(service)
    }

    fn read_body(
        &self,
        bytes: TokenStream,
        shape_type: TokenStream,
        label: TokenStream,
    ) -> TokenStream {
        let root = quote!(&ivschat_runtime::deserialize::Path::Root(#label));
        match self.cbor {
            true => {
                quote!(ivschat_runtime::json::read::from_cbor(#bytes, #root, #shape_type::read_json))
            }
            false => {
                quote!(ivschat_runtime::json::read::from_body(#bytes, #root, #shape_type::read_json))
            }
        }
    }

    fn runtime_feature(&self) -> Option<&'static str> {
        self.cbor.then_some("cbor")
    }
}
