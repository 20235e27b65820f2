//! awsQuery and ec2Query: form-encoded requests (ec2Query with EC2's key names and flat
//! lists), XML responses (ec2Query's without a result wrapper).

use proc_macro2::TokenStream;
use quote::quote;

use super::responses;
use super::{BodyCodec, Wire};
use crate::ir::{DataShape, Member, Role};
use crate::render::codecs::xml::Xml;
use crate::render::codecs::{query_write, xml_read};
use crate::render::Context;

/// awsQuery, or ec2Query.
pub struct Query {
    pub ec2: bool,
}

impl Wire for Query {
    fn codec(&self) -> &'static dyn BodyCodec {
        &Xml {
            form_requests: true,
        }
    }

    fn initial_response_in_stream(&self) -> bool {
        false
    }

    fn role_methods(
        &self,
        context: &Context,
        shape: &DataShape,
        members: &[Member],
    ) -> TokenStream {
        role_methods(context, shape, members, self.ec2)
    }
}

/// The role methods of awsQuery and ec2Query: no HTTP bindings, bodies in XML envelopes.
fn role_methods(
    context: &Context,
    shape: &DataShape,
    members: &[Member],
    ec2: bool,
) -> TokenStream {
    let operations = &context.service.operations;
    match shape.role {
        Role::Input(index) => query_write::to_request(context, &operations[index], members),
        Role::Output(index) => xml_read::from_response(ec2, &operations[index].name),
        Role::Error { .. } if !context.service.is_operation_error(shape) => {
            responses::request_id_accessor()
        }
        Role::Error { .. } => {
            let read_error = xml_read::read_error(ec2, shape);
            let accessor = responses::request_id_accessor();
            quote!(#read_error #accessor)
        }
        Role::Plain => TokenStream::new(),
    }
}
