//! Machine Learning: `Predict` is sent to the endpoint its input's `PredictEndpoint` names.

use super::Customization;
use crate::error::Error;
use crate::ir::Service;
use crate::smithy::Model;

/// The endpoint named by `PredictEndpoint`.
pub struct PredictEndpoint;

impl Customization for PredictEndpoint {
    fn name(&self) -> &'static str {
        "machine-learning-predict-endpoint"
    }

    fn applies_to(&self, sdk_id: &str) -> bool {
        sdk_id == "Machine Learning"
    }

    fn apply(&self, _: &Model, service: &mut Service) -> Result<(), Error> {
        service.customizations.endpoint_member = Some("PredictEndpoint".to_owned());
        Ok(())
    }
}
