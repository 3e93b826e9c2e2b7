import type { DiscountIssuer, DiscountRequest, IssueResult } from "../../app/loyalty/discount-issuer";

/**
 * A stand-in for the platform at the DiscountIssuer boundary, for service tests that are about
 * points rather than about Shopify: it keeps the codes it created and fails when told to. The
 * Shopify issuer itself is tested against the Admin API emulator.
 */
export class RecordingIssuer implements DiscountIssuer {
  readonly codes = new Map<string, { id: string; request: DiscountRequest }>();
  /** Next create() calls: "ok", "transient" (throws), "permanent" (refused), or "ok-then-crash" (created, then throws). */
  script: ("ok" | "transient" | "permanent" | "ok-then-crash")[] = [];
  creates = 0;

  async create(request: DiscountRequest): Promise<IssueResult> {
    this.creates++;
    const step = this.script.shift() ?? "ok";
    if (step === "transient") throw new Error("503 Service Unavailable");
    if (step === "permanent") return { ok: false, permanent: true, reason: "variant does not exist" };
    if (this.codes.has(request.code)) throw new Error(`code ${request.code} created twice`);
    const id = `gid://shopify/DiscountCodeNode/${this.codes.size + 1}`;
    this.codes.set(request.code, { id, request });
    if (step === "ok-then-crash") throw new Error("connection reset after the platform created the code");
    return { ok: true, platformDiscountId: id };
  }

  async find(code: string) {
    const found = this.codes.get(code);
    return found ? { platformDiscountId: found.id } : null;
  }
}
