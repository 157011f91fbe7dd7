/** `@digitalbazaar/credentials-context` ships no types: the part the EDC document loader uses. */
declare module '@digitalbazaar/credentials-context' {
  /** The W3C VC contexts by URL (VC 1.1, VC 2.0). */
  export const contexts: ReadonlyMap<string, unknown>;
}
