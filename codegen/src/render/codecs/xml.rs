//! The XML body format: restXml's requests and responses, and the responses of awsQuery and
//! ec2Query, whose requests are forms.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::{query_write, xml_read, xml_write};
use crate::ir::{DataShape, Member, Service, ShapeRef};
use crate::render::protocols::BodyCodec;
use crate::render::Context;

/// XML responses, and requests as XML or as forms.
pub struct Xml {
    /// Requests are forms (awsQuery, ec2Query), not XML documents.
    pub form_requests: bool,
}

impl BodyCodec for Xml {
    fn structure_writer(
        &self,
        context: &Context,
        shape: &DataShape,
        members: &[Member],
    ) -> TokenStream {
        match self.form_requests {
            true => query_write::structure(context, shape, members),
            false => xml_write::structure(context, shape, members),
        }
    }

    fn union_writer(
        &self,
        context: &Context,
        shape: &DataShape,
        members: &[Member],
    ) -> TokenStream {
        match self.form_requests {
            true => query_write::union(context, shape, members),
            false => xml_write::union(context, shape, members),
        }
    }

    fn structure_reader(
        &self,
        context: &Context,
        shape: &DataShape,
        members: &[Member],
        extra_fields: TokenStream,
    ) -> TokenStream {
        xml_read::structure(context, shape, members, extra_fields)
    }

    fn union_reader(
        &self,
        context: &Context,
        shape: &DataShape,
        members: &[Member],
    ) -> TokenStream {
        xml_read::union(context, shape, members)
    }

    fn collection_readers(&self, _service: &Service) -> BTreeSet<ShapeRef> {
        // The XML readers compose the runtime's collection readers where used.
        BTreeSet::new()
    }

    fn read_body(
        &self,
        bytes: TokenStream,
        shape_type: TokenStream,
        label: TokenStream,
    ) -> TokenStream {
        let root = quote!(&ivschat_runtime::deserialize::Path::Root(#label));
        quote!(ivschat_runtime::xml::read::document_root(
            #bytes,
            |reader, start| #shape_type::read_xml(reader, start, #root)
        ))
    }

    fn runtime_feature(&self) -> Option<&'static str> {
        Some("xml")
    }
}
