/* The Digital Bazaar and DCC JSON-LD packages ship no TypeScript types: only what Tessera calls is declared. */
type JsonLdDocument = { [key: string]: unknown };
type DocumentLoader = (url: string) => Promise<{ contextUrl: null; documentUrl: string; document: unknown }>;

declare module '@digitalbazaar/vc' {
  export function issue(options: {
    credential: object;
    suite: object;
    documentLoader: DocumentLoader;
  }): Promise<JsonLdDocument>;
  export function verifyCredential(options: {
    credential: object;
    suite: object | object[];
    documentLoader: DocumentLoader;
    checkStatus?: (options: object) => Promise<object>;
    now?: Date;
  }): Promise<{ verified: boolean; error?: Error & { errors?: Error[] }; results?: object[]; statusResult?: object }>;
}

declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof {
    constructor(options: { signer?: object; date?: string | Date; cryptosuite: object });
    canonize(document: object, options: object): Promise<string>;
    canonizeProof(proof: object, options: { document: object; documentLoader: DocumentLoader }): Promise<string>;
  }
}

declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: object;
}

declare module '@digitalbazaar/ed25519-multikey' {
  export interface Ed25519KeyPair {
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
    secretKeyMultibase?: string;
    signer(): { algorithm: string; id: string; sign(data: { data: Uint8Array }): Promise<Uint8Array> };
    export(options: { publicKey?: boolean; secretKey?: boolean; includeContext?: boolean }): Promise<JsonLdDocument>;
  }
  export function generate(options?: { id?: string; controller?: string }): Promise<Ed25519KeyPair>;
  export function from(key: object): Promise<Ed25519KeyPair>;
}

/** The context packages (`@digitalbazaar/credentials-context`, `did-context`, …): each maps its URLs to its contexts. */
declare module '*-context' {
  export const contexts: Map<string, object>;
}

declare module 'jsonld-signatures' {
  export function verify(
    document: object,
    options: { suite: object; purpose: object; documentLoader: DocumentLoader },
  ): Promise<{ verified: boolean; error?: Error & { errors?: Error[] } }>;
}
declare module '@digitalbazaar/vc' {
  export class CredentialIssuancePurpose {}
}

declare module '@digitalcredentials/vc' {
  export function verifyCredential(options: {
    credential: object;
    suite: object | object[];
    documentLoader: DocumentLoader;
    checkStatus?: (options: object) => Promise<object>;
  }): Promise<{ verified: boolean; error?: Error & { errors?: Error[] } }>;
}
declare module '@digitalcredentials/data-integrity' {
  export class DataIntegrityProof {
    constructor(options: { cryptosuite: object });
  }
}
declare module '@digitalcredentials/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: object;
}
