//! The `checksums` of an operation's request: what `@httpChecksumRequired` and
//! `@httpChecksum` (with the input's algorithm and validation-mode members) ask of the runtime.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{ChecksumAlgorithm, DataShape, Member, Operation};
use crate::rust::names;

/// `Some(Checksums { .. })` for an operation with checksum traits, else `None`.
pub fn checksums(operation: &Operation, shape: &DataShape) -> TokenStream {
    let runtime = quote!(ivschat_runtime::checksum);
    let Some(checksum) = &operation.http_checksum else {
        return if operation.checksum_required {
            quote!(Some(#runtime::Checksums::REQUIRED_MD5))
        } else {
            quote!(None)
        };
    };
    let request_algorithm = request_algorithm(
        checksum
            .request_algorithm_member
            .as_ref()
            .and_then(|member| shape.member(member)),
        shape,
    );
    let validation_mode = checksum
        .validation_mode_member
        .as_ref()
        .and_then(|member| shape.member(member));
    let response_validation = match validation_mode {
        Some(member) => {
            let field = names::field_ident(&member.name);
            quote!(self.#field.as_ref().is_some_and(|mode| mode.as_str() == "ENABLED"))
        }
        None => quote!(false),
    };
    let response_algorithms = checksum
        .response_algorithms
        .iter()
        .map(|&algorithm| algorithm_tokens(algorithm));
    let request_supported = checksum.request_algorithm_member.is_some();
    let algorithm_header = match &checksum.request_algorithm_header {
        Some(header) => {
            let header = header.to_ascii_lowercase();
            quote!(Some(#header))
        }
        None => quote!(None),
    };
    let request_required = checksum.request_required || operation.checksum_required;
    quote! {
        Some(#runtime::Checksums {
            request_algorithm: #request_algorithm,
            request_supported: #request_supported,
            request_required: #request_required,
            default_algorithm: #runtime::ChecksumAlgorithm::Crc32,
            algorithm_header: #algorithm_header,
            response_validation: #response_validation,
            response_algorithms: &[#(#response_algorithms),*],
        })
    }
}

/// The algorithm the caller chose in the input's algorithm `member` (an error naming the
/// member when the runtime does not compute it), or `None`.
fn request_algorithm(member: Option<&Member>, shape: &DataShape) -> TokenStream {
    let Some(member) = member else {
        return quote!(None);
    };
    let field = names::field_ident(&member.name);
    let at = format!("{}.{}", shape.name, member.name);
    quote! {
        match &self.#field {
            Some(value) => Some(ivschat_runtime::checksum::ChecksumAlgorithm::from_name(value.as_str()).ok_or_else(|| {
                ivschat_runtime::operation::SdkError::Construction(
                    format!("{}: `{}` is not a checksum algorithm this client computes", #at, value.as_str()).into(),
                )
            })?),
            None => None,
        }
    }
}

/// The runtime's variant of `algorithm`.
fn algorithm_tokens(algorithm: ChecksumAlgorithm) -> TokenStream {
    let variant = syn::Ident::new(
        match algorithm {
            ChecksumAlgorithm::Crc32 => "Crc32",
            ChecksumAlgorithm::Crc32c => "Crc32c",
            ChecksumAlgorithm::Crc64Nvme => "Crc64Nvme",
            ChecksumAlgorithm::Sha1 => "Sha1",
            ChecksumAlgorithm::Sha256 => "Sha256",
        },
        proc_macro2::Span::call_site(),
    );
    quote!(ivschat_runtime::checksum::ChecksumAlgorithm::#variant)
}
