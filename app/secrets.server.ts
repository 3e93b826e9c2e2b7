import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * Secrets at rest (WooCommerce consumer keys, webhook and plugin secrets, shops' SMTP passwords):
 * AES-256-GCM under a 32-byte key from TIERWISE_ENCRYPTION_KEY (base64 or 64 hex characters). Outside production a
 * fixed development key is used when none is set; production refuses to start without one, so a
 * deployment can never silently store secrets under a key that is in the source code.
 * Format: "v1:<iv>:<tag>:<ciphertext>" (base64url); `purpose` is bound in as associated data, so
 * a ciphertext copied into another column does not decrypt.
 */
const DEV_KEY = createHash("sha256").update("tierwise-development-only-key").digest();

export class EncryptionKeyError extends Error {}

export function encryptionKey(env: Record<string, string | undefined> = process.env): Buffer {
  const raw = env.TIERWISE_ENCRYPTION_KEY?.trim();
  if (!raw) {
    if (env.NODE_ENV === "production") {
      throw new EncryptionKeyError("TIERWISE_ENCRYPTION_KEY is not set: production needs a 32-byte key (base64 or hex) to store secrets (WooCommerce keys, SMTP passwords)");
    }
    return DEV_KEY;
  }
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, "hex") : Buffer.from(raw, "base64");
  if (key.length !== 32) throw new EncryptionKeyError("TIERWISE_ENCRYPTION_KEY must be 32 bytes, as base64 or 64 hex characters");
  return key;
}

export function encryptSecret(plain: string, purpose: string, key = encryptionKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(purpose));
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(":");
}

export function decryptSecret(sealed: string, purpose: string, key = encryptionKey()): string {
  const [version, iv, tag, data] = sealed.split(":");
  if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("not an encrypted secret");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(purpose));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}

/** A random secret for a webhook or the WordPress plugin (256 bits, URL-safe). */
export function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** The associated data that binds a shop's SMTP password to its column. */
export const SMTP_PASSWORD_PURPOSE = "smtp-password";
