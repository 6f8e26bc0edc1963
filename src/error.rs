//! One error type with stable codes and English/French messages.
//!
//! Codes are the contract between the library, the CLI, the WASM API and the
//! test vectors: they are never renamed. The table in the crate docs
//! (`docs/error-codes.md`) lists every one of them.

use std::fmt;

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident $(if $feature:literal)? => $code:literal, $en:literal, $fr:literal; )*) => {
        /// A stable, machine-readable error code.
        ///
        /// `code.as_str()` is the string used in reports, the CLI and test
        /// vectors (for example `PROOF_SIGNATURE_INVALID`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[$doc])* $(#[cfg(feature = $feature)])? $variant, )*
        }

        impl ErrorCode {
            /// Every code, in table order.
            pub const ALL: &'static [ErrorCode] = &[$( $(#[cfg(feature = $feature)])? ErrorCode::$variant, )*];

            /// The stable string form, e.g. `"PROOF_SIGNATURE_INVALID"`.
            pub fn as_str(self) -> &'static str {
                match self { $( $(#[cfg(feature = $feature)])? ErrorCode::$variant => $code, )* }
            }

            /// A short explanation for a person, in the given language.
            pub fn message(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $( $(#[cfg(feature = $feature)])? (ErrorCode::$variant, Lang::En) => $en,
                       $(#[cfg(feature = $feature)])? (ErrorCode::$variant, Lang::Fr) => $fr, )*
                }
            }

            /// Parses the stable string form back into a code.
            pub fn from_code(code: &str) -> Option<ErrorCode> {
                // A search of the table rather than a `match` on strings:
                // the same answer in a fifth of the WebAssembly code.
                ErrorCode::ALL.iter().copied().find(|known| known.as_str() == code)
            }
        }
    };
}

codes! {
    /// The input is larger than the configured size limit.
    InputTooLarge => "INPUT_TOO_LARGE",
        "The input is larger than the allowed size.",
        "L’entrée dépasse la taille permise.";
    /// The input nests objects/arrays deeper than the configured limit.
    InputTooDeep => "INPUT_TOO_DEEP",
        "The input is nested more deeply than allowed.",
        "L’entrée est imbriquée plus profondément que permis.";
    /// The input is not well-formed JSON (or not UTF-8).
    JsonMalformed => "JSON_MALFORMED",
        "The input is not well-formed JSON.",
        "L’entrée n’est pas du JSON bien formé.";
    /// A JSON object has the same key twice.
    JsonDuplicateKey => "JSON_DUPLICATE_KEY",
        "A JSON object repeats the same property name.",
        "Un objet JSON répète le même nom de propriété.";
    /// The document is JSON but not an object, or a value has the wrong JSON type.
    JsonNotObject => "JSON_NOT_OBJECT",
        "The document must be a JSON object.",
        "Le document doit être un objet JSON.";
    /// A number cannot be represented for canonicalization (RFC 8785 needs IEEE-754 doubles).
    JsonNumberInvalid => "JSON_NUMBER_INVALID",
        "A number has no exact canonical form (an integer a double cannot hold exactly, NaN or infinity).",
        "Un nombre n’a pas de forme canonique exacte (entier qu’un double ne représente pas exactement, NaN ou infini).";
    /// `@context` is missing or does not start with the VC base context.
    ContextInvalid => "CONTEXT_INVALID",
        "The @context is missing or does not start with the Verifiable Credentials context.",
        "Le @context est absent ou ne commence pas par le contexte des attestations vérifiables.";
    /// An `@context` object of the document redefines a term the VC 2.0 context protects.
    ProtectedTermRedefined => "PROTECTED_TERM_REDEFINED",
        "The document's @context redefines a term the Verifiable Credentials context protects.",
        "Le @context du document redéfinit un terme que le contexte des attestations vérifiables protège.";
    /// `type` is missing or lacks `VerifiableCredential` / `VerifiablePresentation`.
    TypeInvalid => "TYPE_INVALID",
        "The type is missing or does not include the required base type.",
        "Le type est absent ou n’inclut pas le type de base requis.";
    /// `issuer` is missing, or is neither a URL nor an object with a URL `id`.
    IssuerInvalid => "ISSUER_INVALID",
        "The issuer is missing or is not a URL or an object with an id.",
        "L’émetteur est absent ou n’est ni une URL ni un objet muni d’un id.";
    /// `credentialSubject` is missing or empty, or one of its objects is empty.
    SubjectMissing => "SUBJECT_MISSING",
        "The credential has no credentialSubject, or one that makes no claim.",
        "L’attestation n’a pas de credentialSubject, ou en a un qui n’affirme rien.";
    /// A date-time value is not a valid XML Schema dateTimeStamp.
    DateInvalid => "DATE_INVALID",
        "A date is not a valid date-time with a time zone, or uses a term of another data model version.",
        "Une date n’est pas une date-heure valide avec un fuseau horaire, ou utilise un terme d’une autre version du modèle de données.";
    /// `validUntil` is before `validFrom`.
    ValidityRangeInvalid => "VALIDITY_RANGE_INVALID",
        "The validity period ends before it starts.",
        "La période de validité se termine avant de commencer.";
    /// An `id` is not a URL.
    IdInvalid => "ID_INVALID",
        "An id is not a URL.",
        "Un id n’est pas une URL.";
    /// A language value object (`@value`, `@language`, `@direction`) is malformed.
    LanguageValueInvalid => "LANGUAGE_VALUE_INVALID",
        "A name or description is not a well-formed language value.",
        "Un nom ou une description n’est pas une valeur linguistique bien formée.";
    /// A property has a value the data model does not allow.
    PropertyInvalid => "PROPERTY_INVALID",
        "A property has a value the data model does not allow.",
        "Une propriété a une valeur que le modèle de données ne permet pas.";
    /// The document has no `proof`.
    ProofMissing => "PROOF_MISSING",
        "The document has no proof.",
        "Le document n’a pas de preuve.";
    /// The proof lacks a required property or has one of the wrong form.
    ProofMalformed => "PROOF_MALFORMED",
        "The proof is missing a required property or has a malformed one.",
        "La preuve n’a pas une propriété requise ou en a une mal formée.";
    /// The proof `type`/`cryptosuite` is not one this library implements.
    CryptosuiteUnsupported => "CRYPTOSUITE_UNSUPPORTED",
        "The proof uses a cryptographic suite this verifier does not support.",
        "La preuve utilise une suite cryptographique que ce vérificateur ne prend pas en charge.";
    /// The cryptosuite is implemented but the verifier's options exclude it.
    CryptosuiteNotAccepted => "CRYPTOSUITE_NOT_ACCEPTED",
        "The proof uses a cryptographic suite the verifier chose not to accept.",
        "La preuve utilise une suite cryptographique que le vérificateur a choisi de refuser.";
    /// `proofValue` is not a base58btc multibase string of the right length.
    ProofValueInvalid => "PROOF_VALUE_INVALID",
        "The proof value is not correctly encoded.",
        "La valeur de la preuve n’est pas correctement encodée.";
    /// The signature does not match the document and key.
    ProofSignatureInvalid => "PROOF_SIGNATURE_INVALID",
        "The signature does not match: the document was changed or signed with another key.",
        "La signature ne correspond pas : le document a été modifié ou signé avec une autre clé.";
    /// The proof's `@context` is not a prefix of the document's `@context`.
    ProofContextMismatch => "PROOF_CONTEXT_MISMATCH",
        "The proof’s @context does not match the document’s.",
        "Le @context de la preuve ne correspond pas à celui du document.";
    /// The proof purpose is not the one expected (`assertionMethod`, `authentication`).
    ProofPurposeMismatch => "PROOF_PURPOSE_MISMATCH",
        "The proof was made for another purpose.",
        "La preuve a été faite pour un autre usage.";
    /// The proof's `expires` time has passed.
    ProofExpired => "PROOF_EXPIRED",
        "The proof has expired.",
        "La preuve est expirée.";
    /// The proof's `created` time is after the verification time.
    ProofCreatedInFuture => "PROOF_CREATED_IN_FUTURE",
        "The proof was created after the time of verification.",
        "La preuve a été créée après le moment de la vérification.";
    /// The proof's `challenge` is not the one the verifier expects.
    ChallengeMismatch => "CHALLENGE_MISMATCH",
        "The proof’s challenge is not the one expected.",
        "Le défi de la preuve n’est pas celui attendu.";
    /// The proof's `domain` is not the one the verifier expects.
    DomainMismatch => "DOMAIN_MISMATCH",
        "The proof’s domain is not the one expected.",
        "Le domaine de la preuve n’est pas celui attendu.";
    /// No longer raised: proof chains (`previousProof`) are verified. Kept
    /// because codes are never removed or renamed.
    ProofChainUnsupported => "PROOF_CHAIN_UNSUPPORTED",
        "Proof chains are not supported.",
        "Les chaînes de preuves ne sont pas prises en charge.";
    /// A proof's `previousProof` names an `id` that no proof of the set has.
    ProofReferenceDangling => "PROOF_REFERENCE_DANGLING",
        "A proof refers to an earlier proof that the document does not contain.",
        "Une preuve renvoie à une preuve antérieure que le document ne contient pas.";
    /// Two proofs of a set have the same `id`, so a reference to it is ambiguous.
    ProofIdDuplicate => "PROOF_ID_DUPLICATE",
        "Two proofs of the document have the same id.",
        "Deux preuves du document ont le même id.";
    /// Following `previousProof` references comes back to a proof already followed.
    ProofChainCycle => "PROOF_CHAIN_CYCLE",
        "The proofs’ previousProof references form a cycle.",
        "Les références previousProof des preuves forment un cycle.";
    /// The proof is an `ecdsa-sd-2023` base proof: meant for the holder,
    /// who derives a proof from it to present.
    DerivedProofRequired if "ecdsa-sd" => "DERIVED_PROOF_REQUIRED",
        "This is the issuer’s copy for the holder: the holder must present a derived proof that shows the chosen claims.",
        "Ceci est l’exemplaire de l’émetteur destiné au titulaire : le titulaire doit présenter une preuve dérivée qui montre les revendications choisies.";
    /// An `ecdsa-sd-2023` derived proof shows, as chosen by the holder, a
    /// statement outside the credential subjects: its issuer let holders
    /// leave out statements like it (status, validity), so none is relied on.
    DisclosureNotMandatory if "ecdsa-sd" => "DISCLOSURE_NOT_MANDATORY",
        "The issuer let the holder choose whether to show facts about the credential itself (such as its status or validity), so they cannot be relied on.",
        "L’émetteur a laissé le titulaire choisir de montrer ou non des faits sur l’attestation elle-même (comme son statut ou sa validité) : on ne peut donc pas s’y fier.";
    /// A JSON pointer given to choose what to disclose names nothing in the
    /// credential, or is not a JSON pointer (RFC 6901).
    PointerInvalid if "ecdsa-sd" => "POINTER_INVALID",
        "A path given to choose what to disclose names nothing in the credential.",
        "Un chemin donné pour choisir quoi divulguer ne désigne rien dans l’attestation.";
    /// The document already carries a proof and cannot be signed again as is.
    ProofAlreadyPresent => "PROOF_ALREADY_PRESENT",
        "The document already has a proof.",
        "Le document a déjà une preuve.";
    /// A JSON-LD context is neither bundled nor supplied by a context loader (it is never fetched).
    ContextUnknown => "CONTEXT_UNKNOWN",
        "A JSON-LD context of the document is not known here (contexts are never fetched).",
        "Un contexte JSON-LD du document est inconnu ici (les contextes ne sont jamais téléchargés).";
    /// A property, type or identifier does not expand to an absolute IRI (JSON-LD safe mode).
    TermUndefined => "TERM_UNDEFINED",
        "A property or type is not defined by the document's JSON-LD contexts.",
        "Une propriété ou un type n’est pas défini par les contextes JSON-LD du document.";
    /// The document or a context is not valid JSON-LD, or uses a JSON-LD feature passerelle does not implement.
    JsonLdInvalid => "JSONLD_INVALID",
        "The document or one of its contexts is not valid JSON-LD, or uses an unsupported JSON-LD feature.",
        "Le document ou l’un de ses contextes n’est pas du JSON-LD valide, ou utilise une fonction JSON-LD non prise en charge.";
    /// With a JSON-LD (`*-rdfc-*`) suite, a property the verifier reads is
    /// written so that the signed dataset says something else: an IRI or
    /// keyword in place of its term, a value object, a term the contexts map
    /// elsewhere.
    SignedFormMismatch => "SIGNED_FORM_MISMATCH",
        "A property the verifier reads is not written in the form that was signed (JSON-LD IRI, keyword or value object in place of its term).",
        "Une propriété lue par le vérificateur n’est pas écrite sous la forme signée (IRI, mot-clé ou objet valeur JSON-LD au lieu de son terme).";
    /// N-Quads input (RDF) is not well-formed.
    NquadsMalformed => "NQUADS_MALFORMED",
        "The N-Quads input is not well-formed.",
        "L’entrée N-Quads n’est pas bien formée.";
    /// RDF canonicalization needed more work than allowed: a dataset built
    /// to exhaust the verifier (RDFC-1.0 §8, "poison" datasets).
    CanonicalizationLimit => "CANONICALIZATION_LIMIT",
        "Canonicalizing the document needed more work than allowed.",
        "La canonisation du document demandait plus de travail que permis.";
    /// A JWT is not a well-formed compact JWS (three base64url parts,
    /// JSON header and payload).
    JoseMalformed => "JOSE_MALFORMED",
        "The JWT is not a well-formed compact JWS.",
        "Le JWT n’est pas un JWS compact bien formé.";
    /// The JWT's `alg` is not one this verifier accepts (`none`, HMAC, RSA…),
    /// or does not fit the key.
    JoseAlgorithmUnsupported => "JOSE_ALGORITHM_UNSUPPORTED",
        "The JWT’s signature algorithm is not accepted for this key.",
        "L’algorithme de signature du JWT n’est pas accepté pour cette clé.";
    /// The JWT header has a `typ`, `cty`, `crit` or `b64` this verifier does not
    /// accept, or lacks its `kid`.
    JoseHeaderInvalid => "JOSE_HEADER_INVALID",
        "The JWT header has a type, key id or critical parameter this verifier does not accept.",
        "L’en-tête du JWT a un type, un identifiant de clé ou un paramètre critique que ce vérificateur n’accepte pas.";
    /// The JWT claims conflict with the credential (`vc`/`vp` claims, an `iss`
    /// that is not the issuer).
    JoseClaimsInvalid => "JOSE_CLAIMS_INVALID",
        "The JWT claims conflict with the credential they secure.",
        "Les revendications du JWT contredisent l’attestation qu’elles protègent.";
    /// The input is not a well-formed COSE_Sign1 with an attached JSON
    /// payload (RFC 9052 §4.2).
    CoseMalformed if "cose" => "COSE_MALFORMED",
        "The COSE-signed credential is not well-formed.",
        "L’attestation signée en COSE est mal formée.";
    /// The COSE header has an algorithm, type, key id or critical parameter
    /// this verifier does not accept, or something outside the protected header.
    CoseHeaderInvalid if "cose" => "COSE_HEADER_INVALID",
        "The COSE header has an algorithm, type, key id or parameter this verifier does not accept.",
        "L’en-tête COSE a un algorithme, un type, un identifiant de clé ou un paramètre que ce vérificateur n’accepte pas.";
    /// An SD-JWT is not an Issuer-signed JWT followed by `~`-separated
    /// Disclosures and an optional Key Binding JWT (RFC 9901 §4).
    SdJwtMalformed if "sd-jwt" => "SD_JWT_MALFORMED",
        "The selective-disclosure token (SD-JWT) is not well-formed.",
        "Le jeton à divulgation sélective (SD-JWT) est mal formé.";
    /// A Disclosure is not the base64url of a JSON array of a salt and a
    /// value, or a salt, claim name and value (RFC 9901 §4.2), or names `_sd` or `...`.
    SdJwtDisclosureInvalid if "sd-jwt" => "SD_JWT_DISCLOSURE_INVALID",
        "A disclosed claim is not well-formed.",
        "Une revendication divulguée est mal formée.";
    /// A digest appears more than once in the SD-JWT, or a Disclosure is sent twice (RFC 9901 §7.1 step 4).
    SdJwtDigestReused if "sd-jwt" => "SD_JWT_DIGEST_REUSED",
        "A disclosure digest appears more than once.",
        "Une empreinte de divulgation apparaît plus d’une fois.";
    /// A Disclosure matches no digest of the Issuer-signed JWT, directly or
    /// through other Disclosures (RFC 9901 §7.1 step 5).
    SdJwtDisclosureUnreferenced if "sd-jwt" => "SD_JWT_DISCLOSURE_UNREFERENCED",
        "A disclosed claim was not signed by the issuer.",
        "Une revendication divulguée n’a pas été signée par l’émetteur.";
    /// A disclosed claim would replace a claim already present at its level (RFC 9901 §7.1 step 3.3.2.3).
    SdJwtClaimConflict if "sd-jwt" => "SD_JWT_CLAIM_CONFLICT",
        "A disclosed claim would overwrite a claim the issuer wrote.",
        "Une revendication divulguée remplacerait une revendication écrite par l’émetteur.";
    /// `_sd` or `...` is used other than to carry digests, or `_sd_alg`
    /// below the top level (RFC 9901 §4.1); or a digest where a profile
    /// allows none (a credential's own properties, a `vp+sd-jwt`).
    SdJwtPayloadInvalid if "sd-jwt" => "SD_JWT_PAYLOAD_INVALID",
        "The signed part of the SD-JWT uses the reserved names _sd, ... or _sd_alg wrongly, or makes disclosable what may not be.",
        "La partie signée du SD-JWT emploie mal les noms réservés _sd, ... ou _sd_alg, ou rend divulgable ce qui ne peut l’être.";
    /// `_sd_alg` names a hash this verifier does not implement (only `sha-256`).
    SdJwtHashUnsupported if "sd-jwt" => "SD_JWT_HASH_UNSUPPORTED",
        "The disclosure digests use a hash algorithm this verifier does not accept.",
        "Les empreintes de divulgation emploient un algorithme de hachage que ce vérificateur n’accepte pas.";
    /// A claim the verifier asked for (`required_claims`) is not in the
    /// credential as presented: not disclosed, or never issued.
    RequiredClaimMissing if "sd-jwt" => "REQUIRED_CLAIM_MISSING",
        "A claim the verifier asked for is not in the credential as presented.",
        "Une revendication demandée par le vérificateur ne figure pas dans l’attestation présentée.";
    /// A JSON pointer given to issue or present an SD-JWT names no claim of it.
    SdJwtClaimNotFound if "sd-jwt" => "SD_JWT_CLAIM_NOT_FOUND",
        "The credential has no claim at the path given.",
        "L’attestation n’a pas de revendication au chemin donné.";
    /// The credential is bound to its holder's key (`cnf`) and the verifier
    /// gave no challenge and domain to check the holder's proof against.
    KeyBindingRequestMissing if "sd-jwt" => "KEY_BINDING_REQUEST_MISSING",
        "The credential is bound to its holder: check it against a request (a challenge and a domain).",
        "L’attestation est liée à son titulaire : vérifiez-la par rapport à une demande (un défi et un domaine).";
    /// Key binding is required (the verifier asks for it, or the SD-JWT
    /// names a holder key in `cnf`) and no Key Binding JWT was presented.
    KeyBindingMissing if "sd-jwt" => "KEY_BINDING_MISSING",
        "The holder did not prove possession of the credential’s key.",
        "Le titulaire n’a pas prouvé qu’il détient la clé de l’attestation.";
    /// The Key Binding JWT is not one (`typ` `kb+jwt`, `iat`, `aud`,
    /// `nonce`, `sd_hash`), or the SD-JWT names no holder key it can be checked with.
    KeyBindingInvalid if "sd-jwt" => "KEY_BINDING_INVALID",
        "The holder’s proof of possession is not well-formed.",
        "La preuve de possession du titulaire est mal formée.";
    /// The Key Binding JWT's signature is not the holder key's (`cnf`).
    KeyBindingSignatureInvalid if "sd-jwt" => "KEY_BINDING_SIGNATURE_INVALID",
        "The holder’s proof of possession is not signed with the credential’s key.",
        "La preuve de possession du titulaire n’est pas signée avec la clé de l’attestation.";
    /// The Key Binding JWT's `nonce` is not the verifier's.
    KeyBindingNonceMismatch if "sd-jwt" => "KEY_BINDING_NONCE_MISMATCH",
        "The holder’s proof was made for another request (nonce).",
        "La preuve du titulaire a été faite pour une autre demande (nonce).";
    /// The Key Binding JWT's `aud` is not the verifier's.
    KeyBindingAudienceMismatch if "sd-jwt" => "KEY_BINDING_AUDIENCE_MISMATCH",
        "The holder’s proof was made for another verifier (audience).",
        "La preuve du titulaire a été faite pour un autre vérificateur (audience).";
    /// The Key Binding JWT's `sd_hash` is not the digest of what was presented.
    KeyBindingHashMismatch if "sd-jwt" => "KEY_BINDING_HASH_MISMATCH",
        "The holder’s proof does not cover the claims presented.",
        "La preuve du titulaire ne couvre pas les revendications présentées.";
    /// The Key Binding JWT's `iat` is in the future or older than the verifier accepts.
    KeyBindingTimeInvalid if "sd-jwt" => "KEY_BINDING_TIME_INVALID",
        "The holder’s proof was not made within the accepted time window.",
        "La preuve du titulaire n’a pas été faite dans le délai accepté.";
    /// A DID or DID URL, or a controller's https URL, is malformed.
    DidInvalid => "DID_INVALID",
        "An identifier (a DID or URL) is malformed.",
        "Un identifiant (DID ou URL) est mal formé.";
    /// A DID URL is malformed (path, query or fragment), or has a path or
    /// query its DID method does not define (`did:key`, `did:jwk`).
    DidUrlInvalid => "DID_URL_INVALID",
        "A DID URL is malformed, or has a path or query its DID method does not define.",
        "Une URL DID est mal formée, ou a un chemin ou une requête que sa méthode DID ne définit pas.";
    /// The DID's method is not one this resolver implements.
    DidMethodUnsupported => "DID_METHOD_UNSUPPORTED",
        "This DID method is not supported.",
        "Cette méthode DID n’est pas prise en charge.";
    /// A `did:key` holds a key of the wrong length for its multicodec key type.
    DidKeyLengthInvalid => "DID_KEY_LENGTH_INVALID",
        "The public key in the DID has the wrong length for its key type.",
        "La clé publique du DID n’a pas la longueur de son type de clé.";
    /// The public key format asked of a `did:key` resolution is not one this resolver knows.
    PublicKeyFormatUnsupported => "PUBLIC_KEY_FORMAT_UNSUPPORTED",
        "The requested public key format is not known.",
        "Le format de clé publique demandé est inconnu.";
    /// The key cannot be expressed in the public key format asked (or the
    /// format is experimental and experimental formats were not enabled).
    PublicKeyFormatInvalid => "PUBLIC_KEY_FORMAT_INVALID",
        "The key cannot be expressed in the requested public key format, or that format is not enabled.",
        "La clé ne peut pas être exprimée dans le format de clé publique demandé, ou ce format n’est pas activé.";
    /// The resolver has no DID document for this DID.
    DidNotFound => "DID_NOT_FOUND",
        "The DID could not be resolved.",
        "Le DID n’a pas pu être résolu.";
    /// A `did:webvh` log is broken: SCID, entry hash, proof, key, version or time.
    DidLogInvalid => "DID_LOG_INVALID",
        "The DID’s history log is invalid or has been tampered with.",
        "Le journal d’historique du DID est invalide ou a été altéré.";
    /// The DID was deactivated by its controller: it has no keys to verify with.
    DidDeactivated => "DID_DEACTIVATED",
        "The DID has been deactivated by its controller.",
        "Le DID a été désactivé par son contrôleur.";
    /// The DID document is not a conforming document (or its `id` differs from the DID).
    DidDocumentInvalid => "DID_DOCUMENT_INVALID",
        "The DID document is invalid.",
        "Le document DID est invalide.";
    /// The verification method is not in the controller's document.
    VerificationMethodNotFound => "VERIFICATION_METHOD_NOT_FOUND",
        "The signing key is not in its controller’s DID document.",
        "La clé de signature ne figure pas dans le document DID de son contrôleur.";
    /// The verification method is not listed for the proof's purpose.
    VerificationMethodNotAuthorized => "VERIFICATION_METHOD_NOT_AUTHORIZED",
        "The signing key is not authorized for this purpose in the DID document.",
        "La clé de signature n’est pas autorisée pour cet usage dans le document DID.";
    /// The key's controller is not the credential's issuer (or the presentation's holder).
    KeyControllerMismatch => "KEY_CONTROLLER_MISMATCH",
        "The signing key is not controlled by the issuer (or holder).",
        "La clé de signature n’est pas contrôlée par l’émetteur (ou le détenteur).";
    /// Key material is malformed.
    KeyInvalid => "KEY_INVALID",
        "The key is malformed.",
        "La clé est mal formée.";
    /// The key type does not fit the cryptosuite, or is not supported.
    KeyTypeUnsupported => "KEY_TYPE_UNSUPPORTED",
        "The key type is not supported for this proof.",
        "Le type de clé n’est pas pris en charge pour cette preuve.";
    /// The signer failed (for example an HSM or KMS error).
    SigningFailed => "SIGNING_FAILED",
        "The signature could not be produced.",
        "La signature n’a pas pu être produite.";
    /// The operating system's random number generator failed.
    RandomnessUnavailable => "RANDOMNESS_UNAVAILABLE",
        "No secure randomness is available.",
        "Aucune source aléatoire sûre n’est disponible.";
    /// The credential's `validFrom` (or `issuanceDate`) is after the verification time.
    CredentialNotYetValid => "CREDENTIAL_NOT_YET_VALID",
        "The credential is not valid yet.",
        "L’attestation n’est pas encore valide.";
    /// The credential's `validUntil` (or `expirationDate`) is before the verification time.
    CredentialExpired => "CREDENTIAL_EXPIRED",
        "The credential has expired.",
        "L’attestation est expirée.";
    /// A credential inside a presentation failed verification.
    PresentationCredentialInvalid => "PRESENTATION_CREDENTIAL_INVALID",
        "A credential in the presentation did not verify.",
        "Une attestation de la présentation n’a pas été vérifiée.";
    /// No trusted registry authorizes the issuer for any of the credential's types.
    IssuerNotAuthorized => "ISSUER_NOT_AUTHORIZED",
        "No trusted registry authorizes this issuer to issue this kind of credential.",
        "Aucun registre de confiance n’autorise cet émetteur à délivrer ce type d’attestation.";
    /// The issuer's authorization started after the credential was issued.
    AuthorizationNotYetValid => "AUTHORIZATION_NOT_YET_VALID",
        "The issuer was not yet authorized when the credential was issued.",
        "L’émetteur n’était pas encore autorisé lorsque l’attestation a été délivrée.";
    /// The issuer's authorization had ended when the credential was issued.
    AuthorizationExpired => "AUTHORIZATION_EXPIRED",
        "The issuer’s authorization had ended when the credential was issued.",
        "L’autorisation de l’émetteur avait pris fin lorsque l’attestation a été délivrée.";
    /// The issuer's authorization is suspended.
    AuthorizationSuspended => "AUTHORIZATION_SUSPENDED",
        "The issuer’s authorization is suspended.",
        "L’autorisation de l’émetteur est suspendue.";
    /// The issuer's authorization is revoked.
    AuthorizationRevoked => "AUTHORIZATION_REVOKED",
        "The issuer’s authorization is revoked.",
        "L’autorisation de l’émetteur est révoquée.";
    /// The issuer is authorized only by registries no trust anchor recognizes.
    RegistryNotRecognized => "REGISTRY_NOT_RECOGNIZED",
        "The issuer’s registry is not recognized by any trusted authority.",
        "Le registre de l’émetteur n’est reconnu par aucune autorité de confiance.";
    /// A registry authorized something outside the scope it was recognized for.
    ScopeViolation => "SCOPE_VIOLATION",
        "The registry authorized the issuer outside the scope it is recognized for.",
        "Le registre a autorisé l’émetteur hors du champ pour lequel il est reconnu.";
    /// A registry snapshot needed for the answer is past its validUntil.
    SnapshotStale => "SNAPSHOT_STALE",
        "A trust registry snapshot is out of date.",
        "Un instantané du registre de confiance est périmé.";
    /// A registry snapshot is older than one already seen.
    SnapshotRollback => "SNAPSHOT_ROLLBACK",
        "A trust registry snapshot is older than one already seen.",
        "Un instantané du registre de confiance est plus ancien qu’un instantané déjà vu.";
    /// A registry snapshot's signature, key or content is invalid.
    SnapshotSignatureInvalid => "SNAPSHOT_SIGNATURE_INVALID",
        "A trust registry snapshot is not validly signed by its registry.",
        "Un instantané du registre de confiance n’est pas valablement signé par son registre.";
    /// A registry snapshot or source file does not follow the registry model.
    RegistryInvalid => "REGISTRY_INVALID",
        "A trust registry file does not follow the registry model.",
        "Un fichier de registre de confiance ne respecte pas le modèle de registre.";
    /// A TRQP query is malformed.
    TrqpRequestInvalid => "TRQP_REQUEST_INVALID",
        "The trust registry query is malformed.",
        "La requête au registre de confiance est mal formée.";
    /// The credential's status list says it is revoked.
    CredentialRevoked => "CREDENTIAL_REVOKED",
        "The credential has been revoked.",
        "L’attestation a été révoquée.";
    /// The credential's status list says it is suspended.
    CredentialSuspended => "CREDENTIAL_SUSPENDED",
        "The credential is suspended.",
        "L’attestation est suspendue.";
    /// The status list could not be obtained.
    StatusListUnavailable => "STATUS_LIST_UNAVAILABLE",
        "The credential’s status list could not be obtained.",
        "La liste de statuts de l’attestation n’a pas pu être obtenue.";
    /// The status list, or the status entry, is invalid (signature, issuer, purpose, size, index, encoding).
    StatusListInvalid => "STATUS_LIST_INVALID",
        "The credential’s status list or status entry is invalid.",
        "La liste de statuts ou l’entrée de statut de l’attestation est invalide.";
    /// A credential has a status entry of a type the verifier does not check,
    /// and its status policy does not accept such entries.
    StatusTypeUnsupported => "STATUS_TYPE_UNSUPPORTED",
        "The credential has a status entry of a type this verifier does not check.",
        "L’attestation a une entrée de statut d’un type que ce vérificateur ne vérifie pas.";
    /// Every index of a status list is allocated.
    StatusListFull => "STATUS_LIST_FULL",
        "The status list has no free index left.",
        "La liste de statuts n’a plus d’index libre.";
    /// A status store could not be read or written.
    StatusStoreFailed => "STATUS_STORE_FAILED",
        "The status store could not be read or written.",
        "Le registre des statuts n’a pas pu être lu ou écrit.";
    /// A remote trust registry could not be reached or answered badly.
    RegistryUnavailable => "REGISTRY_UNAVAILABLE",
        "The trust registry could not be reached.",
        "Le registre de confiance est injoignable.";
    /// The verification options hold a key, or a name (a cryptosuite), the
    /// verifier does not know: refused rather than ignored, so a misspelt
    /// option never turns a check off.
    OptionUnknown => "OPTION_UNKNOWN",
        "The verification options contain a name this verifier does not know.",
        "Les options de vérification contiennent un nom que ce vérificateur ne connaît pas.";
    /// A verification option has a value of the wrong type or out of range.
    OptionInvalid => "OPTION_INVALID",
        "A verification option has a value of the wrong type.",
        "Une option de vérification a une valeur du mauvais type.";
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A language for messages meant for people.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// French.
    Fr,
}

impl Lang {
    /// Parses `en` / `fr` (and regional tags such as `fr-CA`).
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            _ => None,
        }
    }

    /// The BCP 47 tag, `en` or `fr`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }
}

/// The error type of every fallible operation in passerelle.
///
/// `code()` is stable; `detail()` is a technical detail in English for logs
/// (it never contains key material).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {detail}")]
pub struct Error {
    code: ErrorCode,
    detail: String,
}

impl Error {
    /// Creates an error with a code and a technical detail.
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Error {
            code,
            detail: detail.into(),
        }
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// A technical detail, in English, meant for developers and logs.
    pub fn detail(&self) -> &str {
        &self.detail
    }

    /// The message for a person, in the given language.
    pub fn message(&self, lang: Lang) -> &'static str {
        self.code.message(lang)
    }
}

/// Shorthand for `Result<T, passerelle::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `text` as a JSON string literal: quoted, with quotes, backslashes and
/// control characters escaped, so untrusted input shown in an error detail
/// cannot forge lines or break out of its quotes.
pub(crate) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    crate::json_string::write_string(text, &mut out);
    out
}

/// `items` separated by `separator`. One join for the crate: each element
/// type given to `[T]::join` is its own copy of the code in the wasm module.
pub(crate) fn join(items: &mut dyn Iterator<Item = &str>, separator: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(item);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "duplicate {code}");
            assert_eq!(ErrorCode::from_code(code.as_str()), Some(*code));
            assert!(code.as_str().chars().all(|c| c.is_ascii_uppercase() || c == '_'));
        }
    }

    #[test]
    fn every_code_has_distinct_english_and_french_messages() {
        for code in ErrorCode::ALL {
            let (en, fr) = (code.message(Lang::En), code.message(Lang::Fr));
            assert!(!en.is_empty() && !fr.is_empty());
            assert_ne!(en, fr, "{code} is not translated");
        }
    }

    #[test]
    fn lang_parses_regional_tags() {
        assert_eq!(Lang::parse("fr-CA"), Some(Lang::Fr));
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
    }
}
