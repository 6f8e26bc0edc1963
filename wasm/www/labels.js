// The page's words in English and French: its texts, the names of the
// checks, and the evidence values that are words. Evidence labels come with
// the report (each entry's label.en and label.fr).

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

export const evidenceValue = (name, value, lang) => VALUES[name]?.[value]?.[lang] ?? value;
