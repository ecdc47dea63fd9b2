/**
 * The emulated KakaoCloud IAM: application credentials exchanged for tokens
 * (`POST /identity/v3/auth/tokens`, token in `X-Subject-Token`), and the token check every Redis
 * call goes through (`X-Auth-Token`).
 */
import { randomBytes } from "node:crypto";

/** An application credential the emulator accepts. */
export interface KakaocloudCredential {
  /** Application credential id. */
  id: string;
  /** Application credential secret. */
  secret: string;
}

/** The credential accepted when no `credentials` option is given. */
export const DEMO_CREDENTIAL: KakaocloudCredential = {
  id: "demo-credential-id",
  secret: "demo-credential-secret",
};

/** Why a token was refused, or the credential id it belongs to. */
export type TokenCheck = { ok: true; credentialId: string } | { ok: false; reason: string };

/** The outcome of a token request. */
export type IssueResult =
  | { ok: true; token: string; expiresAt: Date; issuedAt: Date }
  | { ok: false; status: 400 | 401; message: string };

interface TokenRec {
  credentialId: string;
  expiresAt: number;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** Issued tokens and the credentials that may ask for them. */
export class TokenStore {
  private readonly tokens = new Map<string, TokenRec>();
  /** How many tokens were issued. */
  issued = 0;

  constructor(
    private readonly credentials: readonly KakaocloudCredential[],
    /** Token lifetime in seconds (may be fractional, for tests). */
    public ttlSeconds: number,
  ) {}

  /**
   * Handles the body of a token request:
   * `{"auth":{"identity":{"methods":["application_credential"],"application_credential":{"id","secret"}}}}`.
   */
  issue(body: unknown): IssueResult {
    const identity = isObj(body) && isObj(body.auth) ? body.auth.identity : undefined;
    if (!isObj(identity)) return { ok: false, status: 400, message: "auth.identity is required" };
    const methods = identity.methods;
    if (!Array.isArray(methods) || !methods.includes("application_credential")) {
      return {
        ok: false,
        status: 400,
        message: 'auth.identity.methods must include "application_credential"',
      };
    }
    const cred = identity.application_credential;
    if (!isObj(cred) || typeof cred.id !== "string" || typeof cred.secret !== "string") {
      return {
        ok: false,
        status: 400,
        message: "auth.identity.application_credential must have string fields id and secret",
      };
    }
    const match = this.credentials.find((c) => c.id === cred.id && c.secret === cred.secret);
    if (!match)
      return { ok: false, status: 401, message: "The application credential id or secret is wrong" };
    const token = `gAAAAA${randomBytes(48).toString("base64url")}`;
    const issuedAt = Date.now();
    const expiresAt = issuedAt + Math.round(this.ttlSeconds * 1000);
    this.tokens.set(token, { credentialId: match.id, expiresAt });
    this.issued += 1;
    return { ok: true, token, issuedAt: new Date(issuedAt), expiresAt: new Date(expiresAt) };
  }

  /** Checks an `X-Auth-Token` header value. */
  check(token: string | undefined): TokenCheck {
    if (token === undefined || token.trim() === "") {
      return { ok: false, reason: "The X-Auth-Token header is required" };
    }
    const rec = this.tokens.get(token.trim());
    if (!rec) return { ok: false, reason: "The token is not valid" };
    if (Date.now() >= rec.expiresAt) return { ok: false, reason: "The token has expired" };
    return { ok: true, credentialId: rec.credentialId };
  }

  /** Makes every token issued so far expire now (tests of token renewal). */
  expireAll(): number {
    const now = Date.now();
    for (const rec of this.tokens.values()) rec.expiresAt = Math.min(rec.expiresAt, now);
    return this.tokens.size;
  }

  /** How many issued tokens are still valid. */
  valid(): number {
    const now = Date.now();
    return [...this.tokens.values()].filter((r) => r.expiresAt > now).length;
  }
}
