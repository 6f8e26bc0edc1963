//! Refusals as RFC 7807 problem details: a stable code, a title in the
//! language the caller asked for (`Accept-Language`, English or French),
//! both titles under `titles`, and a technical detail in English.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use passerelle::{Error, ErrorCode, Lang};
use serde_json::{json, Value};

/// The service's own refusal codes (the library's [`ErrorCode`]s are used
/// as they are for what the library refuses).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// No `Authorization: Bearer` credential where one is needed.
    AuthRequired,
    /// A bearer credential that is unknown, expired or badly signed.
    AuthInvalid,
    /// A valid credential without the scope the action needs.
    ScopeMissing,
    /// No tenant of that name.
    TenantUnknown,
    /// A body that is not the JSON object the endpoint takes.
    RequestInvalid,
    /// A body over the size limit.
    BodyTooLarge,
    /// A credential type the tenant may not issue.
    TypeNotAllowed,
    /// No credential of that id issued by the tenant.
    CredentialUnknown,
    /// An idempotency key used before with another request.
    IdempotencyConflict,
    /// The tenant already issued a credential with that id.
    CredentialExists,
    /// A status change the credential's entries cannot take.
    StatusChangeInvalid,
    /// Too many requests from one client.
    RateLimited,
    /// The database did not answer or refused.
    DatabaseFailed,
    /// No route at that path.
    NotFound,
    /// A key operation HTTP does not do for a tenant whose key is in an HSM.
    KeyInHsm,
}

impl Code {
    /// The stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::AuthRequired => "AUTH_REQUIRED",
            Code::AuthInvalid => "AUTH_INVALID",
            Code::ScopeMissing => "SCOPE_MISSING",
            Code::TenantUnknown => "TENANT_UNKNOWN",
            Code::RequestInvalid => "REQUEST_INVALID",
            Code::BodyTooLarge => "BODY_TOO_LARGE",
            Code::TypeNotAllowed => "TYPE_NOT_ALLOWED",
            Code::CredentialUnknown => "CREDENTIAL_UNKNOWN",
            Code::IdempotencyConflict => "IDEMPOTENCY_CONFLICT",
            Code::CredentialExists => "CREDENTIAL_EXISTS",
            Code::StatusChangeInvalid => "STATUS_CHANGE_INVALID",
            Code::RateLimited => "RATE_LIMITED",
            Code::DatabaseFailed => "DATABASE_FAILED",
            Code::NotFound => "NOT_FOUND",
            Code::KeyInHsm => "KEY_IN_HSM",
        }
    }

    /// The title a person reads.
    pub fn title(self, lang: Lang) -> &'static str {
        let (en, fr) = match self {
            Code::AuthRequired => ("Authentication is required", "Une authentification est requise"),
            Code::AuthInvalid => (
                "The access token or API key is not valid",
                "Le jeton d’accès ou la clé d’API n’est pas valide",
            ),
            Code::ScopeMissing => (
                "The credential used does not allow this action",
                "L’identifiant utilisé ne permet pas cette action",
            ),
            Code::TenantUnknown => ("No such issuing body", "Aucun organisme émetteur de ce nom"),
            Code::RequestInvalid => ("The request is not valid", "La requête n’est pas valide"),
            Code::BodyTooLarge => (
                "The request body is too large",
                "Le corps de la requête est trop volumineux",
            ),
            Code::TypeNotAllowed => (
                "This issuing body may not issue this type of credential",
                "Cet organisme émetteur ne peut pas émettre ce type d’attestation",
            ),
            Code::CredentialUnknown => (
                "No such credential was issued here",
                "Aucune attestation de cet identifiant n’a été émise ici",
            ),
            Code::IdempotencyConflict => (
                "This idempotency key was used for another request",
                "Cette clé d’idempotence a servi à une autre requête",
            ),
            Code::CredentialExists => (
                "A credential with this id was already issued",
                "Une attestation portant cet identifiant a déjà été émise",
            ),
            Code::StatusChangeInvalid => (
                "This status change cannot be made",
                "Ce changement de statut est impossible",
            ),
            Code::RateLimited => (
                "Too many requests; try again later",
                "Trop de requêtes; réessayez plus tard",
            ),
            Code::DatabaseFailed => (
                "The service's database is unavailable",
                "La base de données du service n’est pas disponible",
            ),
            Code::NotFound => ("Nothing is published here", "Rien n’est publié ici"),
            Code::KeyInHsm => (
                "This issuing body’s key is in an HSM: manage it with the command line",
                "La clé de cet organisme émetteur est dans un HSM : gérez-la en ligne de commande",
            ),
        };
        match lang {
            Lang::En => en,
            Lang::Fr => fr,
        }
    }
}

/// What was refused and why: turned into a problem response in the
/// caller's language at the edge.
#[derive(Debug)]
pub struct Problem {
    status: StatusCode,
    code: &'static str,
    titles: [&'static str; 2],
    detail: String,
    /// Extra members (a verification report, say).
    extra: Vec<(&'static str, Value)>,
}

impl Problem {
    /// `400 REQUEST_INVALID`: a request this service does not take.
    pub fn invalid(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::BAD_REQUEST, Code::RequestInvalid, detail)
    }

    /// A refusal with one of the service's codes.
    pub fn new(status: StatusCode, code: Code, detail: impl Into<String>) -> Self {
        Problem {
            status,
            code: code.as_str(),
            titles: [code.title(Lang::En), code.title(Lang::Fr)],
            detail: detail.into(),
            extra: Vec::new(),
        }
    }

    /// A refusal with a library error's code and messages.
    pub fn library(status: StatusCode, error: &Error) -> Self {
        Problem {
            status,
            code: error.code().as_str(),
            titles: [error.message(Lang::En), error.message(Lang::Fr)],
            detail: error.detail().to_owned(),
            extra: Vec::new(),
        }
    }

    /// A refusal with a library code (and its messages).
    pub fn library_code(status: StatusCode, code: ErrorCode, detail: impl Into<String>) -> Self {
        Self::library(status, &Error::new(code, detail))
    }

    /// The database failed: the detail goes to the log, not to the caller.
    pub fn database(error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "database");
        Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            Code::DatabaseFailed,
            "the database did not complete the operation",
        )
    }

    /// A failure of the directory (tenants, lists): a database failure's
    /// detail is logged, not sent; any other is the library's refusal.
    pub fn directory(error: &Error) -> Self {
        if error.code() == ErrorCode::StatusStoreFailed {
            Problem::database(error.detail())
        } else {
            Problem::library(StatusCode::SERVICE_UNAVAILABLE, error)
        }
    }

    /// Adds a member to the problem body.
    pub fn with(mut self, name: &'static str, value: Value) -> Self {
        self.extra.push((name, value));
        self
    }

    /// The stable code.
    pub fn code(&self) -> &str {
        self.code
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The problem body in `lang`.
    pub fn body(&self, lang: Lang) -> Value {
        let title = match lang {
            Lang::En => self.titles[0],
            Lang::Fr => self.titles[1],
        };
        let mut body = json!({
            "type": format!("https://passerelle.example/problems/{}", self.code.to_ascii_lowercase()),
            "title": title,
            "status": self.status.as_u16(),
            "code": self.code,
            "detail": self.detail,
            "titles": {"en": self.titles[0], "fr": self.titles[1]},
        });
        for (name, value) in &self.extra {
            body[*name] = value.clone();
        }
        body
    }

    /// The response in `lang`; a refused bearer credential also gets its
    /// `WWW-Authenticate` challenge (RFC 6750 §3).
    pub fn into_response_in(self, lang: Lang) -> Response {
        let body = self.body(lang).to_string();
        let challenge = match self.code {
            "AUTH_REQUIRED" => Some("Bearer"),
            "AUTH_INVALID" => Some("Bearer error=\"invalid_token\""),
            "SCOPE_MISSING" => Some("Bearer error=\"insufficient_scope\""),
            _ => None,
        };
        let mut response = (
            self.status,
            [
                (header::CONTENT_TYPE, "application/problem+json"),
                (header::CONTENT_LANGUAGE, lang.tag()),
            ],
            body,
        )
            .into_response();
        if let Some(challenge) = challenge {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        }
        response
    }
}

/// The language a request asks for: the first of `Accept-Language`'s
/// tags (by weight) that is English or French; English otherwise.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    let Some(value) = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()) else {
        return Lang::En;
    };
    let mut best: Option<(f32, Lang)> = None;
    for part in value.split(',') {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or("").trim();
        let weight = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        if let Some(lang) = Lang::parse(tag) {
            if weight > 0.0 && best.is_none_or(|(w, _)| weight > w) {
                best = Some((weight, lang));
            }
        }
    }
    best.map_or(Lang::En, |(_, lang)| lang)
}

/// A handler's result: its response, or a problem answered in the
/// caller's language.
pub struct Answer {
    /// The request's language.
    pub lang: Lang,
    /// What to answer.
    pub result: Result<Response, Problem>,
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        match self.result {
            Ok(response) => response,
            Err(problem) => problem.into_response_in(self.lang),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, value.parse().unwrap());
        h
    }

    #[test]
    fn accept_language_picks_the_heaviest_known_tag() {
        assert_eq!(lang_of(&headers("fr-CA,fr;q=0.9,en;q=0.8")), Lang::Fr);
        assert_eq!(lang_of(&headers("de, en;q=0.5, fr;q=0.7")), Lang::Fr);
        assert_eq!(lang_of(&headers("fr;q=0, en")), Lang::En);
        assert_eq!(lang_of(&headers("de")), Lang::En);
        assert_eq!(lang_of(&HeaderMap::new()), Lang::En);
    }

    #[test]
    fn every_code_has_distinct_titles_in_both_languages() {
        let all = [
            Code::AuthRequired,
            Code::AuthInvalid,
            Code::ScopeMissing,
            Code::TenantUnknown,
            Code::RequestInvalid,
            Code::BodyTooLarge,
            Code::TypeNotAllowed,
            Code::CredentialUnknown,
            Code::IdempotencyConflict,
            Code::CredentialExists,
            Code::StatusChangeInvalid,
            Code::RateLimited,
            Code::DatabaseFailed,
            Code::NotFound,
            Code::KeyInHsm,
        ];
        for code in all {
            assert_ne!(code.title(Lang::En), code.title(Lang::Fr), "{}", code.as_str());
            let body = Problem::new(StatusCode::BAD_REQUEST, code, "x").body(Lang::Fr);
            assert_eq!(body["code"], code.as_str());
            assert_eq!(body["title"], code.title(Lang::Fr));
        }
    }
}
