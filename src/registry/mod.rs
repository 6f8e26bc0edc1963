//! Trust registries: which issuers a government (or a body it recognizes)
//! authorizes to issue which credentials, and which registries recognize
//! which, following the ToIP Trust Registry Query Protocol v2 vocabulary.
//!
//! A verifier trusts one or more roots (for example the federal registry).
//! Trust flows down recognition edges, whose scopes only narrow; an issuer
//! is authorized when a registry on such a path authorizes it for the
//! credential's type at the time the credential was issued, and neither
//! that authorization nor an edge of the path has been revoked or
//! suspended since ([`TrustTime`]). Registries are read from signed
//! snapshots, so a browser can answer offline.

#[cfg(feature = "native")]
pub mod client;
mod model;
mod read;
mod resolve;
#[cfg(feature = "server")]
pub mod server;
mod snapshot;
mod store;
pub mod trqp;

pub use model::{jurisdiction_covers, pattern_covers, Authorization, Bilingual, Recognition, Registry, Scope, Status};
pub use resolve::{render_path, PathStep, TrustAnswer, Wanted, MAX_HOPS};
pub use snapshot::{claimed_registry_id, open_snapshot, sign_snapshot, Snapshot, MAX_SNAPSHOT_BYTES, SNAPSHOT_TYPE};
pub use store::TrustStore;

/// How the detail of a refusal at [`TrustTime::verified`] starts.
pub(crate) const AT_VERIFICATION: &str = "at the time of verification";

/// When an issuer's authorization is judged.
///
/// Issuers write their own dates, so the claimed issuance time alone cannot
/// be trusted: an issuer whose authorization was revoked could date a
/// credential back to when it was authorized. The authorization and its
/// recognition path must be in force at `issued`, and must not have been
/// revoked or suspended since; an authorization that simply ended after
/// `issued` still counts, unless `strict` also requires it at `verified`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrustTime {
    /// The issuance time the credential claims: its `validFrom`, else its
    /// proof's `created`, else the time of verification.
    pub issued: crate::Timestamp,
    /// The time of verification.
    pub verified: crate::Timestamp,
    /// Whether the authorization and its recognition path must also be in
    /// force at `verified` (kiosks, high-assurance verifiers).
    pub strict: bool,
}

impl TrustTime {
    /// Judges with `ask`, which answers for one time: at `issued`; then,
    /// when `strict` (or `withdrawals_at_verified`, for resolvers whose
    /// answer at `issued` may not reflect a later revocation), at
    /// `verified`. An answer at `verified` refuses when it is a revocation
    /// or suspension, or when `strict` and it is any refusal; the refusal's
    /// detail then names the time of verification.
    pub fn judge(&self, withdrawals_at_verified: bool, ask: impl Fn(crate::Timestamp) -> TrustAnswer) -> TrustAnswer {
        let answer = ask(self.issued);
        if !answer.authorized || self.verified == self.issued || !(self.strict || withdrawals_at_verified) {
            return answer;
        }
        let now = ask(self.verified);
        let Some(reason) = now.reason.as_ref().filter(|_| !now.authorized) else {
            return answer;
        };
        let withdrawn = matches!(
            reason.code(),
            crate::ErrorCode::AuthorizationRevoked | crate::ErrorCode::AuthorizationSuspended
        );
        if !(self.strict || withdrawn) {
            return answer;
        }
        let detail = format!("{AT_VERIFICATION}, {}: {}", self.verified, reason.detail());
        TrustAnswer {
            authorized: false,
            reason: Some(crate::Error::new(reason.code(), detail)),
            matched_type: None,
            resource: None,
            path: now.path,
        }
    }
}

/// Where the `trust` check gets its answers: local snapshots
/// ([`TrustStore`]) or a remote TRQP registry (`client::TrqpClient`, feature
/// `native`).
pub trait TrustResolver {
    /// The trust anchors; the `trust` check is skipped when there are none.
    fn anchors(&self) -> &[String];

    /// Whether `issuer` is authorized for one of `types` at `time`, with the
    /// evidence path or the reason.
    fn authorize_issuer(&self, issuer: &str, types: &[&str], time: crate::Timestamp) -> TrustAnswer;

    /// Whether `issuer` is authorized for one of `types` as [`TrustTime`]
    /// says. The default asks [`TrustResolver::authorize_issuer`] at
    /// `when.issued`, and also at `when.verified` when `when.strict`: a
    /// resolver's answer at a time must already refuse an authorization
    /// (or recognition) revoked or suspended since then, as
    /// [`TrustStore`]'s does.
    fn authorize_issuer_when(&self, issuer: &str, types: &[&str], when: TrustTime) -> TrustAnswer {
        when.judge(false, |time| self.authorize_issuer(issuer, types, time))
    }
}

/// A resolver shared by several verifiers (a trust store loaded once).
impl<R: TrustResolver + ?Sized> TrustResolver for std::sync::Arc<R> {
    fn anchors(&self) -> &[String] {
        (**self).anchors()
    }
    fn authorize_issuer(&self, issuer: &str, types: &[&str], time: crate::Timestamp) -> TrustAnswer {
        (**self).authorize_issuer(issuer, types, time)
    }
    fn authorize_issuer_when(&self, issuer: &str, types: &[&str], when: TrustTime) -> TrustAnswer {
        (**self).authorize_issuer_when(issuer, types, when)
    }
}

impl TrustResolver for TrustStore {
    fn anchors(&self) -> &[String] {
        TrustStore::anchors(self)
    }

    fn authorize_issuer(&self, issuer: &str, types: &[&str], time: crate::Timestamp) -> TrustAnswer {
        TrustStore::authorize_issuer(self, issuer, types, time)
    }

    /// As the default, then refuses with `SNAPSHOT_STALE` when a snapshot on
    /// the path has passed its `validUntil` at `when.verified`: a store
    /// loaded while its snapshots were fresh must not go on answering from
    /// them once they are not.
    fn authorize_issuer_when(&self, issuer: &str, types: &[&str], when: TrustTime) -> TrustAnswer {
        let mut answer = when.judge(false, |time| TrustStore::authorize_issuer(self, issuer, types, time));
        if answer.authorized {
            if let Some(stale) = self.stale_on(&answer.path, when.verified) {
                answer.authorized = false;
                answer.reason = Some(stale);
            }
        }
        answer
    }
}
