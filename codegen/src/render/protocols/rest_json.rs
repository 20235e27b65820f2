//! restJson1: HTTP bindings, JSON bodies.

use proc_macro2::TokenStream;

use super::responses::{self, Requests};
use super::{BodyCodec, Wire};
use crate::ir::{DataShape, Member};
use crate::render::codecs::http_body::BodyFormat;
use crate::render::codecs::json::Json;
use crate::render::Context;

/// restJson1.
pub struct RestJson;

impl Wire for RestJson {
    fn codec(&self) -> &'static dyn BodyCodec {
        &Json { cbor: false }
    }

    fn role_methods(
        &self,
        context: &Context,
        shape: &DataShape,
        members: &[Member],
    ) -> TokenStream {
        responses::role_methods(
            self,
            context,
            shape,
            members,
            Requests::Http(BodyFormat::Json),
            || responses::json_body_read(self, shape, members),
        )
    }

    fn initial_response_in_stream(&self) -> bool {
        false
    }
}
