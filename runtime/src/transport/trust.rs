//! Which servers TLS trusts: the Mozilla roots compiled in by `webpki-roots`, plus the
//! certificates of a CA bundle (`AWS_CA_BUNDLE`, a profile's `ca_bundle`, or set in code), plus
//! the platform's own store with the `native-roots` feature.

use std::path::Path;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;

/// The largest CA bundle read, in bytes (the system bundles of Linux distributions are under
/// 300 KiB).
const MAX_BUNDLE_BYTES: u64 = 16 * 1024 * 1024;

/// The certificates of a PEM bundle; an unreadable file, one without a certificate or without
/// a usable CA, or text that is not valid PEM is an error naming the file.
pub fn read_ca_bundle(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let shown = path.display();
    let size = std::fs::metadata(path)
        .map_err(|error| format!("cannot read the CA bundle {shown}: {error}"))?
        .len();
    if size > MAX_BUNDLE_BYTES {
        return Err(format!(
            "the CA bundle {shown} is larger than {MAX_BUNDLE_BYTES} bytes"
        ));
    }
    let pem = std::fs::read(path)
        .map_err(|error| format!("cannot read the CA bundle {shown}: {error}"))?;
    let certificates = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| format!("the CA bundle {shown} is not valid PEM: {error}"))?;
    if certificates.is_empty() {
        return Err(format!("the CA bundle {shown} holds no PEM certificate"));
    }
    // System bundles hold a few certificates webpki cannot take as roots: those are skipped,
    // as curl and the SDKs do; a bundle of none usable is an error.
    let mut check = rustls::RootCertStore::empty();
    let (added, skipped) = check.add_parsable_certificates(certificates.iter().cloned());
    if added == 0 {
        return Err(format!(
            "the CA bundle {shown} holds no usable CA certificate ({skipped} skipped)"
        ));
    }
    if skipped > 0 {
        tracing::debug!(bundle = %shown, added, skipped, "certificates of the CA bundle skipped");
    }
    Ok(certificates)
}

/// The roots a client trusts: the Mozilla roots, `extra`, and with the `native-roots` feature
/// the platform's store (its unreadable or invalid entries are skipped, as browsers do).
pub fn root_store(extra: &[CertificateDer<'static>]) -> rustls::RootCertStore {
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for certificate in extra {
        // Checked when the bundle was read.
        let _ = roots.add(certificate.clone());
    }
    #[cfg(feature = "native-roots")]
    {
        let native = rustls_native_certs::load_native_certs();
        for error in &native.errors {
            tracing::debug!(%error, "a certificate of the platform's store is skipped");
        }
        let (added, skipped) = roots.add_parsable_certificates(native.certs);
        tracing::debug!(added, skipped, "the platform's roots are trusted");
    }
    roots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_is_read_and_bad_ones_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("ca.pem");
        std::fs::write(&good, include_bytes!("../../tests/data/test-ca.pem")).unwrap();
        assert_eq!(read_ca_bundle(&good).unwrap().len(), 1);

        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "no certificate here\n").unwrap();
        let error = read_ca_bundle(&empty).unwrap_err();
        assert!(
            error.contains("empty.pem holds no PEM certificate"),
            "{error}"
        );

        let broken = dir.path().join("broken.pem");
        std::fs::write(
            &broken,
            "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        let error = read_ca_bundle(&broken).unwrap_err();
        assert!(error.contains("broken.pem is not valid PEM"), "{error}");

        let missing = dir.path().join("missing.pem");
        let error = read_ca_bundle(&missing).unwrap_err();
        assert!(error.starts_with("cannot read the CA bundle"), "{error}");
    }
}
