// The page's words in English and French: its texts, the names of the
// checks, and a label for every evidence key the library reports (the
// report's evidence keys are the same in both languages: property names
// from the specifications and a few of passerelle's own).

export const TEXT = {
  en: {
    title: "Credential verifier", other: "Français", otherLang: "fr",
    intro: "Paste, drop or choose a credential or presentation. It is checked in this browser; nothing is sent anywhere.",
    inputLabel: "Credential or presentation (JSON)", dropHint: "You can also drop a file on the box above.",
    fileLabel: "Or choose a file", noFile: "No file chosen",
    timeLabel: "Time of verification (empty: now)", verify: "Verify",
    verified: "Verified", notVerified: "Not verified", checks: "What was checked",
    summary: "In short", presentationSummary: "Presentation, in short",
    credential: "Credential", presentation: "Presentation", nested: "Credential in the presentation",
    meaningOk: "The credential is intact, in force, and its issuer is authorized for it by a registry this page trusts.",
    meaningNoTrust: "The credential is intact and in force; its issuer was not checked against a registry.",
    meaningPresentation: "The presentation and every credential in it passed the checks.",
    meaningKo: (check, why) => `Do not rely on what it says. ${check}: ${why}`,
    what: "What it is", issuedBy: "Issued by", issuedTo: "Issued to", validUntil: "Valid until",
    authorizedBy: (issuer, registry) => `${issuer}, authorized by ${registry}`,
    notInRegistry: (did) => `${did} (not authorized by a trusted registry)`,
    claimedIssuer: (did) => `${did} (claimed, not confirmed by the signature)`,
    noEnd: "no end date", fromUntil: (from, until) => `${until} (valid from ${from})`,
    unknown: "not stated", unnamedCredential: "a credential",
    error: "This could not be verified", empty: "Paste or choose a credential first.",
    trust: (n) => `Trusted: Government of Canada registry (demo), ${n} registry snapshots loaded.`,
  },
  fr: {
    title: "Vérificateur d’attestations", other: "English", otherLang: "en",
    intro: "Collez, déposez ou choisissez une attestation ou une présentation. Elle est vérifiée dans ce navigateur; rien n’est envoyé ailleurs.",
    inputLabel: "Attestation ou présentation (JSON)", dropHint: "Vous pouvez aussi déposer un fichier dans la zone ci-dessus.",
    fileLabel: "Ou choisissez un fichier", noFile: "Aucun fichier choisi",
    timeLabel: "Moment de la vérification (vide : maintenant)", verify: "Vérifier",
    verified: "Vérifiée", notVerified: "Non vérifiée", checks: "Ce qui a été vérifié",
    summary: "En bref", presentationSummary: "Présentation, en bref",
    credential: "Attestation", presentation: "Présentation", nested: "Attestation de la présentation",
    meaningOk: "L’attestation est intacte, en vigueur, et son émetteur est autorisé à la délivrer par un registre auquel cette page fait confiance.",
    meaningNoTrust: "L’attestation est intacte et en vigueur; son émetteur n’a pas été vérifié dans un registre.",
    meaningPresentation: "La présentation et chacune de ses attestations ont passé les vérifications.",
    meaningKo: (check, why) => `Ne vous fiez pas à son contenu. ${check} : ${why}`,
    what: "De quoi il s’agit", issuedBy: "Délivrée par", issuedTo: "Délivrée à", validUntil: "Valide jusqu’au",
    authorizedBy: (issuer, registry) => `${issuer}, autorisé par ${registry}`,
    notInRegistry: (did) => `${did} (non autorisé par un registre de confiance)`,
    claimedIssuer: (did) => `${did} (déclaré, non confirmé par la signature)`,
    noEnd: "aucune date de fin", fromUntil: (from, until) => `${until} (valide depuis le ${from})`,
    unknown: "non indiqué", unnamedCredential: "une attestation",
    error: "La vérification n’a pas pu se faire", empty: "Collez ou choisissez d’abord une attestation.",
    trust: (n) => `Confiance : registre du gouvernement du Canada (démo), ${n} instantanés de registres chargés.`,
  },
};

export const CHECKS = {
  parse: { en: "Parsing", fr: "Analyse" }, data_model: { en: "Data model", fr: "Modèle de données" },
  proof: { en: "Proof", fr: "Preuve" }, key_binding: { en: "Key binding", fr: "Lien de la clé" },
  validity_period: { en: "Validity period", fr: "Période de validité" }, status: { en: "Status", fr: "Statut" },
  trust: { en: "Trust registry", fr: "Registre de confiance" }, credentials: { en: "Credentials", fr: "Attestations" },
};

// Every evidence key the library emits (src/verify/, src/secured/), by check.
export const EVIDENCE = {
  // parse
  bytes: { en: "Size (bytes)", fr: "Taille (octets)" },
  format: { en: "Format", fr: "Format" },
  // data_model
  id: { en: "Identifier", fr: "Identifiant" },
  types: { en: "Types", fr: "Types" },
  issuer: { en: "Issuer", fr: "Émetteur" },
  holder: { en: "Holder", fr: "Détenteur" },
  credentials: { en: "Credentials presented", fr: "Attestations présentées" },
  // proof (Data Integrity, and vc+jwt)
  cryptosuite: { en: "Cryptosuite", fr: "Suite cryptographique" },
  verificationMethod: { en: "Signing key", fr: "Clé de signature" },
  created: { en: "Signed on", fr: "Signée le" },
  expires: { en: "Proof expires", fr: "Expiration de la preuve" },
  challenge: { en: "Challenge", fr: "Défi" },
  domain: { en: "Domain", fr: "Domaine" },
  alg: { en: "Algorithm", fr: "Algorithme" },
  kid: { en: "Key identifier", fr: "Identifiant de la clé" },
  // key_binding
  controller: { en: "Key controlled by", fr: "Clé contrôlée par" },
  assertionMethod: { en: "Key listed for issuing", fr: "Clé inscrite pour délivrer" },
  authentication: { en: "Key listed for authentication", fr: "Clé inscrite pour l’authentification" },
  // validity_period
  time: { en: "Time of verification", fr: "Moment de la vérification" },
  validFrom: { en: "Valid from", fr: "Valide à partir du" },
  validUntil: { en: "Valid until", fr: "Valide jusqu’au" },
  // status
  statusPurpose: { en: "Status purpose", fr: "Objet du statut" },
  statusListIndex: { en: "Position in the status list", fr: "Position dans la liste de statuts" },
  statusListCredential: { en: "Status list", fr: "Liste de statuts" },
  status: { en: "Status value", fr: "Valeur du statut" },
  statusMessage: { en: "Status message", fr: "Message de statut" },
  statusType: { en: "Status entry type", fr: "Type d’entrée de statut" },
  statusPolicy: { en: "Status policy", fr: "Politique de statut" },
  uncheckedStatusType: { en: "Status types not checked", fr: "Types de statut non vérifiés" },
  // trust
  issued: { en: "Issued on", fr: "Délivrée le" },
  issuedFrom: { en: "Issuance date taken from", fr: "Date de délivrance tirée de" },
  judgedAt: { en: "Authorization judged at", fr: "Autorisation évaluée le" },
  type: { en: "Authorized type", fr: "Type autorisé" },
  resource: { en: "Registry resource", fr: "Ressource du registre" },
  path: { en: "Trust path", fr: "Chemin de confiance" },
  // credentials (presentation)
  count: { en: "Credentials checked", fr: "Attestations vérifiées" },
  failed: { en: "Credentials that failed", fr: "Attestations en échec" },
};

// Evidence values that are words rather than identifiers or times.
const VALUES = {
  issuedFrom: {
    validFrom: { en: "validFrom (the credential’s start of validity)", fr: "validFrom (début de validité de l’attestation)" },
    "proof created": { en: "the proof’s created date", fr: "la date created de la preuve" },
    "none (time of verification)": { en: "none (time of verification)", fr: "aucune (moment de la vérification)" },
  },
  statusPurpose: {
    revocation: { en: "revocation", fr: "révocation" },
    suspension: { en: "suspension", fr: "suspension" },
  },
};

export const evidenceLabel = (key, lang) => EVIDENCE[key]?.[lang];
// A key given twice (two status entries) has its values joined with "; ".
export const evidenceValue = (key, value, lang) =>
  VALUES[key] ? value.split("; ").map((v) => VALUES[key][v]?.[lang] ?? v).join("; ") : value;
