//! The JSON-LD contexts built into the crate: byte-exact copies of the
//! published documents (sources, licences and digests in `contexts/SOURCE.md`).

macro_rules! bundled {
    ($( $url:literal => $path:literal, )*) => {
        /// The URLs of the contexts built in. Each means exactly the
        /// document bundled for it; a [`ContextLoader`](super::ContextLoader)
        /// cannot replace one.
        pub const BUNDLED_CONTEXTS: &[&str] = &[$($url,)*];

        /// The bundled document for `url`.
        pub(crate) fn get(url: &str) -> Option<&'static str> {
            match url {
                $( $url => Some(include_str!(concat!("../../contexts/", $path))), )*
                _ => None,
            }
        }
    };
}

bundled! {
    "https://www.w3.org/ns/credentials/v2" => "www.w3.org/ns/credentials/v2",
    "https://www.w3.org/ns/credentials/examples/v2" => "www.w3.org/ns/credentials/examples/v2",
    "https://www.w3.org/2018/credentials/v1" => "www.w3.org/2018/credentials/v1",
    "https://www.w3.org/2018/credentials/examples/v1" => "www.w3.org/2018/credentials/examples/v1",
    "https://www.w3.org/ns/credentials/status/v1" => "www.w3.org/ns/credentials/status/v1",
    "https://w3id.org/security/data-integrity/v1" => "w3id.org/security/data-integrity/v1",
    "https://w3id.org/security/data-integrity/v2" => "w3id.org/security/data-integrity/v2",
    "https://w3id.org/security/multikey/v1" => "w3id.org/security/multikey/v1",
    "https://w3id.org/security/jwk/v1" => "w3id.org/security/jwk/v1",
    "https://www.w3.org/ns/did/v1" => "www.w3.org/ns/did/v1",
    "https://passerelle.example/contexts/canada/v1" => "passerelle.example/contexts/canada/v1",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_context_is_a_context_document() {
        for url in BUNDLED_CONTEXTS {
            let text = get(url).unwrap();
            let doc: serde_json::Value = serde_json::from_str(text).unwrap();
            assert!(doc.get("@context").is_some(), "{url}");
        }
    }
}
