//! What every protocol's `to_request` says the same way: how the request is authenticated and
//! whether it may be sent again.

use crate::ir::{Member, Operation, OperationAuth};

/// The `operation::Auth` variant of an operation.
pub fn auth_variant(auth: OperationAuth) -> syn::Ident {
    let name = match auth {
        OperationAuth::SigV4 => "SigV4",
        OperationAuth::SigV4UnsignedPayload => "SigV4UnsignedPayload",
        OperationAuth::Optional => "Optional",
        OperationAuth::None => "None",
    };
    syn::Ident::new(name, proc_macro2::Span::call_site())
}

/// True when a request is safe to send again after a failure that may have reached the
/// service.
pub fn may_resend(operation: &Operation, members: &[Member]) -> bool {
    operation.readonly
        || operation.idempotent
        || members.iter().any(|member| member.idempotency_token)
}
