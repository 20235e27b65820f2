//! Signing an attempt's request, and the credentials it is signed with (from the client's
//! [`CredentialsCache`](crate::credentials::CredentialsCache)).

use http::HeaderValue;

use super::{Endpoint, Handle, SdkError};
use crate::credentials::Credentials;
use crate::sigv4::{sign_headers, SignableBody, SignableRequest, SigningParams, SigningSettings};
use crate::transport::StreamingRequest;
use crate::DateTime;

impl Handle {
    pub(super) fn sign(
        &self,
        request: &mut StreamingRequest,
        endpoint: &Endpoint,
        credentials: &Credentials,
        payload: SignableBody<'_>,
    ) -> Result<(), SdkError> {
        let unsigned_payload = matches!(payload, SignableBody::Unsigned);
        if endpoint.signing_algorithm == crate::sigv4::Algorithm::V4a && !cfg!(feature = "sigv4a") {
            return Err(SdkError::Endpoint(
                "the endpoint asks for SigV4a signing; build ivschat-runtime with its `sigv4a` feature"
                    .to_owned(),
            ));
        }
        let region = endpoint
            .signing_region
            .as_deref()
            .or(self.config.region.as_deref())
            .ok_or_else(|| {
                SdkError::Endpoint(
                    "no region: set AWS_REGION, a profile `region`, or the region in code"
                        .to_owned(),
                )
            })?;
        let service = endpoint
            .signing_name
            .as_deref()
            .unwrap_or(self.config.service.signing_name);
        let headers: Vec<(&str, &str)> = request
            .headers()
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
            .collect();
        let signable = SignableRequest {
            method: request.method().as_str(),
            path: request.uri().path(),
            query: request.uri().query().unwrap_or(""),
            headers,
            body: payload,
        };
        let params = SigningParams {
            credentials,
            region,
            service,
            time: DateTime::now(),
            settings: SigningSettings {
                payload_checksum_header: unsigned_payload,
                algorithm: endpoint.signing_algorithm,
                ..SigningSettings::default()
            },
        };
        let signature = sign_headers(&signable, &params, &self.keys);
        for (name, value) in signature.additions {
            let name = http::HeaderName::try_from(name)
                .map_err(|error| SdkError::Construction(Box::new(error)))?;
            let value = HeaderValue::try_from(value)
                .map_err(|error| SdkError::Construction(Box::new(error)))?;
            request.headers_mut().insert(name, value);
        }
        Ok(())
    }

    /// The account of the client's credentials, for endpoint rules that route by account
    /// (`AWS::Auth::AccountId`): `None` when anonymous, when the credentials do not say, or
    /// when the configuration's account-ID endpoint mode is `disabled` (then nothing is loaded).
    pub async fn account_id(&self) -> Result<Option<String>, SdkError> {
        if self.config.account_id_endpoint_mode == crate::config::AccountIdEndpointMode::Disabled {
            return Ok(None);
        }
        Ok(self
            .credentials()
            .await?
            .and_then(|credentials| credentials.account_id().map(str::to_owned)))
    }

    /// The credentials from the client's cache (see [`CredentialsCache`](crate::credentials::CredentialsCache)); `None` when
    /// anonymous.
    pub(super) async fn credentials(&self) -> Result<Option<Credentials>, SdkError> {
        let Some(cache) = &self.credentials else {
            return Ok(None);
        };
        cache
            .get()
            .await
            .map_err(SdkError::Credentials)?
            .map(Some)
            .ok_or_else(|| {
                SdkError::Credentials(crate::credentials::CredentialsError::NotFound(vec![
                    format!("{:?}", self.config.credentials),
                ]))
            })
    }
}
