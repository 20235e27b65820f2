//! The `aws.partition` table of the runtime, rendered from the partitions data (so nothing is
//! read at run time, and every generated client shares the one table).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::endpoint::partitions::{Partition, PartitionOutputs};

fn outputs(outputs: &PartitionOutputs) -> TokenStream {
    let PartitionOutputs {
        name,
        dns_suffix,
        dual_stack_dns_suffix,
        implicit_global_region,
        supports_fips,
        supports_dual_stack,
    } = outputs;
    quote! {
        crate::endpoint::PartitionOutputs {
            name: #name,
            dns_suffix: #dns_suffix,
            dual_stack_dns_suffix: #dual_stack_dns_suffix,
            supports_fips: #supports_fips,
            supports_dual_stack: #supports_dual_stack,
            implicit_global_region: #implicit_global_region,
        }
    }
}

/// The runtime's `src/endpoint/partitions.rs`.
pub fn render(partitions: &[Partition]) -> TokenStream {
    let rendered = partitions.iter().map(|partition| {
        let (id, regex) = (&partition.id, &partition.region_regex);
        let base = outputs(&partition.outputs);
        let regions = partition.regions.iter().map(|(region, region_outputs)| {
            let region_outputs = outputs(region_outputs);
            quote!((#region, #region_outputs))
        });
        quote! {
            crate::endpoint::Partition {
                id: #id,
                region_regex: #regex,
                regions: &[#(#regions),*],
                outputs: #base,
                compiled: std::sync::OnceLock::new(),
            }
        }
    });
    let count = partitions.len();
    quote! {
        //! The AWS partitions table of `aws.partition`.

        /// The AWS partitions, rendered from the partitions data `model/partitions.lock` pins.
        pub(super) static PARTITIONS: [crate::endpoint::Partition; #count] = [#(#rendered),*];
    }
}
