//! The `Client` (one method per operation) and, until endpoint rules are generated, the
//! endpoint it sends to.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, Context, Options};
use crate::ir::Operation;
use crate::rust::names;

/// `src/client.rs`.
pub fn client(context: &Context, options: &Options) -> TokenStream {
    let service = context.service;
    let service_info = service_info(context, options);
    let methods = service
        .operations
        .iter()
        .map(|operation| operation_method(context, operation));
    let constructors = constructors(options);
    let accessors = accessors();
    let waiter_types = has_waiters(context.service).then(|| {
        quote!(
            pub use ivschat_runtime::waiter::{WaitError, WaitSettings};
        )
    });
    let account_mode = super::endpoint_params::routes_by_account(context.service).then(|| {
        quote!(
            pub use ivschat_runtime::config::AccountIdEndpointMode;
        )
    });
    quote! {
        //! The client: one method per operation of the service.
        pub use ivschat_runtime::config::{Config, ConfigBuilder, ConfigError, RetryMode};
        #account_mode
        #waiter_types
        pub use ivschat_runtime::credentials::Credentials;

        #service_info

        /// A client of the service. Cheap to clone: clones share configuration, connections,
        /// credentials and the retry quota.
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: std::sync::Arc<ivschat_runtime::operation::Handle>,
        }

        impl Client {
            #constructors
            #accessors

            #(#methods)*
        }
    }
}

/// The constructors of `Client`: from the environment, from a builder, from a configuration.
fn constructors(options: &Options) -> TokenStream {
    let (fresh, given) = with_chain(options, quote!(Config::builder()), quote!(builder));
    quote! {
        /// A client configured from the environment and the shared config files (region,
        /// credentials, endpoint, retries), as the AWS SDKs resolve them; on EC2 without a
        /// configured region, the instance's region from its metadata.
        pub async fn from_env() -> Result<Self, ConfigError> {
            #fresh.load(SERVICE).await.map(Self::new)
        }

        /// [`from_env`](Self::from_env) reading `env` instead of the process environment
        /// (tests, sandboxes); the shared files are those `env` points to.
        pub async fn from_env_with(env: &ivschat_runtime::env::Env) -> Result<Self, ConfigError> {
            #fresh.load_with_env(SERVICE, env).await.map(Self::new)
        }

        /// A client from settings made in code; what they leave unset comes from the
        /// environment and the shared config files. Instance metadata is not asked for a
        /// region (this is not async): [`load_from_builder`](Self::load_from_builder) does.
        pub fn from_builder(builder: ConfigBuilder) -> Result<Self, ConfigError> {
            #given.build(SERVICE).map(Self::new)
        }

        /// [`from_builder`](Self::from_builder) reading `env` instead of the process
        /// environment.
        pub fn from_builder_with(builder: ConfigBuilder, env: &ivschat_runtime::env::Env) -> Result<Self, ConfigError> {
            #given.build_with_env(SERVICE, env).map(Self::new)
        }

        /// [`from_builder`](Self::from_builder), and on EC2, when neither the settings nor
        /// the environment nor the shared files name a region, the instance's region from
        /// its metadata, as [`from_env`](Self::from_env) finds it.
        pub async fn load_from_builder(builder: ConfigBuilder) -> Result<Self, ConfigError> {
            #given.load(SERVICE).await.map(Self::new)
        }

        /// [`load_from_builder`](Self::load_from_builder) reading `env` instead of the
        /// process environment.
        pub async fn load_from_builder_with(builder: ConfigBuilder, env: &ivschat_runtime::env::Env) -> Result<Self, ConfigError> {
            #given.load_with_env(SERVICE, env).await.map(Self::new)
        }

        /// A client from a resolved configuration.
        pub fn new(config: Config) -> Self {
            Self { handle: std::sync::Arc::new(ivschat_runtime::operation::Handle::new(config)) }
        }
    }
}

/// What a `Client` tells of itself: its configuration, rate limit and clock offset, and the
/// state the blocking client shares.
fn accessors() -> TokenStream {
    quote! {
        /// The configuration in use.
        pub fn config(&self) -> &Config {
            self.handle.config()
        }

        /// Adaptive retry mode's client-side sending limit, in requests per second, once
        /// the service has throttled this client (`None` before, and in other modes).
        pub fn rate_limit(&self) -> Option<f64> {
            self.handle.rate_limit()
        }

        /// The seconds this client adds to its clock to sign with the service's time: 0
        /// until the service refuses a request for its time (the request is then sent
        /// again at the service's time, and later ones signed with it).
        pub fn clock_offset(&self) -> i64 {
            self.handle.clock_offset()
        }

        /// The state its calls share (for the blocking client's builders).
        #[allow(dead_code, reason = "used by the blocking client, which crates generated as modules lack")]
        pub(crate) fn shared_handle(&self) -> &std::sync::Arc<ivschat_runtime::operation::Handle> {
            &self.handle
        }
    }
}

/// `SERVICE`: the names the runtime signs, logs and reports with.
fn service_info(context: &Context, options: &Options) -> TokenStream {
    let sdk_id = &context.service.sdk_id;
    let signing_name = context
        .service
        .signing_name
        .clone()
        .unwrap_or_else(|| sdk_id.clone());
    let (crate_name, crate_version) = (&options.crate_name, &options.crate_version);
    quote! {
        /// What the runtime needs to know about this service.
        pub(crate) const SERVICE: ivschat_runtime::config::ServiceInfo = ivschat_runtime::config::ServiceInfo {
            sdk_id: #sdk_id,
            signing_name: #signing_name,
            crate_name: #crate_name,
            crate_version: #crate_version,
        };
    }
}

/// The client method of one operation: it makes the operation's fluent builder.
fn operation_method(context: &Context, operation: &Operation) -> TokenStream {
    let names::OperationNames { module, fluent, .. } = names::operation(&operation.rust_name);
    let method = &module;
    let mut lines = docs::doc_lines(
        operation.docs.as_deref(),
        &format!("Calls `{}`.", operation.name),
    );
    lines.push(String::new());
    lines.push(format!("Set the input on the returned [`{fluent}`](crate::operation::{module}::{fluent}), then call `send()`."));
    lines.extend(super::example::for_operation(context, operation));
    let doc = docs::outer(&lines);
    let deprecated = docs::deprecated(operation.deprecated.as_ref());
    quote! {
        #doc
        #deprecated
        pub fn #method(&self) -> crate::operation::#module::#fluent {
            crate::operation::#module::#fluent::new(self.handle.clone())
        }
    }
}

/// The builders the constructors start from: with a credentials crate, each is completed with
/// its full credential chain.
fn with_chain(
    options: &Options,
    fresh: TokenStream,
    given: TokenStream,
) -> (TokenStream, TokenStream) {
    match options.credentials_dependency {
        Some(_) => (
            quote!(ivschat_credentials::complete(#fresh)),
            quote!(ivschat_credentials::complete(#given)),
        ),
        None => (fresh, given),
    }
}

/// `src/endpoint.rs`: the configured endpoint URL, else the service's regional endpoint in the
/// `aws` partition. The model's endpoint rule set replaces this when it is generated.
pub fn endpoint(context: &Context) -> TokenStream {
    let prefix = context
        .service
        .signing_name
        .clone()
        .unwrap_or_else(|| context.service.sdk_id.to_ascii_lowercase());
    let fips_message = "FIPS and dual-stack endpoints need the endpoint rule set, which this client does not generate yet; set an endpoint URL instead";
    quote! {
        //! Where requests go.

        /// The endpoint for a configuration: the configured URL, else
        /// `https://PREFIX.REGION.amazonaws.com`.
        pub(crate) fn resolve_for(config: &ivschat_runtime::config::Config) -> Result<ivschat_runtime::operation::Endpoint, ivschat_runtime::operation::SdkError> {
            if let Some(url) = &config.endpoint_url {
                return Ok(ivschat_runtime::operation::Endpoint::url(url.clone()));
            }
            if config.use_fips || config.use_dual_stack {
                return Err(ivschat_runtime::operation::SdkError::Endpoint(#fips_message.to_owned()));
            }
            let region = config.region.as_deref().ok_or_else(|| {
                ivschat_runtime::operation::SdkError::Endpoint(ivschat_runtime::config::NO_REGION.to_owned())
            })?;
            Ok(ivschat_runtime::operation::Endpoint::url(format!("https://{}.{}.amazonaws.com", #prefix, region)))
        }
    }
}

/// True when some operation has a waiter (the crate then re-exports the waiter types).
pub fn has_waiters(service: &crate::ir::Service) -> bool {
    service
        .operations
        .iter()
        .any(|operation| !operation.waiters.is_empty())
}
