//! S3 Control: its operations' `@endpoint` host prefix `{AccountId}.` repeats what its endpoint
//! rules already do (they put the account in the host from the `AccountId` parameter), so the
//! prefix is dropped where the rules have that parameter, as the AWS SDKs do.

use super::Customization;
use crate::error::Error;
use crate::ir::Service;
use crate::smithy::Model;

/// The label and rule-set parameter of the account.
const ACCOUNT_ID: &str = "AccountId";

/// S3 Control's account host prefix.
pub struct AccountHost;

impl Customization for AccountHost {
    fn name(&self) -> &'static str {
        "s3-control-account-host"
    }

    fn applies_to(&self, sdk_id: &str) -> bool {
        sdk_id == "S3 Control"
    }

    fn apply(&self, _: &Model, service: &mut Service) -> Result<(), Error> {
        let rules_place_account = service
            .endpoint_rules
            .as_ref()
            .is_some_and(|rules| rules.parameter(ACCOUNT_ID).is_some());
        if !rules_place_account {
            return Ok(());
        }
        let label = format!("{{{ACCOUNT_ID}}}");
        for operation in &mut service.operations {
            if operation
                .host_prefix
                .as_deref()
                .is_some_and(|prefix| prefix.contains(&label))
            {
                operation.host_prefix = None;
            }
        }
        Ok(())
    }
}
