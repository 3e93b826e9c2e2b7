import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * Secrets kept in the database (a shop's SMTP password) are encrypted with AES-256-GCM under a key
 * derived from TIERWISE_ENCRYPTION_KEY (else the app's API secret). Stored as
 * `v1:<iv>:<tag>:<ciphertext>` in base64url. Changing the key makes stored secrets unreadable:
 * the merchant enters the password again.
 */
function key(): Buffer {
  const material = process.env.TIERWISE_ENCRYPTION_KEY ?? process.env.SHOPIFY_API_SECRET;
  if (!material) throw new Error("TIERWISE_ENCRYPTION_KEY or SHOPIFY_API_SECRET must be set to store secrets");
  return createHash("sha256").update(`tierwise-secrets:${material}`).digest();
}

export function encryptSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(":");
}

export function decryptSecret(stored: string): string {
  const [version, iv, tag, data] = stored.split(":");
  if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("unknown secret format");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}
