//! RPC v2 CBOR: CBOR bodies (read and written in the JSON data model) POSTed to
//! `/service/<service>/operation/<operation>`.

use proc_macro2::TokenStream;

use super::responses::{self, Requests};
use super::{BodyCodec, Wire};
use crate::ir::{DataShape, Member};
use crate::render::codecs::json::Json;
use crate::render::Context;

/// RPC v2 CBOR.
pub struct RpcV2Cbor;

impl Wire for RpcV2Cbor {
    fn codec(&self) -> &'static dyn BodyCodec {
        &Json { cbor: true }
    }

    fn role_methods(
        &self,
        context: &Context,
        shape: &DataShape,
        members: &[Member],
    ) -> TokenStream {
        responses::role_methods(self, context, shape, members, Requests::Rpc(None), || {
            responses::json_body_read(self, shape, members)
        })
    }

    fn initial_response_in_stream(&self) -> bool {
        true
    }
}
