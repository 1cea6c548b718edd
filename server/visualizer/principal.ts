/**
 * Who is looking: the same bearer tokens as the coordinators' API. The visualizer does not verify
 * tokens itself; it is handed the API's verifier, so roles and kommune isolation have one source.
 */
export interface Principal {
  /** Pseudonymous user id (the token's `sub`). */
  sub: string;
  kommune: string;
  role: string;
}

/** Resolves the `Authorization` header to a principal, or null when missing, invalid or expired. */
export type Authenticate = (authorizationHeader: string | undefined) => Promise<Principal | null>;
