//! S3's own settings (addressing style, Transfer Acceleration, ARN regions, Multi-Region
//! Access Points, us-east-1's global endpoint): S3's endpoint rules read them through their
//! `AWS::S3::*` built-ins; other services ignore them.

use super::resolve::{ConfigError, Sources};

/// S3's settings, resolved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct S3Settings {
    /// Path-style addressing (`https://s3.REGION.amazonaws.com/BUCKET/KEY`) instead of the
    /// bucket in the host; the rules use it anyway for an IP-address endpoint and for bucket
    /// names that cannot be a host label. Off unless set in code, as in the AWS SDKs.
    pub force_path_style: bool,
    /// Transfer Acceleration endpoints (`BUCKET.s3-accelerate.amazonaws.com`). Off unless set
    /// in code.
    pub accelerate: bool,
    /// Use the region of an access point ARN rather than the client's
    /// (`AWS_S3_USE_ARN_REGION` / `s3_use_arn_region`); `None` when unset.
    pub use_arn_region: Option<bool>,
    /// Refuse Multi-Region Access Point ARNs (`AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS` /
    /// `s3_disable_multiregion_access_points`).
    pub disable_multi_region_access_points: bool,
    /// Send us-east-1 requests to the global `s3.amazonaws.com` (`legacy` in
    /// `AWS_S3_US_EAST_1_REGIONAL_ENDPOINT` / `s3_us_east_1_regional_endpoint`); the regional
    /// endpoint otherwise, the default.
    pub use_global_endpoint: bool,
}

/// S3's settings as set in code, each `None` when unset.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct S3Choices {
    pub(crate) force_path_style: Option<bool>,
    pub(crate) accelerate: Option<bool>,
    pub(crate) use_arn_region: Option<bool>,
    pub(crate) disable_multi_region_access_points: Option<bool>,
    pub(crate) use_global_endpoint: Option<bool>,
}

impl S3Settings {
    /// The settings from code, then the environment and the profile.
    pub(super) fn resolve(code: &S3Choices, sources: &Sources) -> Result<Self, ConfigError> {
        Ok(Self {
            force_path_style: code.force_path_style.unwrap_or(false),
            accelerate: code.accelerate.unwrap_or(false),
            use_arn_region: match code.use_arn_region {
                Some(enabled) => Some(enabled),
                None => sources.boolean("AWS_S3_USE_ARN_REGION", "s3_use_arn_region")?,
            },
            disable_multi_region_access_points: match code.disable_multi_region_access_points {
                Some(disabled) => disabled,
                None => sources
                    .boolean(
                        "AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS",
                        "s3_disable_multiregion_access_points",
                    )?
                    .unwrap_or(false),
            },
            use_global_endpoint: match code.use_global_endpoint {
                Some(global) => global,
                None => us_east_1_global(sources)?,
            },
        })
    }
}

/// `AWS_S3_US_EAST_1_REGIONAL_ENDPOINT` / `s3_us_east_1_regional_endpoint`: `legacy` is the
/// global endpoint, `regional` (the default) the regional one.
fn us_east_1_global(sources: &Sources) -> Result<bool, ConfigError> {
    let Some(raw) = sources.lookup(
        "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT",
        "s3_us_east_1_regional_endpoint",
    ) else {
        return Ok(false);
    };
    match raw.value.to_ascii_lowercase().as_str() {
        "legacy" => Ok(true),
        "regional" => Ok(false),
        _ => Err(ConfigError::new(format!(
            "{}: `{}` is not an S3 us-east-1 endpoint setting (legacy or regional)",
            raw.origin, raw.value
        ))),
    }
}
