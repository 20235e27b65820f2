//! Which servers TLS trusts: the Mozilla roots compiled in by `webpki-roots`, plus the
//! certificates of a CA bundle (`AWS_CA_BUNDLE`, a profile's `ca_bundle`, or set in code), plus
//! the platform's own store with the `native-roots` feature.

use std::path::Path;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, TrustAnchor};

/// The largest CA bundle read, in bytes (the system bundles of Linux distributions are under
/// 300 KiB).
const MAX_BUNDLE_BYTES: u64 = 16 * 1024 * 1024;

/// The certificates of a PEM bundle; an unreadable file, one without a certificate or without
/// a usable CA, or text that is not valid PEM is an error naming the file.
pub fn read_ca_bundle(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let mut certificates = Vec::new();
    read_bundle(path, |certificate| certificates.push(certificate))?;
    Ok(certificates)
}

/// The trust anchors of a PEM bundle, made one certificate at a time as the file is read, so
/// that no copy of the bundle's certificates is held beside them; errors as
/// [`read_ca_bundle`]'s.
pub(crate) fn read_ca_bundle_anchors(path: &Path) -> Result<Vec<TrustAnchor<'static>>, String> {
    Ok(read_bundle(path, drop)?.roots)
}

/// Reads the PEM bundle at `path` into a store of its usable CA certificates, handing each
/// certificate to `keep` as well, with the checks of [`read_ca_bundle`].
fn read_bundle(
    path: &Path,
    mut keep: impl FnMut(CertificateDer<'static>),
) -> Result<rustls::RootCertStore, String> {
    let shown = path.display();
    let pem =
        crate::file::read_limited(path, MAX_BUNDLE_BYTES).map_err(|error| match error.kind() {
            std::io::ErrorKind::InvalidData => format!("the CA bundle {shown} is {error}"),
            _ => format!("cannot read the CA bundle {shown}: {error}"),
        })?;
    let mut store = rustls::RootCertStore::empty();
    let (mut found, mut skipped) = (0usize, 0usize);
    for certificate in CertificateDer::pem_slice_iter(&pem) {
        let certificate = certificate
            .map_err(|error| format!("the CA bundle {shown} is not valid PEM: {error}"))?;
        found += 1;
        // System bundles hold a few certificates webpki cannot take as roots: those are
        // skipped, as curl and the SDKs do; a bundle of none usable is an error.
        if store
            .add(CertificateDer::from(certificate.as_ref()))
            .is_err()
        {
            skipped += 1;
        }
        keep(certificate);
    }
    if found == 0 {
        return Err(format!("the CA bundle {shown} holds no PEM certificate"));
    }
    if store.is_empty() {
        return Err(format!(
            "the CA bundle {shown} holds no usable CA certificate ({skipped} skipped)"
        ));
    }
    if skipped > 0 {
        tracing::debug!(bundle = %shown, added = found - skipped, skipped, "certificates of the CA bundle skipped");
    }
    Ok(store)
}

/// The roots a client trusts: the Mozilla roots, `extra`, and with the `native-roots` feature
/// the platform's store (its unreadable or invalid entries are skipped, as browsers do).
pub fn root_store(extra: &[CertificateDer<'static>]) -> rustls::RootCertStore {
    let mut anchors = rustls::RootCertStore::empty();
    for certificate in extra {
        // Checked when the bundle was read.
        let _ = anchors.add(CertificateDer::from(certificate.as_ref()));
    }
    root_store_with(anchors.roots)
}

/// [`root_store`] with `extra` trust anchors made already (a CA bundle's).
pub(crate) fn root_store_with(extra: Vec<TrustAnchor<'static>>) -> rustls::RootCertStore {
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    roots.roots.extend(extra);
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
