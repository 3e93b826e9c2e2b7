import type { Translate } from "./admin-context";

/**
 * Reasons the core writes are English audit text; the admin shows the known ones in the staff
 * member's language. Reasons typed by staff (adjustments) are shown as written.
 */
const PATTERNS: [RegExp, (t: Translate, m: RegExpExecArray) => string][] = [
  [/^Order (.+): recalculated after an earlier event arrived$/, (t, m) => t("admin.reason.recalculated", { order: m[1] })],
  [/^Order (.+) cancelled$/, (t, m) => t("admin.reason.cancelled", { order: m[1] })],
  [/^Refund on order (.+)$/, (t, m) => t("admin.reason.refund", { order: m[1] })],
  [/^Order (.+)$/, (t, m) => t("admin.reason.order", { order: m[1] })],
  [/^Welcome to the program$/, (t) => t("admin.reason.welcome")],
  [/^Redeemed (.+)$/, (t, m) => t("admin.reason.redeemed", { reward: m[1] })],
  [/^Imported balance \(row (\d+)\)$/, (t, m) => t("admin.reason.importedBalance", { row: m[1] })],
  [/^Imported points \(row (\d+)\)$/, (t, m) => t("admin.reason.importedPoints", { row: m[1] })],
];

export function localizeReason(reason: string, kind: string, t: Translate): string {
  if (kind === "ADJUSTMENT") return reason;
  for (const [pattern, render] of PATTERNS) {
    const match = pattern.exec(reason);
    if (match) return render(t, match);
  }
  return reason;
}
