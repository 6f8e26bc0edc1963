//! The pan-Canadian demo federation: registries, issuers and credentials,
//! all from fixed seeds and fixed times, so the demo, the tests and the test
//! vectors share one picture. DIDs are fictional (`.example`); jurisdiction
//! codes and names are real. Also included by `tests/registry.rs` and the
//! test-vector generator.
#![allow(dead_code)]

use std::collections::BTreeMap;

use passerelle::crypto::Ed25519KeyPair;
use passerelle::registry::{sign_snapshot, Authorization, Bilingual, Recognition, Registry, Scope, Status};
use passerelle::status::{StaticStatusLists, StatusList, MIN_ENTRIES};
use passerelle::{Issuer, Timestamp};
use serde_json::{json, Map, Value};

/// The time at which the demo verifies.
pub const NOW: &str = "2026-11-23T12:00:00Z";
/// When the demo credentials were issued.
pub const ISSUED: &str = "2026-03-02T15:00:00Z";
/// When the snapshots were published, and until when they are fresh.
pub const PUBLISHED: &str = "2026-11-01T00:00:00Z";
pub const FRESH_UNTIL: &str = "2027-02-01T00:00:00Z";
const SINCE: &str = "2020-01-01T00:00:00Z";

pub const FEDERAL: &str = "did:web:registry.canada.passerelle.example";
pub const BC: &str = "did:web:registry.gov.bc.passerelle.example";
pub const QC: &str = "did:web:registre.gouv.qc.passerelle.example";
pub const ON: &str = "did:web:registry.ontario.passerelle.example";
pub const YT: &str = "did:web:registry.gov.yk.passerelle.example";
pub const PEO: &str = "did:web:registry.peo.passerelle.example";
pub const WHITEHORSE: &str = "did:web:registry.whitehorse.passerelle.example";
pub const NOWHERE: &str = "did:web:registry.unrecognized.passerelle.example";

pub const CORPORATIONS: &str = "did:web:corporations.canada.passerelle.example";
pub const BC_MINES: &str = "did:web:mines.gov.bc.passerelle.example";
pub const BC_OLD_MINES: &str = "did:web:former-mines-office.gov.bc.passerelle.example";
pub const BC_REGISTRAR: &str = "did:web:registrar.gov.bc.passerelle.example";
pub const BC_ID: &str = "did:web:id.gov.bc.passerelle.example";
pub const QC_ETAT_CIVIL: &str = "did:web:etatcivil.gouv.qc.passerelle.example";
pub const PEO_LICENSING: &str = "did:web:licensing.peo.passerelle.example";
pub const WHITEHORSE_CLERK: &str = "did:web:clerk.whitehorse.passerelle.example";
pub const NOWHERE_ISSUER: &str = "did:web:permits.unrecognized.passerelle.example";

/// Every DID of the federation with the seed of its key (demo keys only:
/// never derive real keys from fixed seeds).
pub const ENTITIES: &[(&str, u8)] = &[
    (FEDERAL, 0x01),
    (BC, 0x02),
    (QC, 0x03),
    (ON, 0x04),
    (YT, 0x05),
    (PEO, 0x06),
    (WHITEHORSE, 0x07),
    (NOWHERE, 0x08),
    (CORPORATIONS, 0x11),
    (BC_MINES, 0x12),
    (BC_OLD_MINES, 0x13),
    (BC_REGISTRAR, 0x14),
    (QC_ETAT_CIVIL, 0x15),
    (PEO_LICENSING, 0x16),
    (WHITEHORSE_CLERK, 0x17),
    (NOWHERE_ISSUER, 0x18),
    (BC_ID, 0x19),
];

pub fn t(text: &str) -> Timestamp {
    Timestamp::parse(text).expect("fixed time")
}

pub fn key_of(did: &str) -> Ed25519KeyPair {
    let seed = ENTITIES
        .iter()
        .find(|(d, _)| *d == did)
        .map(|(_, s)| *s)
        .expect("known entity");
    Ed25519KeyPair::from_seed(&[seed; 32])
}

pub fn issuer_of(did: &str) -> Issuer<Ed25519KeyPair> {
    Issuer::new(key_of(did), format!("{did}#key-1")).expect("demo issuer")
}

/// The DID document of an entity (served offline).
pub fn did_document(did: &str) -> Value {
    let vm = format!("{did}#key-1");
    json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [{"id": vm, "type": "Multikey", "controller": did,
                                "publicKeyMultibase": key_of(did).public_key_multibase()}],
        "assertionMethod": [vm],
        "authentication": [vm]
    })
}

fn b(en: &str, fr: &str) -> Bilingual {
    Bilingual::new(en, fr)
}

fn authorization(
    registry: &str,
    issuer: &str,
    resource: &str,
    jurisdiction: &str,
    name: Bilingual,
    law: Bilingual,
) -> Authorization {
    Authorization {
        entity_id: issuer.into(),
        authority_id: registry.into(),
        action: "issue".into(),
        resource: resource.into(),
        jurisdiction: jurisdiction.into(),
        name,
        legal_authority: law,
        valid_from: t(SINCE),
        valid_until: None,
        status: Status::Active,
    }
}

fn recognition(
    registry: &str,
    recognized: &str,
    resources: &[&str],
    jurisdictions: &[&str],
    name: Bilingual,
    law: Bilingual,
) -> Recognition {
    Recognition {
        entity_id: recognized.into(),
        authority_id: registry.into(),
        action: "recognize".into(),
        scope: Scope {
            resources: resources.iter().map(|s| s.to_string()).collect(),
            jurisdictions: jurisdictions.iter().map(|s| s.to_string()).collect(),
        },
        name,
        legal_authority: law,
        valid_from: t(SINCE),
        valid_until: None,
        status: Status::Active,
    }
}

fn registry(id: &str, name: Bilingual, jurisdiction: &str, sequence: u64) -> Registry {
    Registry {
        id: id.into(),
        name,
        jurisdiction: jurisdiction.into(),
        sequence,
        authorizations: vec![],
        recognitions: vec![],
    }
}

/// Every registry of the federation, at its current sequence.
pub fn registries() -> Vec<Registry> {
    let intergovernmental = || {
        b(
            "Pan-Canadian Trust Framework agreement",
            "Entente sur le cadre de confiance pancanadien",
        )
    };
    let mut federal = registry(FEDERAL, b("Government of Canada", "Gouvernement du Canada"), "CA", 3);
    federal.recognitions = vec![
        recognition(
            FEDERAL,
            BC,
            &["ca-bc:*"],
            &["CA-BC"],
            b(
                "Government of British Columbia",
                "Gouvernement de la Colombie-Britannique",
            ),
            intergovernmental(),
        ),
        recognition(
            FEDERAL,
            QC,
            &["ca-qc:*"],
            &["CA-QC"],
            b("Gouvernement du Québec (Quebec)", "Gouvernement du Québec"),
            intergovernmental(),
        ),
        recognition(
            FEDERAL,
            ON,
            &["ca-on:*"],
            &["CA-ON"],
            b("Government of Ontario", "Gouvernement de l’Ontario"),
            intergovernmental(),
        ),
        recognition(
            FEDERAL,
            YT,
            &["ca-yt:*"],
            &["CA-YT"],
            b("Government of Yukon", "Gouvernement du Yukon"),
            intergovernmental(),
        ),
    ];
    federal.authorizations = vec![authorization(
        FEDERAL,
        CORPORATIONS,
        "ca:CertificateOfIncorporation",
        "CA",
        b("Corporations Canada", "Corporations Canada"),
        b(
            "Canada Business Corporations Act, s. 8",
            "Loi canadienne sur les sociétés par actions, art. 8",
        ),
    )];

    let mut bc = registry(
        BC,
        b(
            "Government of British Columbia",
            "Gouvernement de la Colombie-Britannique",
        ),
        "CA-BC",
        2,
    );
    let mines_act = || {
        b(
            "Mines Act, R.S.B.C. 1996, c. 293, s. 10",
            "Mines Act, R.S.B.C. 1996, ch. 293, art. 10",
        )
    };
    let mut old_office = authorization(
        BC,
        BC_OLD_MINES,
        "ca-bc:MinesActPermit",
        "CA-BC",
        b("Former Mines Regional Office", "Ancien bureau régional des mines"),
        mines_act(),
    );
    old_office.valid_until = Some(t("2025-12-31T23:59:59Z"));
    bc.authorizations = vec![
        authorization(
            BC,
            BC_MINES,
            "ca-bc:MinesActPermit",
            "CA-BC",
            b("Chief Inspector of Mines", "Inspecteur en chef des mines"),
            mines_act(),
        ),
        old_office,
        authorization(
            BC,
            BC_ID,
            "ca-bc:AgeCredential",
            "CA-BC",
            b("BC Identity Services", "Services d’identité de la C.-B."),
            b(
                "Identity Assurance Standard (demo)",
                "Norme d’assurance de l’identité (démo)",
            ),
        ),
        // Outside the province's scope: a federally regulated credential type.
        authorization(
            BC,
            BC_REGISTRAR,
            "ca:CertificateOfIncorporation",
            "CA",
            b("BC Registrar of Companies", "Registraire des entreprises de la C.-B."),
            b("Business Corporations Act (B.C.)", "Business Corporations Act (C.-B.)"),
        ),
    ];

    let mut qc = registry(
        QC,
        b("Gouvernement du Québec (Quebec)", "Gouvernement du Québec"),
        "CA-QC",
        1,
    );
    qc.authorizations = vec![authorization(
        QC,
        QC_ETAT_CIVIL,
        "ca-qc:BirthCertificate",
        "CA-QC",
        b(
            "Directeur de l’état civil (Registrar of Civil Status)",
            "Directeur de l’état civil",
        ),
        b(
            "Civil Code of Québec, art. 103–152",
            "Code civil du Québec, art. 103 à 152",
        ),
    )];

    let mut on = registry(ON, b("Government of Ontario", "Gouvernement de l’Ontario"), "CA-ON", 1);
    on.recognitions = vec![recognition(
        ON,
        PEO,
        &["ca-on-peo:*"],
        &["CA-ON"],
        b("Professional Engineers Ontario", "Ordre des ingénieurs de l’Ontario"),
        b(
            "Professional Engineers Act, R.S.O. 1990, c. P.28",
            "Loi sur les ingénieurs, L.R.O. 1990, chap. P.28",
        ),
    )];
    let mut peo = registry(
        PEO,
        b("Professional Engineers Ontario", "Ordre des ingénieurs de l’Ontario"),
        "CA-ON",
        1,
    );
    peo.authorizations = vec![authorization(
        PEO,
        PEO_LICENSING,
        "ca-on-peo:ProfessionalEngineerLicence",
        "CA-ON",
        b("PEO Licensing", "Délivrance des permis de PEO"),
        b("Professional Engineers Act, s. 14", "Loi sur les ingénieurs, art. 14"),
    )];

    let mut yt = registry(YT, b("Government of Yukon", "Gouvernement du Yukon"), "CA-YT", 1);
    yt.recognitions = vec![recognition(
        YT,
        WHITEHORSE,
        &["ca-yt-whitehorse:*"],
        &["CA-YT"],
        b("City of Whitehorse", "Ville de Whitehorse"),
        b(
            "Municipal Act, R.S.Y. 2002, c. 154",
            "Loi sur les municipalités, L.R.Y. 2002, ch. 154",
        ),
    )];
    yt.authorizations = vec![authorization(
        YT,
        &yukon_placer_did(),
        "ca-yt:PlacerClaimGrant",
        "CA-YT",
        b("Yukon Mining Recorder", "Registraire minier du Yukon"),
        b(
            "Placer Mining Act, S.Y. 2003, c. 13",
            "Loi sur l’extraction de l’or, L.Y. 2003, ch. 13",
        ),
    )];
    let mut whitehorse = registry(WHITEHORSE, b("City of Whitehorse", "Ville de Whitehorse"), "CA-YT", 1);
    whitehorse.authorizations = vec![authorization(
        WHITEHORSE,
        WHITEHORSE_CLERK,
        "ca-yt-whitehorse:BusinessLicence",
        "CA-YT",
        b("City Clerk of Whitehorse", "Greffier de la Ville de Whitehorse"),
        b(
            "Business Licence Bylaw 2019-01",
            "Règlement 2019-01 sur les permis d’affaires",
        ),
    )];

    let mut nowhere = registry(
        NOWHERE,
        b("Unrecognized Permit Registry", "Registre de permis non reconnu"),
        "CA-NS",
        1,
    );
    nowhere.authorizations = vec![authorization(
        NOWHERE,
        NOWHERE_ISSUER,
        "ca-ns:FishingLicence",
        "CA-NS",
        b("Unrecognized Permit Office", "Bureau de permis non reconnu"),
        b("None", "Aucune"),
    )];

    vec![federal, bc, qc, on, peo, yt, whitehorse, nowhere]
}

/// A registry's signed snapshot.
pub fn snapshot(registry: &Registry) -> Map<String, Value> {
    let key = key_of(&registry.id);
    sign_snapshot(
        registry,
        &key,
        &format!("{}#key-1", registry.id),
        t(PUBLISHED),
        t(FRESH_UNTIL),
    )
    .expect("snapshot")
}

/// Snapshot documents by file name.
pub type Snapshots = BTreeMap<String, Map<String, Value>>;

/// Which trust store a demo line is verified against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// Every registry's current snapshot.
    Current,
    /// The Yukon registry's snapshot was changed after it was signed.
    TamperedYukon,
    /// An older BC snapshot (sequence 1) offered after sequence 2 was seen.
    RolledBackBc,
}

impl Scenario {
    pub fn folder(self) -> &'static str {
        match self {
            Scenario::Current => "current",
            Scenario::TamperedYukon => "tampered-yukon",
            Scenario::RolledBackBc => "rolled-back-bc",
        }
    }

    /// The snapshots of this scenario (file name → document) and the
    /// sequences the verifier has seen before.
    pub fn snapshots(self) -> (Snapshots, Vec<(String, u64)>) {
        let mut files = BTreeMap::new();
        let mut seen = Vec::new();
        for registry in registries() {
            let name = format!("{}.json", registry.id.trim_start_matches("did:web:"));
            let mut document = snapshot(&registry);
            match self {
                Scenario::TamperedYukon if registry.id == YT => {
                    document["credentialSubject"]["recognitions"][0]["scope"]["resources"] = json!(["*"]);
                }
                Scenario::RolledBackBc if registry.id == BC => {
                    let mut older = registry.clone();
                    older.sequence = 1;
                    document = snapshot(&older);
                    seen.push((BC.to_owned(), registry.sequence));
                }
                _ => {}
            }
            files.insert(name, document);
        }
        (files, seen)
    }
}

/// Where the Yukon mining recorder's did:webvh log is published.
pub const YT_PLACER_LOCATION: &str = "mining.gov.yk.passerelle.example:dids:recorder";

/// The Yukon mining recorder's did:webvh log (update key seed 0x19,
/// assertion key seed 0x1A), created at a fixed time.
pub fn yukon_placer_log() -> passerelle::did::webvh::WebvhLog {
    let template = format!("did:webvh:{{SCID}}:{YT_PLACER_LOCATION}");
    let assertion = Ed25519KeyPair::from_seed(&[0x1A; 32]);
    let document = json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": template,
        "verificationMethod": [{"id": format!("{template}#key-1"), "type": "Multikey", "controller": template,
                                "publicKeyMultibase": assertion.public_key_multibase()}],
        "assertionMethod": [format!("{template}#key-1")]
    });
    let update = Ed25519KeyPair::from_seed(&[0x19; 32]);
    passerelle::did::webvh::WebvhLog::create(YT_PLACER_LOCATION, document, &update, vec![], t("2026-01-10T00:00:00Z"))
        .expect("webvh log")
}

/// The Yukon mining recorder's did:webvh DID.
pub fn yukon_placer_did() -> String {
    yukon_placer_log().did().to_owned()
}

/// The demo's did:webvh logs (each resolution reads them at the time of verification).
pub fn webvh_logs() -> passerelle::did::webvh::WebvhLogs {
    let mut logs = passerelle::did::webvh::WebvhLogs::new();
    let log = yukon_placer_log();
    logs.insert(log.did(), log.to_jsonl());
    logs
}

/// The BC mines office's status lists.
pub const BC_REVOCATIONS: &str = "https://mines.gov.bc.passerelle.example/status/revocation-1";
pub const BC_SUSPENSIONS: &str = "https://mines.gov.bc.passerelle.example/status/suspension-1";
/// Fixed indexes, so the demo is reproducible (issuers should let
/// `StatusList::allocate` pick random ones).
const GOOD_PERMIT: (u64, u64) = (70_001, 80_001);
const REVOKED_PERMIT: (u64, u64) = (70_002, 80_002);
const SUSPENDED_PERMIT: (u64, u64) = (70_003, 80_003);

fn bc_status_lists() -> (StatusList, StatusList) {
    let mut revocations = StatusList::new(BC_REVOCATIONS, "revocation", MIN_ENTRIES, 1).expect("list");
    let mut suspensions = StatusList::new(BC_SUSPENSIONS, "suspension", MIN_ENTRIES, 1).expect("list");
    for (r, s) in [GOOD_PERMIT, REVOKED_PERMIT, SUSPENDED_PERMIT] {
        revocations.allocate_at(r).expect("index");
        suspensions.allocate_at(s).expect("index");
    }
    revocations.set(REVOKED_PERMIT.0, 1).expect("revoke");
    suspensions.set(SUSPENDED_PERMIT.1, 1).expect("suspend");
    (revocations, suspensions)
}

fn status_entries(indexes: (u64, u64)) -> Value {
    let (revocations, suspensions) = bc_status_lists();
    json!([
        revocations.entry(indexes.0).to_json(),
        suspensions.entry(indexes.1).to_json()
    ])
}

/// The published (signed) status list credentials, by URL.
pub fn status_list_credentials() -> Vec<(String, Map<String, Value>)> {
    let (revocations, suspensions) = bc_status_lists();
    let issuer = issuer_of(BC_MINES);
    [revocations, suspensions]
        .into_iter()
        .map(|list| {
            (
                list.url.clone(),
                list.publish(&issuer, t(PUBLISHED), Some(t(FRESH_UNTIL)))
                    .expect("status list"),
            )
        })
        .collect()
}

/// A status resolver holding the demo's status lists.
pub fn status_lists() -> StaticStatusLists {
    let mut lists = StaticStatusLists::default();
    for (url, document) in status_list_credentials() {
        lists.insert(url, serde_json::to_vec(&Value::Object(document)).expect("serializable"));
    }
    lists
}

/// One credential of the demo and what verifying it must give.
pub struct Line {
    pub file: &'static str,
    pub case: [&'static str; 2],
    pub credential: Map<String, Value>,
    pub scenario: Scenario,
    /// `None` when it must verify; otherwise the code it must fail with.
    pub expected: Option<&'static str>,
}

pub fn credential(issuer: &str, kind: &str, name: Value, subject: Value) -> Map<String, Value> {
    let value = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", kind],
        "issuer": issuer,
        "name": name,
        "validFrom": ISSUED,
        "credentialSubject": subject,
    });
    value.as_object().cloned().unwrap_or_default()
}

pub fn names(en: &str, fr: &str, french_first: bool) -> Value {
    let en = json!({"@value": en, "@language": "en-CA"});
    let fr = json!({"@value": fr, "@language": "fr-CA"});
    if french_first {
        json!([fr, en])
    } else {
        json!([en, fr])
    }
}

fn issue(issuer: &str, unsigned: Map<String, Value>) -> Map<String, Value> {
    issuer_of(issuer)
        .issue(unsigned, t(ISSUED))
        .expect("demo credential")
        .into_json()
}

/// Every line of the demo: positives first, then negatives.
pub fn lines() -> Vec<Line> {
    let permit_with = |number: &str, indexes: (u64, u64)| {
        let mut unsigned = credential(
            BC_MINES,
            "MinesActPermit",
            names("Mines Act Permit", "Permis en vertu de la Mines Act", false),
            json!({"id": "did:example:fictional-creek-mining", "permitNumber": number, "site": "Fictional Creek"}),
        );
        unsigned.insert("credentialStatus".into(), status_entries(indexes));
        issue(BC_MINES, unsigned)
    };
    let permit = || permit_with("MX-1-234", GOOD_PERMIT);
    let licence = || {
        issue(
            WHITEHORSE_CLERK,
            credential(
                WHITEHORSE_CLERK,
                "BusinessLicence",
                names("Business Licence", "Permis d’affaires", false),
                json!({"id": "did:example:midnight-sun-coffee", "licenceNumber": "WH-2026-0042", "tradeName": "Midnight Sun Coffee"}),
            ),
        )
    };
    let mut lines = vec![
        Line {
            file: "qc-birth-certificate.json",
            case: ["Québec, French first", "Québec, français d’abord"],
            scenario: Scenario::Current,
            expected: None,
            credential: issue(
                QC_ETAT_CIVIL,
                credential(
                    QC_ETAT_CIVIL,
                    "BirthCertificate",
                    names("Birth Certificate", "Certificat de naissance", true),
                    json!({"id": "did:example:citizen-7", "givenName": "Élodie", "familyName": "Tremblay", "birthPlace": "Trois-Rivières"}),
                ),
            ),
        },
        Line {
            file: "bc-mines-act-permit.json",
            case: ["BC, Mines Act", "C.-B., Mines Act"],
            scenario: Scenario::Current,
            expected: None,
            credential: permit(),
        },
        Line {
            file: "ca-certificate-of-incorporation.json",
            case: ["federal, CBCA", "fédéral, LCSA"],
            scenario: Scenario::Current,
            expected: None,
            credential: issue(
                CORPORATIONS,
                credential(
                    CORPORATIONS,
                    "CertificateOfIncorporation",
                    names("Certificate of Incorporation", "Certificat de constitution", false),
                    json!({"id": "did:example:northern-lights-inc", "legalName": "Northern Lights Inc. / Aurores boréales inc.", "corporationNumber": "000000-0"}),
                ),
            ),
        },
        Line {
            file: "on-professional-engineer-licence.json",
            case: ["ON regulator, 3 hops", "ordre ontarien, 3 liens"],
            scenario: Scenario::Current,
            expected: None,
            credential: issue(
                PEO_LICENSING,
                credential(
                    PEO_LICENSING,
                    "ProfessionalEngineerLicence",
                    names("Professional Engineer Licence", "Permis d’ingénieur", false),
                    json!({"id": "did:example:engineer-314", "name": "Jordan Singh", "licenceNumber": "100314159"}),
                ),
            ),
        },
        Line {
            file: "yt-whitehorse-business-licence.json",
            case: ["municipal, Yukon", "municipal, Yukon"],
            scenario: Scenario::Current,
            expected: None,
            credential: licence(),
        },
        Line {
            file: "negative-bc-issues-federal-type.json",
            case: ["province signs federal type", "province, type fédéral"],
            scenario: Scenario::Current,
            expected: Some("ISSUER_NOT_AUTHORIZED"),
            credential: issue(
                BC_MINES,
                credential(
                    BC_MINES,
                    "CertificateOfIncorporation",
                    names("Certificate of Incorporation", "Certificat de constitution", false),
                    json!({"id": "did:example:shell-company", "legalName": "Shell Co."}),
                ),
            ),
        },
        Line {
            file: "negative-issued-after-authorization-ended.json",
            case: ["issued after authorization", "délivré après l’autorisation"],
            scenario: Scenario::Current,
            expected: Some("AUTHORIZATION_EXPIRED"),
            credential: issue(
                BC_OLD_MINES,
                credential(
                    BC_OLD_MINES,
                    "MinesActPermit",
                    names("Mines Act Permit", "Permis en vertu de la Mines Act", false),
                    json!({"id": "did:example:late-permit", "permitNumber": "MX-0-001"}),
                ),
            ),
        },
        Line {
            file: "negative-unrecognized-registry.json",
            case: ["registry not recognized", "registre non reconnu"],
            scenario: Scenario::Current,
            expected: Some("REGISTRY_NOT_RECOGNIZED"),
            credential: issue(
                NOWHERE_ISSUER,
                credential(
                    NOWHERE_ISSUER,
                    "FishingLicence",
                    names("Fishing Licence", "Permis de pêche", false),
                    json!({"id": "did:example:angler-1"}),
                ),
            ),
        },
        Line {
            file: "negative-registry-outside-scope.json",
            case: ["province outside its scope", "province hors de son champ"],
            scenario: Scenario::Current,
            expected: Some("SCOPE_VIOLATION"),
            credential: issue(
                BC_REGISTRAR,
                credential(
                    BC_REGISTRAR,
                    "CertificateOfIncorporation",
                    names("Certificate of Incorporation", "Certificat de constitution", false),
                    json!({"id": "did:example:pacific-widgets", "legalName": "Pacific Widgets Ltd."}),
                ),
            ),
        },
        Line {
            file: "yt-placer-claim-grant.json",
            case: ["Yukon, did:webvh issuer", "Yukon, émetteur did:webvh"],
            scenario: Scenario::Current,
            expected: None,
            credential: {
                let did = yukon_placer_did();
                let unsigned = credential(
                    &did,
                    "PlacerClaimGrant",
                    names("Placer Claim Grant", "Concession d’exploitation de placer", false),
                    json!({"id": "did:example:klondike-prospector", "claimNumber": "P-12345", "creek": "Bonanza Creek"}),
                );
                Issuer::new(Ed25519KeyPair::from_seed(&[0x1A; 32]), format!("{did}#key-1"))
                    .expect("issuer")
                    .issue(unsigned, t(ISSUED))
                    .expect("credential")
                    .into_json()
            },
        },
        Line {
            file: "yt-whitehorse-business-licence.json",
            case: ["tampered Yukon snapshot", "instantané du Yukon modifié"],
            scenario: Scenario::TamperedYukon,
            expected: Some("SNAPSHOT_SIGNATURE_INVALID"),
            credential: licence(),
        },
        Line {
            file: "bc-mines-act-permit.json",
            case: ["rolled-back BC snapshot", "instantané de la C.-B. périmé"],
            scenario: Scenario::RolledBackBc,
            expected: Some("SNAPSHOT_ROLLBACK"),
            credential: permit(),
        },
        Line {
            file: "negative-revoked-permit.json",
            case: ["revoked by its issuer", "révoqué par l’émetteur"],
            scenario: Scenario::Current,
            expected: Some("CREDENTIAL_REVOKED"),
            credential: permit_with("MX-2-468", REVOKED_PERMIT),
        },
        Line {
            file: "negative-suspended-permit.json",
            case: ["suspended by its issuer", "suspendu par l’émetteur"],
            scenario: Scenario::Current,
            expected: Some("CREDENTIAL_SUSPENDED"),
            credential: permit_with("MX-3-579", SUSPENDED_PERMIT),
        },
    ];
    // Positives first (a stable sort keeps each group in order).
    lines.sort_by_key(|line| line.expected.is_some());
    lines
}
