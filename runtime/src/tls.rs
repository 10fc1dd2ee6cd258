//! What the TLS features add to reqwest's own set-up: the ring crypto provider
//! (`rustls-ring`) and the bundled Mozilla roots (`webpki-roots`).

/// `builder` with the TLS choices of the crate's features applied.
pub(crate) fn configure(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    #[cfg(feature = "rustls-ring")]
    {
        // Refused only when the application installed a provider already; that one then wins.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    #[cfg(all(
        feature = "webpki-roots",
        any(
            feature = "rustls",
            feature = "rustls-ring",
            feature = "rustls-no-provider",
            feature = "native-tls"
        )
    ))]
    let builder = builder.tls_certs_only(
        webpki_root_certs::TLS_SERVER_ROOT_CERTS
            .iter()
            .filter_map(|der| reqwest::Certificate::from_der(der).ok()),
    );
    builder
}
