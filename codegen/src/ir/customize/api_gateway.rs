//! API Gateway: every request asks for JSON (`Accept: application/json`), or the service
//! answers some operations in another format.

use super::Customization;
use crate::error::Error;
use crate::ir::Service;
use crate::smithy::Model;

/// API Gateway's `Accept` header.
pub struct AcceptJson;

impl Customization for AcceptJson {
    fn name(&self) -> &'static str {
        "api-gateway-accept-json"
    }

    fn applies_to(&self, sdk_id: &str) -> bool {
        sdk_id == "API Gateway"
    }

    fn apply(&self, _: &Model, service: &mut Service) -> Result<(), Error> {
        service
            .customizations
            .request_headers
            .push(("accept".to_owned(), "application/json".to_owned()));
        Ok(())
    }
}
