//! Signing an attempt's request, and the credentials it is signed with (from the client's
//! [`CredentialsCache`](crate::credentials::CredentialsCache)).

use http::HeaderValue;

use super::{Endpoint, Handle, SdkError};
use crate::credentials::Credentials;
use crate::sigv4::{
    sign_headers, PathEncoding, SignableBody, SignableRequest, SigningParams, SigningSettings,
};
use crate::transport::StreamingRequest;

impl Handle {
    /// Signs the request's headers for `endpoint` with `credentials`; returns the hex
    /// signature (an event stream's messages are signed in a chain from it).
    pub(super) fn sign(
        &self,
        request: &mut StreamingRequest,
        endpoint: &Endpoint,
        credentials: &Credentials,
        payload: SignableBody<'_>,
    ) -> Result<String, SdkError> {
        // `UNSIGNED-PAYLOAD` and an event stream's hash are sent in `x-amz-content-sha256`.
        let payload_header = match payload {
            SignableBody::Unsigned => true,
            SignableBody::Precomputed(hash) => hash == super::EVENTS_PAYLOAD,
            SignableBody::Bytes(_) => false,
        };
        if endpoint.signing_algorithm == crate::sigv4::Algorithm::V4a && !cfg!(feature = "sigv4a") {
            return Err(SdkError::Endpoint(
                "the endpoint asks for SigV4a signing; build ivschat-runtime with its `sigv4a` feature"
                    .to_owned(),
            ));
        }
        let (region, service) = self.signing_scope(endpoint)?;
        let mut headers: Vec<(&str, &str)> = Vec::with_capacity(request.headers().len());
        headers.extend(
            request
                .headers()
                .iter()
                .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?))),
        );
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
            time: self.clock.now(),
            settings: SigningSettings {
                payload_checksum_header: payload_header || endpoint.s3_signing,
                ..signing_settings(endpoint)
            },
        };
        let signature = sign_headers(&signable, &params, &self.keys);
        let headers = request.headers_mut();
        headers.reserve(signature.additions.len());
        for (name, value) in signature.additions {
            let value = HeaderValue::try_from(value)
                .map_err(|error| SdkError::Construction(Box::new(error)))?;
            headers.insert(http::HeaderName::from_static(name), value);
        }
        Ok(signature.signature)
    }

    /// The region and service a request to `endpoint` is signed for: the endpoint's, else the
    /// client's region and the service's signing name.
    pub(super) fn signing_scope<'a>(
        &'a self,
        endpoint: &'a Endpoint,
    ) -> Result<(&'a str, &'a str), SdkError> {
        let region = endpoint
            .signing_region
            .as_deref()
            .or(self.config.region.as_deref())
            .ok_or_else(|| SdkError::Endpoint(crate::config::NO_REGION.to_owned()))?;
        let service = endpoint
            .signing_name
            .as_deref()
            .unwrap_or(self.config.service.signing_name);
        Ok((region, service))
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

/// The signing choices `endpoint` asks for: its algorithm, and S3's rules (the path as sent)
/// or the auth scheme's `disableDoubleEncoding`.
pub(super) fn signing_settings(endpoint: &Endpoint) -> SigningSettings {
    SigningSettings {
        algorithm: endpoint.signing_algorithm,
        path_encoding: match endpoint.double_encode_path && !endpoint.s3_signing {
            true => PathEncoding::Double,
            false => PathEncoding::Single,
        },
        normalize_path: !endpoint.s3_signing,
        ..SigningSettings::default()
    }
}
