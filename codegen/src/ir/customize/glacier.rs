//! Glacier: the API version header, `-` for the caller's account when `accountId` is unset,
//! and the SHA-256 and tree hash of uploads (the SDKs' Glacier customizations).

use super::Customization;
use crate::error::Error;
use crate::ir::Service;
use crate::smithy::Model;

/// Glacier's customizations.
pub struct Glacier;

impl Customization for Glacier {
    fn name(&self) -> &'static str {
        "glacier"
    }

    fn applies_to(&self, sdk_id: &str) -> bool {
        sdk_id == "Glacier"
    }

    fn apply(&self, _: &Model, service: &mut Service) -> Result<(), Error> {
        let version = service
            .version
            .as_deref()
            .unwrap_or("2012-06-01")
            .to_owned();
        let customizations = &mut service.customizations;
        customizations
            .request_headers
            .push(("x-amz-glacier-version".to_owned(), version));
        customizations.tree_hash_uploads = true;
        super::default_member(service, "accountId", "-");
        Ok(())
    }
}
