//! awsJson1_0 and awsJson1_1: JSON bodies POSTed to `/`, the operation named by
//! `X-Amz-Target`.

use proc_macro2::TokenStream;

use super::responses::{self, Requests};
use super::{BodyCodec, Wire};
use crate::ir::{DataShape, JsonVersion, Member};
use crate::render::codecs::json::Json;
use crate::render::Context;

/// awsJson of a version.
pub struct AwsJson(pub JsonVersion);

impl Wire for AwsJson {
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
            Requests::Rpc(Some(self.0)),
            || responses::json_body_read(self, shape, members),
        )
    }

    fn initial_response_in_stream(&self) -> bool {
        true
    }
}
