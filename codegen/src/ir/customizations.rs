//! What the AWS SDKs do for a few services beyond their models (the protocol tests check
//! them): chosen by the service's SDK id.

/// A service's customizations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Customizations {
    /// Headers every request carries, e.g. Glacier's `x-amz-glacier-version`.
    pub request_headers: Vec<(String, String)>,
    /// Input members (model names) that take a value when unset or empty, e.g. Glacier's
    /// `accountId`, `-` for the caller's account.
    pub member_defaults: Vec<(String, String)>,
    /// Glacier: uploads held in memory carry their SHA-256 (`x-amz-content-sha256`) and tree
    /// hash (`x-amz-sha256-tree-hash`, unless the input sets it).
    pub tree_hash_uploads: bool,
    /// An input member (model name) that names the endpoint of its operation's requests,
    /// e.g. Machine Learning's `PredictEndpoint`.
    pub endpoint_member: Option<String>,
}

/// The customizations of the service with this SDK id (and version).
pub fn for_service(sdk_id: &str, version: Option<&str>) -> Customizations {
    match sdk_id {
        "Glacier" => Customizations {
            request_headers: vec![(
                "x-amz-glacier-version".to_owned(),
                version.unwrap_or("2012-06-01").to_owned(),
            )],
            member_defaults: vec![("accountId".to_owned(), "-".to_owned())],
            tree_hash_uploads: true,
            ..Customizations::default()
        },
        "API Gateway" => Customizations {
            request_headers: vec![("accept".to_owned(), "application/json".to_owned())],
            ..Customizations::default()
        },
        "Machine Learning" => Customizations {
            endpoint_member: Some("PredictEndpoint".to_owned()),
            ..Customizations::default()
        },
        _ => Customizations::default(),
    }
}
